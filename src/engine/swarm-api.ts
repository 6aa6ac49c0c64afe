import { EngineError } from '../errors.js';
import { demuxLines, outputReader } from './demux.js';
import { isStatus, type EngineHttpClient } from './http-client.js';
import { registryOf, type DockerConfig } from './registry-auth.js';

/**
 * Swarm's resources (services, tasks, configs, secrets, swarm-scoped networks) in our own types.
 * Specs are sent and read back in the Engine API's own shape: the swarm room builds them, the
 * engine stores them, and comparing like with like is what lets a re-deploy skip unchanged services.
 */

/** A service spec as the Engine API takes it (POST /services/create). */
export type ServiceSpec = Readonly<Record<string, unknown>> & {
  readonly Name: string;
  readonly Labels: Readonly<Record<string, string>>;
};

export interface SwarmState {
  /** `inactive`, `pending`, `active`, `error`, `locked`. */
  readonly nodeState: string;
  /** This node is a manager: it may deploy. */
  readonly isManager: boolean;
  readonly nodeId: string;
  readonly nodes: number;
  readonly managers: number;
}

export interface SwarmService {
  readonly id: string;
  /** The spec version, for updates (optimistic concurrency). */
  readonly version: number;
  readonly spec: ServiceSpec;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** `updating`, `completed`, `paused`, `rollback_started`…; absent before the first update. */
  readonly updateState?: string;
  readonly updateMessage?: string;
}

export type TaskState =
  | 'new' | 'allocated' | 'pending' | 'assigned' | 'accepted' | 'preparing' | 'ready' | 'starting' | 'running'
  | 'complete' | 'shutdown' | 'failed' | 'rejected' | 'remove' | 'orphaned';

export interface SwarmTask {
  readonly id: string;
  readonly serviceId: string;
  /** Replicated services number their tasks; global ones have 0 and a node instead. */
  readonly slot: number;
  readonly nodeId: string;
  readonly desiredState: TaskState;
  readonly state: TaskState;
  readonly message: string;
  readonly error: string;
  readonly exitCode?: number;
  readonly containerId: string;
  /** RFC 3339 time of the last state change. */
  readonly timestamp: string;
  readonly image: string;
  /** The service spec version the task was made from. */
  readonly specVersion?: number;
  readonly labels: Readonly<Record<string, string>>;
  /** The task's own spec (the service's TaskTemplate when the task was made). */
  readonly spec: Readonly<Record<string, unknown>>;
}

/** A config or secret: data never comes back for secrets, so only names and labels are compared. */
export interface SwarmObject {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

export interface SwarmObjectSpec {
  readonly Name: string;
  readonly Labels: Readonly<Record<string, string>>;
  /** The content, base64. */
  readonly Data: string;
}

export interface SwarmNetwork {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  /** `swarm`, `local`, `global`. */
  readonly scope: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface SwarmNetworkBody {
  readonly Name: string;
  readonly Driver: string;
  readonly Labels: Readonly<Record<string, string>>;
  readonly Options?: Readonly<Record<string, string>>;
  readonly Internal?: boolean;
  readonly Attachable?: boolean;
  readonly IPAM?: unknown;
}

export interface SwarmNode {
  readonly id: string;
  readonly hostname: string;
}

export interface ServiceLogOptions {
  readonly follow: boolean;
  /** Lines from the end of each task's log; undefined means all. */
  readonly tail?: number;
  readonly timestamps: boolean;
  /** The service's containers have a TTY: the stream is not framed. */
  readonly tty: boolean;
  readonly since?: string;
  readonly signal?: AbortSignal;
}

export interface ServiceLogLine {
  /** The task that wrote the line (empty when the engine did not say). */
  readonly taskId: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface SwarmCallOptions {
  /** Base64 JSON credentials for the image's registry (X-Registry-Auth), for --with-registry-auth. */
  readonly registryAuth?: string;
}

export interface SwarmApi {
  state(): Promise<SwarmState>;
  nodes(): Promise<SwarmNode[]>;

