import { createInterface } from 'node:readline';
import { demuxFrames, splitLines } from './demux.js';
import { buildTar } from './tar.js';
import type {
  BuildInputsDigest, BuildRequest, ContainerCreateBody, ContainerDetails, ContainerState, ContainerSummary, Engine, EngineEvent,
  CreateContainerOptions, EngineVersion, ExecOutcome, ExecRequest, FileToCopy, HealthStatus, ImageDetails, ImageSummary, MountSummary, NetworkCreateBody,
  NetworkSummary, VolumeCreateBody, VolumeSummary,
} from './engine.js';
import { BuildError, EngineError } from '../errors.js';
import { EngineHttpClient, isStatus } from './http-client.js';
import type { EngineAddress } from './docker-host.js';
import { DockerConfig, registryOf } from './registry-auth.js';
import { registryFailure } from './registry-errors.js';
import { DockerStdio } from './docker-stdio.js';
import type {
  ExecCreateBody, LogOptions, OutputHandler, PathStat, ProcessList, StatsSample, StdioOptions, StdioSession, TerminalSize,
  WaitCondition,
} from './engine.js';
import type { Readable } from 'node:stream';

type Json = Record<string, unknown>;

function labelFilters(labels: readonly string[]): string {
  return JSON.stringify({ label: labels });
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function labelsOf(value: unknown): Record<string, string> {
  return value !== null && typeof value === 'object' ? (value as Record<string, string>) : {};
}

function mountsOf(value: unknown): MountSummary[] {
  if (!Array.isArray(value)) return [];
  return value.map((m: Json) => {
    const mount: MountSummary = {
      type: str(m['Type']),
      source: str(m['Source']),
      destination: str(m['Destination']),
    };
    return typeof m['Name'] === 'string' ? { ...mount, name: m['Name'] } : mount;
  });
}

export class DockerEngine implements Engine {
  readonly endpoint: string;
  private readonly http: EngineHttpClient;
  private readonly dockerConfig: DockerConfig;
  private readonly stdio: DockerStdio;

  /** `dockerConfigDir`: where config.json holds registry credentials (DOCKER_CONFIG or ~/.docker). */
  constructor(address: EngineAddress, options: { readonly dockerConfigDir?: string } = {}) {
    this.endpoint = address.display;
    this.http = new EngineHttpClient(address);
    this.dockerConfig = new DockerConfig(options.dockerConfigDir);
    this.stdio = new DockerStdio(this.http, address);
  }

  async ping(): Promise<void> {
    await this.http.json('GET', '/_ping');
  }

  async version(): Promise<EngineVersion> {
    const v = await this.http.json<Json>('GET', '/version');
    return { version: str(v['Version']), apiVersion: str(v['ApiVersion']), os: str(v['Os']), arch: str(v['Arch']) };
  }

  async listContainers(options: { all: boolean; labels: readonly string[] }): Promise<ContainerSummary[]> {
    const list = await this.http.json<Json[]>('GET', '/containers/json', {
      query: { all: options.all, filters: labelFilters(options.labels) },
    });
    return list.map((c) => {
      const networks = (c['NetworkSettings'] as { Networks?: Record<string, unknown> } | undefined)?.Networks ?? {};
      const names = (c['Names'] as string[] | undefined) ?? [];
      return {
        id: str(c['Id']),
        name: (names[0] ?? '').replace(/^\//, ''),
        image: str(c['Image']),
        imageId: str(c['ImageID']),
        command: str(c['Command']),
        created: num(c['Created']),
        state: str(c['State']) as ContainerState,
        status: str(c['Status']),
        labels: labelsOf(c['Labels']),
        ports: ((c['Ports'] as Json[] | undefined) ?? []).map((p) => {
          const base = { privatePort: num(p['PrivatePort']), type: str(p['Type']) };
          return {
            ...base,
            ...(typeof p['IP'] === 'string' ? { ip: p['IP'] } : {}),
            ...(typeof p['PublicPort'] === 'number' ? { publicPort: p['PublicPort'] } : {}),
          };
        }),
        networks: Object.keys(networks),
        mounts: mountsOf(c['Mounts']),
      };
    });
  }

  async inspectContainer(id: string): Promise<ContainerDetails> {
    const c = await this.http.json<Json>('GET', `/containers/${encodeURIComponent(id)}/json`);
    const state = (c['State'] ?? {}) as Json;
    const health = (state['Health'] ?? undefined) as Json | undefined;
    const config = (c['Config'] ?? {}) as Json;
    const settings = (c['NetworkSettings'] ?? {}) as Json;
    const networks: Record<string, { ipAddress: string; aliases: string[] }> = {};
    for (const [name, n] of Object.entries((settings['Networks'] ?? {}) as Record<string, Json>)) {
      networks[name] = { ipAddress: str(n['IPAddress']), aliases: (n['Aliases'] as string[] | null) ?? [] };
    }
    return {
      id: str(c['Id']),
      name: str(c['Name']).replace(/^\//, ''),
      state: str(state['Status']) as ContainerState,
      running: state['Running'] === true,
      exitCode: num(state['ExitCode']),
      startedAt: str(state['StartedAt']),
      finishedAt: str(state['FinishedAt']),
      health: health === undefined ? 'none' : (str(health['Status']) as HealthStatus),
      healthLog: ((health?.['Log'] as Json[] | undefined) ?? []).map((e) => ({
        exitCode: num(e['ExitCode']),
        output: str(e['Output']),
      })),
      restartCount: num(c['RestartCount']),
      labels: labelsOf(config['Labels']),
      image: str(c['Image']),
      tty: config['Tty'] === true,
      mounts: mountsOf(c['Mounts']),
      networks,
      ports: Object.fromEntries(Object.entries((settings['Ports'] ?? {}) as Record<string, Json[] | null>).map(([key, list]) => [
        key,
        list === null ? null : list.map((b) => ({ hostIp: str(b['HostIp']), hostPort: str(b['HostPort']) })),
      ])),
    };
  }

  async createContainer(name: string, body: ContainerCreateBody, options: CreateContainerOptions = {}): Promise<string> {
    const created = await this.http.json<Json>('POST', '/containers/create', { query: { name, platform: options.platform }, body });
    const warnings = created['Warnings'];
    if (Array.isArray(warnings)) for (const w of warnings) if (typeof w === 'string' && w !== '') options.onWarning?.(w);
    return str(created['Id']);
  }

  async startContainer(id: string): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(id)}/start`, { accept: [304] });
  }

  async stopContainer(id: string, timeoutSeconds?: number): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(id)}/stop`, { query: { t: timeoutSeconds }, accept: [304] });
  }

  async restartContainer(id: string, timeoutSeconds?: number): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(id)}/restart`, { query: { t: timeoutSeconds } });
  }

  async killContainer(id: string, signal?: string): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(id)}/kill`, { query: { signal } });
  }

  async removeContainer(id: string, options: { force: boolean; volumes: boolean }): Promise<void> {
    try {
      await this.http.json('DELETE', `/containers/${encodeURIComponent(id)}`, {
        query: { force: options.force, v: options.volumes },
      });
    } catch (error) {
      // Already gone (or being removed by AutoRemove): the goal is reached.
      if (isStatus(error, 404)) return;
      if (isStatus(error, 409) && String((error as Error).message).includes('already in progress')) return;
      throw error;
    }
  }

  async renameContainer(id: string, name: string): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(id)}/rename`, { query: { name } });
  }

  async pauseContainer(id: string): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(id)}/pause`);
  }

  async unpauseContainer(id: string): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(id)}/unpause`);
  }

  async connectNetwork(network: string, container: string, config: Readonly<Record<string, unknown>>): Promise<void> {
    await this.http.json('POST', `/networks/${encodeURIComponent(network)}/connect`, {
      body: { Container: container, EndpointConfig: config },
    });
  }

  containerLogs(id: string, options: LogOptions, onOutput: OutputHandler): Promise<void> {
    return this.stdio.containerLogs(id, options, onOutput);
  }
  attachContainer(id: string, options: StdioOptions): Promise<StdioSession> {
    return this.stdio.attachContainer(id, options);
  }
  waitContainer(id: string, condition: WaitCondition, signal?: AbortSignal): Promise<number> {
    return this.stdio.waitContainer(id, condition, signal);
  }
  resizeContainer(id: string, size: TerminalSize): Promise<void> {
    return this.stdio.resizeContainer(id, size);
  }
  createExec(container: string, body: ExecCreateBody): Promise<string> {
    return this.stdio.createExec(container, body);
  }
  startExec(id: string, options: StdioOptions): Promise<StdioSession> {
    return this.stdio.startExec(id, options);
  }
  startExecDetached(id: string): Promise<void> {
    return this.stdio.startExecDetached(id);
  }
  inspectExec(id: string): Promise<{ running: boolean; exitCode: number | null }> {
    return this.stdio.inspectExec(id);
  }
  resizeExec(id: string, size: TerminalSize): Promise<void> {
    return this.stdio.resizeExec(id, size);
  }
  topContainer(id: string, psArgs?: string): Promise<ProcessList> {
    return this.stdio.topContainer(id, psArgs);
  }
  statsOnce(id: string): Promise<StatsSample> {
    return this.stdio.statsOnce(id);
  }
  statPath(id: string, path: string): Promise<PathStat | undefined> {
    return this.stdio.statPath(id, path);
  }
  getArchive(id: string, path: string): Promise<Readable> {
    return this.stdio.getArchive(id, path);
  }
  putArchive(id: string, path: string, tar: Buffer, options?: { copyUidGid?: boolean }): Promise<void> {
    return this.stdio.putArchive(id, path, tar, options);
  }

  async disconnectNetwork(network: string, container: string, force: boolean): Promise<void> {
    await this.http.json('POST', `/networks/${encodeURIComponent(network)}/disconnect`, {
      body: { Container: container, Force: force },
    });
  }

  async copyFromContainer(id: string, path: string, folder: string, topName: string, options: { keepOwner: boolean }): Promise<void> {
    const { extractArchive } = await import('./copy-archive.js');
    await extractArchive(await this.stdio.getArchive(id, path), folder, topName, options.keepOwner);
  }

  async copyToContainer(
    id: string, hostPath: string, folder: string, topName: string, options: { keepOwner: boolean; followLinks: boolean },
  ): Promise<void> {
    const { packHostPath } = await import('./copy-archive.js');
    await this.stdio.putArchive(id, folder, await packHostPath(hostPath, topName, options.followLinks), { copyUidGid: options.keepOwner });
  }

  async tailLogs(id: string, lines: number): Promise<string[]> {
    const details = await this.inspectContainer(id);
    const chunks: Buffer[] = [];
    await this.stdio.containerLogs(id, { follow: false, tail: lines, timestamps: false, tty: details.tty }, (_stream, data) => {
      chunks.push(data);
    });
    return splitLines(Buffer.concat(chunks).toString('utf8'));
  }


  async execAndWait(id: string, request: ExecRequest): Promise<ExecOutcome> {
    const created = await this.http.json<Json>('POST', `/containers/${encodeURIComponent(id)}/exec`, {
      body: {
        Cmd: request.command,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        ...(request.user === undefined ? {} : { User: request.user }),
        ...(request.workingDir === undefined ? {} : { WorkingDir: request.workingDir }),
        ...(request.env === undefined ? {} : { Env: request.env }),
        ...(request.privileged === undefined ? {} : { Privileged: request.privileged }),
      },
    });
    const execId = str(created['Id']);
    // Without Detach the engine streams the output and ends the response when the command exits.
    const data = await this.http.buffer('POST', `/exec/${execId}/start`, { body: { Detach: false, Tty: false } });
    const { stdout, stderr } = demuxFrames(data);
    // The output can end a moment before the engine records the exit code: ask until it has one.
    for (let attempt = 0; attempt < 100; attempt++) {
      const inspected = await this.http.json<Json>('GET', `/exec/${execId}/json`);
      if (inspected['Running'] !== true && typeof inspected['ExitCode'] === 'number') {
        return { exitCode: inspected['ExitCode'], stdout, stderr, output: stdout + stderr };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new EngineError(`the engine gave no exit code for the command ${request.command.join(' ')}`);
  }

  async putFiles(id: string, files: readonly FileToCopy[]): Promise<void> {
    const tar = buildTar(files.map((f) => ({
      path: f.path.replace(/^\/+/, ''), content: Buffer.from(f.content), mode: f.mode, uid: f.uid, gid: f.gid,
    })));
    // Without copyUIDGID the engine gives every file to root, whatever the archive says.
    const owned = files.some((f) => f.uid !== 0 || f.gid !== 0);
    await this.http.json('PUT', `/containers/${encodeURIComponent(id)}/archive`, {
      query: { path: '/', copyUIDGID: owned ? true : undefined },
      rawBody: { data: tar, contentType: 'application/x-tar' },
    });
  }

  async listNetworks(labels: readonly string[]): Promise<NetworkSummary[]> {
    const list = await this.http.json<Json[]>('GET', '/networks', { query: { filters: labelFilters(labels) } });
    return list.map(toNetwork);
  }

  async findNetwork(name: string): Promise<NetworkSummary | undefined> {
    const list = await this.http.json<Json[]>('GET', '/networks', { query: { filters: JSON.stringify({ name: [name] }) } });
    // The name filter matches substrings: keep the exact one.
    const found = list.find((n) => n['Name'] === name);
    return found === undefined ? undefined : toNetwork(found);
  }

  async createNetwork(body: NetworkCreateBody): Promise<string> {
    const created = await this.http.json<Json>('POST', '/networks/create', { body: { CheckDuplicate: true, ...body } });
    return str(created['Id']);
  }

  async removeNetwork(id: string): Promise<void> {
    try {
      await this.http.json('DELETE', `/networks/${encodeURIComponent(id)}`);
    } catch (error) {
      if (isStatus(error, 404)) return;
      if (isStatus(error, 403) && /active endpoints/.test((error as Error).message)) throw await this.explainActiveEndpoints(id, error as EngineError);
      throw error;
    }
  }

  /**
   * A 403 "has active endpoints" is either a container still attached, or dockerd 20.10's lost
   * endpoint-count decrement (moby/moby#42119): no container left, yet the network can never be removed.
   */
  private async explainActiveEndpoints(id: string, original: EngineError): Promise<EngineError> {
    const network = await this.http.json<Json>('GET', `/networks/${encodeURIComponent(id)}`).catch(() => undefined);
    const name = str(network?.['Name']) || id;
    const attached = Object.values((network?.['Containers'] ?? {}) as Record<string, Json>).map((c) => str(c['Name'])).filter((n) => n !== '');
    if (attached.length > 0) {
      return new EngineError(`network ${name} is still in use by ${attached.sort().join(', ')}`, {
        statusCode: 403,
        hint: 'remove or disconnect those containers (they may belong to another project), then run the command again',
        cause: original,
      });
    }
    return new EngineError(
      `network ${name} cannot be removed: the engine says it has active endpoints, but no container is attached to it ` +
      '(dockerd 20.10 lost an endpoint count while many containers were removed at once: moby/moby#42119)',
      {
        statusCode: 403,
        hint: 'nothing tscompose or docker can do clears this: only restarting dockerd does (e.g. `systemctl restart docker`); ' +
          'every other resource was removed',
        cause: original,
      },
    );
  }

  async listVolumes(labels: readonly string[]): Promise<VolumeSummary[]> {
    const result = await this.http.json<{ Volumes: Json[] | null }>('GET', '/volumes', {
      query: { filters: labelFilters(labels) },
    });
    return (result.Volumes ?? []).map(toVolume);
  }

  async findVolume(name: string): Promise<VolumeSummary | undefined> {
    try {
      return toVolume(await this.http.json<Json>('GET', `/volumes/${encodeURIComponent(name)}`));
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async createVolume(body: VolumeCreateBody): Promise<void> {
    await this.http.json('POST', '/volumes/create', { body });
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.http.json('DELETE', `/volumes/${encodeURIComponent(name)}`);
    } catch (error) {
      if (isStatus(error, 404)) return;
      throw error;
    }
  }

  async listImages(options: { labels?: readonly string[]; reference?: string }): Promise<ImageSummary[]> {
    const filters: Record<string, readonly string[]> = {};
    if (options.labels !== undefined) filters['label'] = options.labels;
    if (options.reference !== undefined) filters['reference'] = [options.reference];
    const list = await this.http.json<Json[]>('GET', '/images/json', { query: { filters: JSON.stringify(filters) } });
    return list.map((i) => ({
      id: str(i['Id']),
      repoTags: (i['RepoTags'] as string[] | null) ?? [],
      labels: labelsOf(i['Labels']),
      created: num(i['Created']),
      size: num(i['Size']),
    }));
  }

  async inspectImage(name: string): Promise<ImageDetails | undefined> {
    try {
      const image = await this.http.json<Json>('GET', `/images/${encodeURIComponent(name)}/json`);
      return {
        id: str(image['Id']),
        labels: labelsOf((image['Config'] as Json | undefined)?.['Labels']),
        lastTagTime: str((image['Metadata'] as Json | undefined)?.['LastTagTime']),
        size: num(image['Size']),
      };
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async removeImage(name: string, force = false): Promise<void> {
    await this.http.json('DELETE', `/images/${encodeURIComponent(name)}`, { query: { force } });
  }

  async pullImage(reference: string, onProgress?: (status: string) => void, platform?: string): Promise<void> {
    const { name, tag } = splitReference(reference);
    await this.registryStream('pull', reference, 'POST', '/images/create', { fromImage: name, tag, platform }, onProgress);
  }

  async pushImage(reference: string, onProgress?: (status: string) => void): Promise<void> {
    const { name, tag } = splitReference(reference);
    await this.registryStream('push', reference, 'POST', `/images/${encodeURIComponent(name)}/push`, { tag }, onProgress);
  }

  /** A pull or push: credentials in, JSON status lines out, registry failures made readable. */
  private async registryStream(
    action: 'pull' | 'push',
    reference: string,
    method: string,
    path: string,
    query: Record<string, string | undefined>,
    onProgress?: (status: string) => void,
  ): Promise<void> {
    const registry = registryOf(reference);
    const fail = async (message: string) => registryFailure(action, reference, registry, message, {
      configPath: this.dockerConfig.path,
      hasCredentials: (await this.dockerConfig.credentials(registry)) !== undefined,
    });
    let response;
    try {
      response = await this.http.stream(method, path, {
        query,
        headers: { 'X-Registry-Auth': await this.dockerConfig.authHeader(registry) },
      });
    } catch (error) {
      if (error instanceof EngineError && error.statusCode !== undefined) throw await fail(error.message);
      throw error;
    }
    const lines = createInterface({ input: response, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const message = JSON.parse(line) as Json;
      if (typeof message['error'] === 'string') {
        response.destroy();
        throw await fail(message['error']);
      }
      const status = [message['id'], message['status'], message['progress']].filter((p) => typeof p === 'string').join(' ');
      if (status !== '') onProgress?.(status);
    }
  }

  async buildImage(request: BuildRequest, onOutput?: (line: string) => void): Promise<string> {
    const { listContext, packContext, resolveDockerfile } = await import('./build-context.js');
    const { readBuildOutput } = await import('./build-output.js');
    const dockerfile = await resolveDockerfile(request);
    const entries = await listContext(request.context, dockerfile);
    const registryConfig = await this.dockerConfig.buildHeader();
    const image = request.tags[0] ?? request.context;
    let response;
    try {
      response = await this.http.stream('POST', '/build', {
        query: {
          t: request.tags,
          dockerfile: dockerfile.name,
          buildargs: JSON.stringify(request.args),
          labels: JSON.stringify(request.labels),
          target: request.target,
          networkmode: request.network,
          extrahosts: request.extraHosts,
          shmsize: request.shmSize,
          nocache: request.noCache,
          pull: request.pull ? '1' : undefined,
          cachefrom: request.cacheFrom.length === 0 ? undefined : JSON.stringify(request.cacheFrom),
          platform: request.platform,
          rm: true,
          forcerm: true,
        },
        upload: await packContext(entries, dockerfile),
        headers: {
          'Content-Type': 'application/x-tar',
          ...(registryConfig === undefined ? {} : { 'X-Registry-Config': registryConfig }),
        },
      });
    } catch (error) {
      if (error instanceof EngineError && error.statusCode !== undefined) throw new BuildError(image, error.message);
      throw error;
    }
    return readBuildOutput(response, image, onOutput);
  }

  async digestBuildInputs(request: Pick<BuildRequest, 'context' | 'dockerfile' | 'dockerfileInline'>): Promise<BuildInputsDigest> {
    const { digestBuildInputs } = await import('./build-context.js');
    return digestBuildInputs(request);
  }

  events(filters: Readonly<Record<string, readonly string[]>>, signal: AbortSignal): AsyncIterable<EngineEvent> {
    // The subscription reaches the engine some time after this call; asking for the events since
    // the call replays what happened in between (a container that dies at once), which would
    // otherwise be lost and leave a waiter waiting for ever.
    const now = Date.now();
    const since = `${Math.floor(now / 1000)}.${String((now % 1000) * 1e6).padStart(9, '0')}`;
    return this.streamEvents(filters, since, signal);
  }

  private async *streamEvents(
    filters: Readonly<Record<string, readonly string[]>>,
    since: string,
    signal: AbortSignal,
  ): AsyncIterable<EngineEvent> {
    let response;
    try {
      response = await this.http.stream('GET', '/events', { query: { filters: JSON.stringify(filters), since }, signal });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    const lines = createInterface({ input: response, crlfDelay: Infinity });
    // Destroying the response alone does not end readline's iterator: close it too.
    const onAbort = () => {
      lines.close();
      response.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const line of lines) {
        if (line.trim() === '') continue;
        const e = JSON.parse(line) as Json;
        const actor = (e['Actor'] ?? {}) as Json;
        yield {
          type: str(e['Type']),
          action: str(e['Action']),
          id: str(actor['ID']),
          attributes: labelsOf(actor['Attributes']),
          timeNano: num(e['timeNano']),
        };
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      response.destroy();
    }
  }
}

/** `registry:5000/a/b:tag` → name and tag; a digest stays in the name. */
function splitReference(reference: string): { name: string; tag: string | undefined } {
  if (reference.includes('@')) return { name: reference, tag: undefined };
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.indexOf(':', lastSlash + 1);
  return colon === -1 ? { name: reference, tag: 'latest' } : { name: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

function toNetwork(n: Json): NetworkSummary {
  return { id: str(n['Id']), name: str(n['Name']), driver: str(n['Driver']), labels: labelsOf(n['Labels']) };
}

function toVolume(v: Json): VolumeSummary {
  return { name: str(v['Name']), driver: str(v['Driver']), labels: labelsOf(v['Labels']) };
}
