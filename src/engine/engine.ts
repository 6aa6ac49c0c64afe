import type { ProxyVariables } from './proxy-config.js';
/**
 * The engine as the rest of tscompose sees it: our own types, shaped after the Engine HTTP API.
 * Only src/engine knows how the calls are made.
 */
import type { BuildStep } from '../model/events.js';
import type { LockWaitOptions, ProjectLock } from './project-lock.js';
import type { SwarmApi } from './swarm-api.js';

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
  /** Network name → the ID of the network it joined (empty before the container first started). */
  readonly networkIds: Readonly<Record<string, string>>;
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
  /** IDs of the containers with an endpoint on it: read (by inspect) only where a name is taken twice. */
  readonly endpoints?: readonly string[];
}

export interface VolumeSummary {
  readonly name: string;
  readonly driver: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly scope?: string;
  readonly mountpoint?: string;
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

/**
 * The Engine API's container create body (POST /containers/create), as much as we send. It is the
 * one Engine-API shape that travels in a plan: reconcile/container-spec.ts builds it key by key from
 * the service (that file is where a compose key meets its engine field), and engine/ sends it as is.
 */
export type ContainerCreateBody = Readonly<Record<string, unknown>> & {
  readonly Image: string;
  readonly Labels: Readonly<Record<string, string>>;
};

/**
 * A container's settings on one network, in the Engine API's EndpointSettings shape (Aliases,
 * IPAMConfig, MacAddress, DriverOpts); built by reconcile/container-spec.ts with the create body.
 */
export type EndpointConfig = Readonly<Record<string, unknown>>;

/** One IPAM pool of a network. */
export interface IpamPool {
  readonly subnet?: string;
  readonly ipRange?: string;
  readonly gateway?: string;
  readonly auxAddresses?: Readonly<Record<string, string>>;
}

/** A network to create. */
export interface NetworkSpec {
  readonly name: string;
  readonly driver: string;
  readonly driverOpts?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly internal?: boolean;
  readonly attachable?: boolean;
  readonly enableIpv4?: boolean;
  readonly enableIpv6?: boolean;
  readonly ipam?: {
    readonly driver: string;
    readonly pools: readonly IpamPool[];
    readonly options: Readonly<Record<string, string>>;
  };
}

/** A volume to create. */
export interface VolumeSpec {
  readonly name: string;
  readonly driver?: string;
  readonly driverOpts?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface EngineEvent {
  readonly type: string;
  readonly action: string;
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Unix nanoseconds. */
  readonly timeNano: number;
}

/** What an image build needs, resolved: the engine tars the context and sends the rest as options. */
export interface BuildRequest {
  /** Absolute path of the context folder. */
  readonly context: string;
  /** Relative to the context, or absolute (it may live outside it); `Dockerfile` when absent. */
  readonly dockerfile?: string;
  /** Dockerfile text given in the compose file; wins over `dockerfile`. */
  readonly dockerfileInline?: string;
  /** The image name first, then any extra tags. */
  readonly tags: readonly string[];
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly network?: string;
  /** `host:ip` entries. */
  readonly extraHosts: readonly string[];
  /** Bytes. */
  readonly shmSize?: number;
  readonly noCache: boolean;
  readonly pull: boolean;
  readonly cacheFrom: readonly string[];
  /** BuildKit (the default) or the classic builder (DOCKER_BUILDKIT=0). */
  readonly builder?: 'buildkit' | 'classic';
  /** A git or tarball URL the engine fetches itself; `context` is then unused. */
  readonly remote?: string;
  /** Build secrets, served to BuildKit through the session by id. */
  readonly secrets?: readonly BuildSecret[];
  /** SSH agents or keys, served through the session by id (`default` when unnamed). */
  readonly ssh?: readonly BuildSsh[];
  /** `platform` (or DOCKER_DEFAULT_PLATFORM) of the service: the image variant to build. */
  readonly platform?: string;
  readonly ulimits?: readonly { readonly name: string; readonly soft: number; readonly hard: number }[];
  readonly isolation?: string;
  /**
   * Every image the Dockerfile reads was in the engine when the build's inputs were read (their IDs
   * are in the build-inputs label): the build need not look them up again to know it needs no
   * registry. Unset: not known, the builder checks.
   */
  readonly basesInEngine?: true;
  /**
   * `additional_contexts`, for a Dockerfile frontend without named contexts: each name stands for
   * an image. With `from`, the build makes that image from a folder or git repository first and
   * removes it after; without, the image is expected in the engine (or pulled by BuildKit).
   */
  readonly namedContexts?: readonly NamedContextRequest[];
  /**
   * The context's files go under this folder of the tar sent, the Dockerfile beside it: the image
   * of a named context is `COPY <folder>/ /`, so it holds the folder's files and nothing else.
   */
  readonly contextUnder?: string;
}

export interface NamedContextRequest {
  readonly name: string;
  readonly image: string;
  readonly from?: { readonly folder: string } | { readonly git: string };
}

export interface BuildSecret {
  readonly id: string;
  /** A file read when BuildKit asks, or a value taken from the environment. */
  readonly source: { readonly file: string } | { readonly value: string };
}

export interface BuildSsh {
  readonly id: string;
  /** Agent sockets or private keys; empty means the agent at SSH_AUTH_SOCK. */
  readonly paths: readonly string[];
}

/** One step of a BuildKit build as it changes (defined with the progress events it travels in). */
export type BuildStepUpdate = BuildStep;

/** Digests of a build's file inputs: the context (after .dockerignore, without the Dockerfile) and the Dockerfile. */
export interface BuildInputsDigest {
  readonly context: string;
  readonly dockerfile: string;
  /**
   * The images the Dockerfile reads (`FROM`, `--from=`); absent when the build reads something that
   * cannot be pinned before it runs: a variable in an image name, a `# syntax=` frontend, an `ADD`
   * of a URL or a git repository.
   */
  readonly images?: readonly string[];
  /** Those images' local IDs, digested; absent when an image is not in the engine (or `images` is). */
  readonly bases?: string;
}

export interface ImageDetails {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  /** When a tag last pointed at this image (a pull or build); empty when the engine does not know. */
  readonly lastTagTime?: string;
  readonly size?: number;
  /** `name@sha256:...` for each registry the image was pulled from or pushed to. */
  readonly repoDigests?: readonly string[];
  /** The platform the image was built for: `linux`, `amd64`, `v8` (empty when the engine does not say). */
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
}

/** Which of a process's output streams a chunk came from. */
export type OutputStream = 'stdout' | 'stderr';
/** Gets a container's or an exec's output, already split into stdout and stderr. */
export type OutputHandler = (stream: OutputStream, data: Buffer) => void;

export interface LogOptions {
  readonly follow: boolean;
  /** Lines from the end; undefined means all. */
  readonly tail?: number;
  /** A Unix timestamp (fractions allowed), RFC 3339 date or relative duration the engine understands. */
  readonly since?: string;
  readonly until?: string;
  /** Each line starts with the engine's RFC3339Nano timestamp and a space. */
  readonly timestamps: boolean;
  /** The container has a TTY: its output comes unframed, all on stdout. */
  readonly tty: boolean;
  readonly signal?: AbortSignal;
}

/** What a hijacked connection to a container's or exec's stdio needs. */
export interface StdioOptions {
  readonly tty: boolean;
  /** Send our input to the process. */
  readonly stdin: boolean;
  readonly onOutput: OutputHandler;
  /** attach only: the key sequence that detaches (the engine's default is ctrl-p,ctrl-q). */
  readonly detachKeys?: string;
}

/** A live connection to a process's stdio. */
export interface StdioSession {
  /** Resolves when the engine closes the output (the process ended or the connection was closed). */
  readonly done: Promise<void>;
  write(data: Buffer | string): void;
  /** Closes the process's stdin. */
  endInput(): void;
  close(): void;
}

export interface TerminalSize {
  readonly rows: number;
  readonly columns: number;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface ProcessList {
  readonly titles: readonly string[];
  readonly processes: readonly (readonly string[])[];
}

/** One stats sample, raw counters as the engine gives them. */
export interface StatsSample {
  readonly cpuTotal: number;
  readonly preCpuTotal: number;
  readonly systemCpu: number;
  readonly preSystemCpu: number;
  readonly onlineCpus: number;
  readonly memoryUsage: number;
  readonly memoryLimit: number;
  /** Page cache the engine counts in usage and `docker stats` leaves out. */
  readonly memoryCache: number;
  readonly networkRx: number;
  readonly networkTx: number;
  readonly blockRead: number;
  readonly blockWrite: number;
  readonly pids: number;
}

/** What the engine says about a path inside a container (the archive API's stat header). */
export interface PathStat {
  readonly name: string;
  readonly size: number;
  /** Go's os.FileMode bits: directories have bit 31 set, symlinks bit 27. */
  readonly mode: number;
  readonly linkTarget: string;
}

/** A command run in a container and waited for (hooks): its exit code and combined output. */
export interface ExecRequest {
  readonly command: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
  readonly env?: readonly string[];
  readonly privileged?: boolean;
}

/** A command to run attached to our terminal (`exec`) or detached (`exec -d`). */
export interface InteractiveExecRequest extends ExecRequest {
  readonly tty: boolean;
  /** Attach stdin, stdout and stderr; false for a detached exec. */
  readonly attach: boolean;
}

export interface ExecOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout then stderr, for reports. */
  readonly output: string;
}

export interface CreateContainerOptions {
  /** `os/arch[/variant]`: the image variant to run (query parameter, API 1.41). */
  readonly platform?: string;
  /** The engine's warnings about the request (a setting it discarded, say). */
  readonly onWarning?: (warning: string) => void;
}

export interface FileToCopy {
  /** Absolute path in the container. */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface CommitOptions {
  /** `repo[:tag]`; none makes an untagged image. */
  readonly reference?: string;
  readonly author?: string;
  readonly comment?: string;
  /** Dockerfile instructions applied to the image (`CMD ["sh"]`, `ENV A=b`). */
  readonly changes: readonly string[];
  readonly pause: boolean;
}

/** Containers: lifecycle, output, stdio, processes and files. */
export interface EngineContainers {
  list(options: { readonly all: boolean; readonly labels: readonly string[] }): Promise<ContainerSummary[]>;
  inspect(id: string): Promise<ContainerDetails>;
  /** Returns the new container's ID. */
  create(name: string, body: ContainerCreateBody, options?: CreateContainerOptions): Promise<string>;
  start(id: string): Promise<void>;
  /** `timeoutSeconds` before the engine kills. */
  stop(id: string, timeoutSeconds?: number): Promise<void>;
  restart(id: string, timeoutSeconds?: number): Promise<void>;
  kill(id: string, signal?: string): Promise<void>;
  /** Already gone counts as removed. */
  remove(id: string, options: { readonly force: boolean; readonly volumes: boolean }): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  pause(id: string): Promise<void>;
  unpause(id: string): Promise<void>;
  /** Resolves with the exit code once the condition is met. */
  wait(id: string, condition: WaitCondition, signal?: AbortSignal): Promise<number>;