  listServices(labels: readonly string[]): Promise<SwarmService[]>;
  createService(spec: ServiceSpec, options?: SwarmCallOptions): Promise<{ readonly id: string; readonly warnings: readonly string[] }>;
  updateService(id: string, version: number, spec: ServiceSpec, options?: SwarmCallOptions): Promise<{ readonly warnings: readonly string[] }>;
  removeService(id: string): Promise<void>;
  /** The last `lines` lines of a service's output, over all its tasks. */
  serviceLogs(id: string, lines: number, tty: boolean): Promise<string[]>;

  /**
   * Streams a service's log lines, each with the task it came from (the engine's `details`), until
   * the engine ends the stream (at once without `follow`) or `signal` aborts.
   */
  streamServiceLogs(id: string, options: ServiceLogOptions, onLine: (line: ServiceLogLine) => void): Promise<void>;

  listTasks(filters: { readonly labels?: readonly string[]; readonly services?: readonly string[] }): Promise<SwarmTask[]>;

  listConfigs(labels: readonly string[]): Promise<SwarmObject[]>;
  createConfig(spec: SwarmObjectSpec): Promise<string>;
  removeConfig(id: string): Promise<void>;
  listSecrets(labels: readonly string[]): Promise<SwarmObject[]>;
  createSecret(spec: SwarmObjectSpec): Promise<string>;
  removeSecret(id: string): Promise<void>;

  listNetworks(labels: readonly string[]): Promise<SwarmNetwork[]>;
  /** By exact name or ID; undefined when there is none. */
  inspectNetwork(name: string): Promise<SwarmNetwork | undefined>;
  createNetwork(body: SwarmNetworkBody): Promise<string>;
  removeNetwork(id: string): Promise<void>;

  /** Base64 credentials (X-Registry-Auth) for the image's registry, from the Docker config file. */
  registryAuth(image: string): Promise<string>;
  /** The registry's digest for an image reference (`sha256:…`), or undefined when no registry answers. */
  distributionDigest(image: string, options?: SwarmCallOptions): Promise<string | undefined>;
}

type Json = Record<string, unknown>;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function record(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function labelsOf(value: unknown): Record<string, string> {
  return record(value) as Record<string, string>;
}

function labelFilter(labels: readonly string[]): string {
  return JSON.stringify({ label: labels });
}

function authHeaders(options: SwarmCallOptions | undefined): Record<string, string> {
  return options?.registryAuth === undefined ? {} : { 'X-Registry-Auth': options.registryAuth };
}

function toService(s: Json): SwarmService {
  const spec = record(s['Spec']);
  const update = record(s['UpdateStatus']);
  return {
    id: str(s['ID']),
    version: Number(record(s['Version'])['Index'] ?? 0),
    spec: { ...spec, Name: str(spec['Name']), Labels: labelsOf(spec['Labels']) },
    createdAt: str(s['CreatedAt']),
    updatedAt: str(s['UpdatedAt']),
    ...(typeof update['State'] === 'string' ? { updateState: update['State'] } : {}),
    ...(typeof update['Message'] === 'string' ? { updateMessage: update['Message'] } : {}),
  };
}

function toTask(t: Json): SwarmTask {
  const status = record(t['Status']);
  const container = record(status['ContainerStatus']);
  const containerSpec = record(record(t['Spec'])['ContainerSpec']);
  const exitCode = container['ExitCode'];
  const specVersion = record(t['SpecVersion'])['Index'];
  return {
    id: str(t['ID']),
    serviceId: str(t['ServiceID']),
    slot: typeof t['Slot'] === 'number' ? t['Slot'] : 0,
    nodeId: str(t['NodeID']),
    desiredState: str(t['DesiredState']) as TaskState,
    state: str(status['State']) as TaskState,
    message: str(status['Message']),
    error: str(status['Err']),
    ...(typeof exitCode === 'number' ? { exitCode } : {}),
    containerId: str(container['ContainerID']),
    timestamp: str(status['Timestamp']),
    image: str(containerSpec['Image']),
    ...(typeof specVersion === 'number' ? { specVersion } : {}),
    labels: labelsOf(t['Labels']),
    spec: record(t['Spec']),
  };
}

function toObject(o: Json): SwarmObject {
  const spec = record(o['Spec']);
  return { id: str(o['ID']), name: str(spec['Name']), labels: labelsOf(spec['Labels']), createdAt: str(o['CreatedAt']) };
}

function toNetwork(n: Json): SwarmNetwork {
  return { id: str(n['Id']), name: str(n['Name']), driver: str(n['Driver']), scope: str(n['Scope']), labels: labelsOf(n['Labels']) };
}

/**
 * A `details` line: `[TIMESTAMP ]k=v,k=v MESSAGE` (keys and values query-escaped). The task ID is
 * kept; the other attributes go. The timestamp, when asked for, stays in front of the message.
 */
export function withDetails(raw: string, timestamps: boolean): { readonly taskId: string; readonly text: string } {
  let stamp = '';
  let rest = raw;
  if (timestamps) {
    const space = rest.indexOf(' ');
    if (space > 0) { stamp = rest.slice(0, space + 1); rest = rest.slice(space + 1); }
  }
  const space = rest.indexOf(' ');
  const attrs = space === -1 ? rest : rest.slice(0, space);
  if (!/^[^=\s]+=[^\s]*$/.test(attrs)) return { taskId: '', text: stamp + rest };
  let taskId = '';
  for (const pair of attrs.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && decodeURIComponent(pair.slice(0, eq)) === 'com.docker.swarm.task.id') taskId = decodeURIComponent(pair.slice(eq + 1));
  }
  return { taskId, text: stamp + (space === -1 ? '' : rest.slice(space + 1)) };
}

function ignoreMissing(error: unknown): void {
  if (!isStatus(error, 404)) throw error;
}

/** The Swarm API over our HTTP client. */
export class HttpSwarmApi implements SwarmApi {
  constructor(private readonly http: EngineHttpClient, private readonly dockerConfig: DockerConfig) {}

