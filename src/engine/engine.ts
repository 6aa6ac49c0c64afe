/**
 * The engine as the rest of tscompose sees it: our own types, shaped after the Engine HTTP API.
 * Only src/engine knows how the calls are made.
 */

export interface PortBinding {
  readonly ip?: string;
  readonly privatePort: number;
  readonly publicPort?: number;
  readonly type: string;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerSummary {
  readonly id: string;
  /** Without the leading slash. */
  readonly name: string;
  readonly image: string;
  readonly imageId: string;
  readonly command: string;
  /** Unix seconds. */
  readonly created: number;
  readonly state: ContainerState;
  /** The engine's human status: "Up 2 seconds (healthy)", "Exited (0) 3 seconds ago". */
  readonly status: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly PortBinding[];
  /** Network names the container is attached to. */
  readonly networks: readonly string[];
  readonly mounts: readonly MountSummary[];
}

export interface MountSummary {
  readonly type: string;
  readonly name?: string;
  readonly source: string;
  readonly destination: string;
}

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy' | 'none';

export interface HealthLogEntry {
  readonly exitCode: number;
  readonly output: string;
}

export interface ContainerDetails {
  readonly id: string;
  readonly name: string;
  readonly state: ContainerState;
  readonly running: boolean;
  readonly exitCode: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly health: HealthStatus;
  readonly healthLog: readonly HealthLogEntry[];
  readonly restartCount: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly image: string;
  readonly tty: boolean;
  readonly mounts: readonly MountSummary[];
  readonly networks: Readonly<Record<string, { readonly ipAddress: string; readonly aliases: readonly string[] }>>;
  readonly ports: Readonly<Record<string, readonly { readonly hostIp: string; readonly hostPort: string }[] | null>>;
}

export interface NetworkSummary {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface VolumeSummary {
  readonly name: string;
  readonly driver: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ImageSummary {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly created: number;
  readonly size: number;
}

export interface EngineVersion {
  readonly version: string;
  readonly apiVersion: string;
  readonly os: string;
  readonly arch: string;
}

/** The Engine API's container create body (POST /containers/create), as much as we send. */
export type ContainerCreateBody = Readonly<Record<string, unknown>> & {
  readonly Image: string;
  readonly Labels: Readonly<Record<string, string>>;
};

export interface NetworkCreateBody {
  readonly Name: string;
  readonly Driver?: string;
  readonly Options?: Readonly<Record<string, string>>;
  readonly Labels: Readonly<Record<string, string>>;
  readonly Internal?: boolean;
  readonly Attachable?: boolean;
  readonly EnableIPv6?: boolean;
  readonly IPAM?: unknown;
  readonly CheckDuplicate?: boolean;
}

export interface VolumeCreateBody {
  readonly Name: string;
  readonly Driver?: string;
  readonly DriverOpts?: Readonly<Record<string, string>>;
  readonly Labels: Readonly<Record<string, string>>;
}

export interface EngineEvent {
  readonly type: string;
  readonly action: string;
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Unix nanoseconds. */
  readonly timeNano: number;
}

/** A command run in a container and waited for (hooks): its exit code and combined output. */
export interface ExecRequest {
  readonly command: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
  readonly env?: readonly string[];
  readonly privileged?: boolean;
}

export interface ExecOutcome {
  readonly exitCode: number;
  readonly output: string;
}

export interface FileToCopy {
  /** Absolute path in the container. */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface Engine {
  /** Where the engine was reached: `unix:///var/run/docker.sock`. */
  readonly endpoint: string;
  ping(): Promise<void>;
  version(): Promise<EngineVersion>;

  listContainers(options: { readonly all: boolean; readonly labels: readonly string[] }): Promise<ContainerSummary[]>;
  inspectContainer(id: string): Promise<ContainerDetails>;
  createContainer(name: string, body: ContainerCreateBody): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** `timeoutSeconds` before the engine kills. */
  stopContainer(id: string, timeoutSeconds?: number): Promise<void>;
  restartContainer(id: string, timeoutSeconds?: number): Promise<void>;
  killContainer(id: string, signal?: string): Promise<void>;
  removeContainer(id: string, options: { readonly force: boolean; readonly volumes: boolean }): Promise<void>;
  renameContainer(id: string, name: string): Promise<void>;
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  connectNetwork(network: string, container: string, config: Readonly<Record<string, unknown>>): Promise<void>;
  disconnectNetwork(network: string, container: string, force: boolean): Promise<void>;
  /** The last `lines` lines of a container's output (stdout and stderr, in order). */
  tailLogs(id: string, lines: number): Promise<string[]>;
  /** Runs a command in a running container to completion, collecting its output (no TTY, no stdin). */
  execAndWait(id: string, request: ExecRequest): Promise<ExecOutcome>;
  /** Writes files into a container's filesystem through the archive API (a tar built in memory). */
  putFiles(id: string, files: readonly FileToCopy[]): Promise<void>;

  listNetworks(labels: readonly string[]): Promise<NetworkSummary[]>;
  /** By exact name; undefined when there is none. */
  findNetwork(name: string): Promise<NetworkSummary | undefined>;
  createNetwork(body: NetworkCreateBody): Promise<string>;
  removeNetwork(id: string): Promise<void>;

  listVolumes(labels: readonly string[]): Promise<VolumeSummary[]>;
  findVolume(name: string): Promise<VolumeSummary | undefined>;
  createVolume(body: VolumeCreateBody): Promise<void>;
  removeVolume(name: string): Promise<void>;

  listImages(options: { readonly labels?: readonly string[]; readonly reference?: string }): Promise<ImageSummary[]>;
  /** undefined when the image is not present. */
  inspectImage(name: string): Promise<{ readonly id: string; readonly labels: Readonly<Record<string, string>> } | undefined>;
  removeImage(name: string, force?: boolean): Promise<void>;
  /** Pulls an image; `onProgress` gets the engine's status lines. Fails on an in-stream error. */
  pullImage(reference: string, onProgress?: (status: string) => void): Promise<void>;

  /** Engine events until `signal` aborts. */
  events(filters: Readonly<Record<string, readonly string[]>>, signal: AbortSignal): AsyncIterable<EngineEvent>;
}

/** The engine is connected to lazily: commands that never need it never pay for it. */
export type EngineProvider = () => Promise<Engine>;