  /** Streams the container's logs to `onOutput`; resolves when the engine ends the stream or `signal` aborts. */
  logs(id: string, options: LogOptions, onOutput: OutputHandler): Promise<void>;
  /** The last `lines` lines of a container's output (stdout and stderr, in order). */
  tailLogs(id: string, lines: number): Promise<string[]>;
  /** Attaches to the container's stdio; resolves once attached, so a start after it loses no output. */
  attach(id: string, options: StdioOptions): Promise<StdioSession>;
  resize(id: string, size: TerminalSize): Promise<void>;
  top(id: string, psArgs?: string): Promise<ProcessList>;
  /** One sample, without streaming. */
  stats(id: string): Promise<StatsSample>;
  /** Streams samples (about one a second) to `onSample` until the engine ends the stream or `signal` aborts. */
  streamStats(id: string, onSample: (sample: StatsSample) => void, signal: AbortSignal): Promise<void>;
  /** The container's whole filesystem as a tar stream (`docker export`). */
  exportFilesystem(id: string): Promise<NodeJS.ReadableStream>;
  /** Makes an image of the container's changes (`docker commit`); returns the new image's ID. */
  commit(id: string, options: CommitOptions): Promise<string>;
  /** A path of the container as the engine's tar stream (`docker cp CONTAINER:PATH -`). */
  getArchive(id: string, path: string): Promise<NodeJS.ReadableStream>;
  /**
   * Extracts a tar into the container folder `folder`: a stream (`docker cp - CONTAINER:PATH`) or a
   * tar made in memory (watch's sync batches). `keepOwner` keeps the archive's uid/gid; `noOverwrite`
   * refuses to replace a folder by a file or the other way round.
   */
  putArchive(
    id: string, folder: string, tar: NodeJS.ReadableStream | Buffer,
    options?: { readonly keepOwner?: boolean; readonly noOverwrite?: boolean },
  ): Promise<void>;