  registryAuth(image: string): Promise<string> {
    return this.dockerConfig.authHeader(registryOf(image));
  }

  async state(): Promise<SwarmState> {
    const info = await this.http.json<Json>('GET', '/info');
    const swarm = record(info['Swarm']);
    return {
      nodeState: str(swarm['LocalNodeState']),
      isManager: swarm['ControlAvailable'] === true,
      nodeId: str(swarm['NodeID']),
      nodes: Number(swarm['Nodes'] ?? 0),
      managers: Number(swarm['Managers'] ?? 0),
    };
  }

  async nodes(): Promise<SwarmNode[]> {
    const list = await this.http.json<Json[]>('GET', '/nodes');
    return list.map((n) => ({ id: str(n['ID']), hostname: str(record(n['Description'])['Hostname']) }));
  }

  async listServices(labels: readonly string[]): Promise<SwarmService[]> {
    const list = await this.http.json<Json[]>('GET', '/services', { query: { filters: labelFilter(labels) } });
    return list.map(toService);
  }

  async createService(spec: ServiceSpec, options?: SwarmCallOptions): Promise<{ id: string; warnings: string[] }> {
    const created = await this.http.json<Json>('POST', '/services/create', { body: spec, headers: authHeaders(options) });
    return { id: str(created['ID']), warnings: (created['Warnings'] as string[] | null | undefined) ?? [] };
  }

  async updateService(id: string, version: number, spec: ServiceSpec, options?: SwarmCallOptions): Promise<{ warnings: string[] }> {
    const updated = await this.http.json<Json>('POST', `/services/${encodeURIComponent(id)}/update`, {
      query: { version },
      body: spec,
      headers: authHeaders(options),
    });
    return { warnings: (updated?.['Warnings'] as string[] | null | undefined) ?? [] };
  }

  async removeService(id: string): Promise<void> {
    await this.http.json('DELETE', `/services/${encodeURIComponent(id)}`).catch(ignoreMissing);
  }

  async serviceLogs(id: string, lines: number, tty: boolean): Promise<string[]> {
    const data = await this.http.buffer('GET', `/services/${encodeURIComponent(id)}/logs`, {
      query: { stdout: true, stderr: true, tail: lines },
    });
    return demuxLines(data, tty);
  }

  async streamServiceLogs(id: string, options: ServiceLogOptions, onLine: (line: ServiceLogLine) => void): Promise<void> {
    let response;
    try {
      response = await this.http.stream('GET', `/services/${encodeURIComponent(id)}/logs`, {
        query: {
          stdout: true, stderr: true, details: true,
          follow: options.follow, timestamps: options.timestamps,
          tail: options.tail === undefined ? 'all' : options.tail,
          since: options.since,
        },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      if (options.signal?.aborted === true) return;
      throw error;
    }
    const partial = { stdout: '', stderr: '' };
    const emit = (stream: 'stdout' | 'stderr', raw: string): void => onLine({ stream, ...withDetails(raw.replace(/\r$/, ''), options.timestamps) });
    const read = outputReader(options.tty, (stream, data) => {
      const lines = (partial[stream] + data.toString('utf8')).split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) emit(stream, line);
    });
    await new Promise<void>((resolve) => {
      response.on('data', read);
      response.on('end', resolve);
      response.on('close', resolve);
      response.on('error', () => resolve());
    });
    for (const stream of ['stdout', 'stderr'] as const) if (partial[stream] !== '') emit(stream, partial[stream]);
  }

  async listTasks(filters: { readonly labels?: readonly string[]; readonly services?: readonly string[] }): Promise<SwarmTask[]> {
    const query: Record<string, readonly string[]> = {};
    if (filters.labels !== undefined) query['label'] = filters.labels;
    if (filters.services !== undefined) query['service'] = filters.services;
    const list = await this.http.json<Json[]>('GET', '/tasks', { query: { filters: JSON.stringify(query) } });
    return list.map(toTask);
  }

  async listConfigs(labels: readonly string[]): Promise<SwarmObject[]> {
    return (await this.http.json<Json[]>('GET', '/configs', { query: { filters: labelFilter(labels) } })).map(toObject);
  }

  async createConfig(spec: SwarmObjectSpec): Promise<string> {
    return str((await this.http.json<Json>('POST', '/configs/create', { body: spec }))['ID']);
  }

  async removeConfig(id: string): Promise<void> {
    await this.http.json('DELETE', `/configs/${encodeURIComponent(id)}`).catch(ignoreMissing);
  }

  async listSecrets(labels: readonly string[]): Promise<SwarmObject[]> {
    return (await this.http.json<Json[]>('GET', '/secrets', { query: { filters: labelFilter(labels) } })).map(toObject);
  }

  async createSecret(spec: SwarmObjectSpec): Promise<string> {
    return str((await this.http.json<Json>('POST', '/secrets/create', { body: spec }))['ID']);
  }

  async removeSecret(id: string): Promise<void> {
    await this.http.json('DELETE', `/secrets/${encodeURIComponent(id)}`).catch(ignoreMissing);
  }

  async listNetworks(labels: readonly string[]): Promise<SwarmNetwork[]> {
    return (await this.http.json<Json[]>('GET', '/networks', { query: { filters: labelFilter(labels) } })).map(toNetwork);
  }

  async inspectNetwork(name: string): Promise<SwarmNetwork | undefined> {
    try {
      return toNetwork(await this.http.json<Json>('GET', `/networks/${encodeURIComponent(name)}`));
    } catch (error) {
      ignoreMissing(error);
      return undefined;
    }
  }

  async createNetwork(body: SwarmNetworkBody): Promise<string> {
    return str((await this.http.json<Json>('POST', '/networks/create', { body: { CheckDuplicate: true, ...body } }))['Id']);
  }

  async removeNetwork(id: string): Promise<void> {
    await this.http.json('DELETE', `/networks/${encodeURIComponent(id)}`).catch(ignoreMissing);
  }

  async distributionDigest(image: string, options?: SwarmCallOptions): Promise<string | undefined> {
    try {
      const answer = await this.http.json<Json>('GET', `/distribution/${image}/json`, { headers: authHeaders(options) });
      const digest = str(record(answer['Descriptor'])['digest']);
      return digest === '' ? undefined : digest;
    } catch (error) {
      if (error instanceof EngineError) return undefined;
      throw error;
    }
  }
}