  /** undefined when the path does not exist. */
  statPath(id: string, path: string): Promise<PathStat | undefined>;
  /** Copies `path` out of a container into the host folder `folder`, naming its top entry `topName`. */
  copyFrom(id: string, path: string, folder: string, topName: string, options: { readonly keepOwner: boolean }): Promise<void>;
  /** Copies a host file or folder into the container folder `folder` as `topName`. */
  copyTo(
    id: string, hostPath: string, folder: string, topName: string,
    options: { readonly keepOwner: boolean; readonly followLinks: boolean },
  ): Promise<void>;
  /** Writes files made in memory (configs, secrets) into the container's filesystem. */
  putFiles(id: string, files: readonly FileToCopy[]): Promise<void>;
}

/** Commands run inside running containers. */
export interface EngineExec {
  /** Runs a command to completion, collecting its output (no TTY, no stdin). */
  run(container: string, request: ExecRequest): Promise<ExecOutcome>;
  /** Creates an exec to start attached (`start`) or detached (`startDetached`); returns its ID. */
  create(container: string, request: InteractiveExecRequest): Promise<string>;
  start(id: string, options: StdioOptions): Promise<StdioSession>;
  startDetached(id: string): Promise<void>;
  resize(id: string, size: TerminalSize): Promise<void>;
  /** The exit code of an exec whose output has ended (the engine records it a moment later). */
  exitCode(id: string): Promise<number>;
}

export interface EngineImages {
  list(options: { readonly labels?: readonly string[]; readonly reference?: string }): Promise<ImageSummary[]>;
  /** undefined when the image is not present. */
  inspect(name: string): Promise<ImageDetails | undefined>;
  remove(name: string, force?: boolean): Promise<void>;
  /**
   * Pulls an image with the registry credentials of the Docker config file; `onProgress` gets the
   * engine's status lines. Fails with a RegistryError naming the image and registry.
   */
  pull(reference: string, onProgress?: (status: string) => void, platform?: string): Promise<void>;
  /** Pushes a local image to its registry, with the same credentials as pull. */
  push(reference: string, onProgress?: (status: string) => void): Promise<void>;
  /**
   * Builds with BuildKit (a session serves secrets and ssh) or the classic builder; `onOutput` gets
   * each output line, `onStep` BuildKit's steps. Returns the image ID.
   */
  build(request: BuildRequest, onOutput?: (line: string) => void, onStep?: (step: BuildStepUpdate) => void): Promise<string>;
  /** Digests what build would send, without sending it (the context is read from disk). */
  digestBuildInputs(request: Pick<BuildRequest, 'context' | 'dockerfile' | 'dockerfileInline'>): Promise<BuildInputsDigest>;
}

export interface EngineNetworks {
  list(labels: readonly string[]): Promise<NetworkSummary[]>;
  /** By exact name; undefined when there is none. */
  find(name: string): Promise<NetworkSummary | undefined>;
  /** The IDs of the containers with an endpoint on the network (by ID); empty when it is gone. */
  endpoints(id: string): Promise<string[]>;
  /** Returns the new network's ID. */
  create(spec: NetworkSpec): Promise<string>;
  /** Already gone counts as removed. */
  remove(id: string): Promise<void>;
  connect(network: string, container: string, endpoint: EndpointConfig): Promise<void>;
  disconnect(network: string, container: string, force: boolean): Promise<void>;
}

export interface EngineVolumes {
  list(labels: readonly string[]): Promise<VolumeSummary[]>;
  /** undefined when there is none. */
  find(name: string): Promise<VolumeSummary | undefined>;
  create(spec: VolumeSpec): Promise<void>;
  /** Already gone counts as removed. */
  remove(name: string): Promise<void>;
}

export interface EngineSystem {
  ping(): Promise<void>;
  version(): Promise<EngineVersion>;
  /** The engine's API version (what preflight checks keys against). */
  apiVersion(): Promise<string>;
  /** Engine events from the moment of this call (even if iteration starts later) until `signal` aborts. */
  /** From now on, unless `window.since` asks for past events; `window.until` ends the stream. */
  events(
    filters: Readonly<Record<string, readonly string[]>>,
    signal: AbortSignal,
    window?: { readonly since?: string; readonly until?: string },
  ): AsyncIterable<EngineEvent>;
}

/** Runs of one project against this engine, serialised on this machine (see project-lock.ts). */
export interface EngineLocks {
  /** Waits for other runs of the project (on this machine, against this engine) to finish, then holds the lock. */
  project(name: string, options?: LockWaitOptions): Promise<ProjectLock>;
}

/**
 * The engine, one member per kind of resource, as the Engine API groups its endpoints.
 * (Swarm services get a member of their own.)
 */
export interface Engine {
  /** Where the engine was reached: `unix:///var/run/docker.sock`. */
  readonly endpoint: string;
  /** The local unix socket the engine is reached through; undefined over tcp or ssh. */
  readonly socketPath: string | undefined;
  /** The user's registry credentials as a Docker client config.json (for use_api_socket). */
  clientConfig(): Promise<string>;
  readonly system: EngineSystem;
  readonly containers: EngineContainers;
  readonly exec: EngineExec;
  readonly images: EngineImages;
  readonly networks: EngineNetworks;
  readonly volumes: EngineVolumes;
  /** Swarm services, tasks, configs and secrets (stack deploy). */
  readonly swarm: SwarmApi;
  readonly locks: EngineLocks;
  /**
   * The proxy variables the Docker config's `proxies` gives this engine (`HTTP_PROXY`, `http_proxy`...):
   * the environment of created containers and the args of builds, under what the user sets.
   */
  proxyVariables(): Promise<ProxyVariables>;
}

/** The engine is connected to lazily: commands that never need it never pay for it. */
export type EngineProvider = () => Promise<Engine>;
