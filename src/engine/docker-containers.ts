import { EngineError, StaleTaskError } from '../errors.js';
import type { EngineAddress } from './docker-host.js';
import { outputReader, splitLines } from './demux.js';
import type {
  CommitOptions, ContainerCreateBody, ContainerDetails, ContainerState, ContainerSummary, CreateContainerOptions, EngineContainers, FileToCopy, HealthStatus, LogOptions,
  OutputHandler, PathStat, ProcessList, StatsSample, StdioOptions, StdioSession, TerminalSize, WaitCondition,
} from './engine.js';
import { isStatus, type EngineHttpClient } from './http-client.js';
import { labelFilters, labelsOf, mountsOf, num, seg, str, type Json } from './json-fields.js';
import { openStdioSession } from './stdio-session.js';
import { buildTar } from './tar.js';

/** /containers/*: lifecycle, logs, attach, top, stats and the archive API. */
export class DockerContainers implements EngineContainers {
  constructor(private readonly http: EngineHttpClient, private readonly address: EngineAddress) {}

  async list(options: { all: boolean; labels: readonly string[] }): Promise<ContainerSummary[]> {
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
        networkIds: Object.fromEntries(Object.entries(networks).map(([name, n]) => [name, str((n as Json | null)?.['NetworkID'])])),
        mounts: mountsOf(c['Mounts']),
      };
    });
  }

  async inspect(id: string): Promise<ContainerDetails> {
    const c = await this.http.json<Json>('GET', `/containers/${seg(id)}/json`);
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

  async create(name: string, body: ContainerCreateBody, options: CreateContainerOptions = {}): Promise<string> {
    const created = await this.http.json<Json>('POST', '/containers/create', { query: { name, platform: options.platform }, body });
    const warnings = created['Warnings'];
    if (Array.isArray(warnings)) for (const w of warnings) if (typeof w === 'string' && w !== '') options.onWarning?.(w);
    return str(created['Id']);
  }

  async start(id: string): Promise<void> {
    try {
      await this.http.json('POST', `/containers/${seg(id)}/start`, { accept: [304] });
    } catch (error) {
      throw staleTask(error) ?? error;
    }
  }

  async stop(id: string, timeoutSeconds?: number): Promise<void> {
    await this.http.json('POST', `/containers/${seg(id)}/stop`, { query: { t: timeoutSeconds }, accept: [304] });
  }

  async restart(id: string, timeoutSeconds?: number): Promise<void> {
    try {
      await this.http.json('POST', `/containers/${seg(id)}/restart`, { query: { t: timeoutSeconds } });
    } catch (error) {
      throw staleTask(error) ?? error;
    }
  }

  async kill(id: string, signal?: string): Promise<void> {
    await this.http.json('POST', `/containers/${seg(id)}/kill`, { query: { signal } });
  }

  async remove(id: string, options: { force: boolean; volumes: boolean }): Promise<void> {
    try {
      await this.http.json('DELETE', `/containers/${seg(id)}`, { query: { force: options.force, v: options.volumes } });
    } catch (error) {
      // Already gone (or being removed by AutoRemove): the goal is reached.
      if (isStatus(error, 404)) return;
      if (isStatus(error, 409) && String((error as Error).message).includes('already in progress')) return;
      throw error;
    }
  }

  async rename(id: string, name: string): Promise<void> {
    await this.http.json('POST', `/containers/${seg(id)}/rename`, { query: { name } });
  }

  async pause(id: string): Promise<void> {
    await this.http.json('POST', `/containers/${seg(id)}/pause`);
  }

  async unpause(id: string): Promise<void> {
    await this.http.json('POST', `/containers/${seg(id)}/unpause`);
  }

  async wait(id: string, condition: WaitCondition, signal?: AbortSignal): Promise<number> {
    const result = await this.http.json<Json>('POST', `/containers/${seg(id)}/wait`, {
      query: { condition },
      ...(signal === undefined ? {} : { signal }),
    });
    return num(result['StatusCode']);
  }

  async logs(id: string, options: LogOptions, onOutput: OutputHandler): Promise<void> {
    let response;
    try {
      response = await this.http.stream('GET', `/containers/${seg(id)}/logs`, {
        query: {
          stdout: true,
          stderr: true,
          follow: options.follow,
          timestamps: options.timestamps,
          tail: options.tail === undefined ? 'all' : options.tail,
          since: options.since,
          until: options.until,
        },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      if (options.signal?.aborted === true) return;
      throw error;
    }
    const read = outputReader(options.tty, onOutput);
    await new Promise<void>((resolve) => {
      response.on('data', read);
      response.on('end', resolve);
      response.on('close', resolve);
      response.on('error', () => resolve());
    });
  }

  async tailLogs(id: string, lines: number): Promise<string[]> {
    const details = await this.inspect(id);
    const chunks: Buffer[] = [];
    await this.logs(id, { follow: false, tail: lines, timestamps: false, tty: details.tty }, (_stream, data) => {
      chunks.push(data);
    });
    return splitLines(Buffer.concat(chunks).toString('utf8'));
  }

  attach(id: string, options: StdioOptions): Promise<StdioSession> {
    const keys = options.detachKeys === undefined ? '' : `&detachKeys=${encodeURIComponent(options.detachKeys)}`;
    const query = `stream=1&stdout=1&stderr=1${options.stdin ? '&stdin=1' : ''}${keys}`;
    return openStdioSession(this.address, `/containers/${seg(id)}/attach?${query}`, undefined, options);
  }

  async resize(id: string, size: TerminalSize): Promise<void> {
    await this.http.json('POST', `/containers/${seg(id)}/resize`, { query: { h: size.rows, w: size.columns } });
  }

  async top(id: string, psArgs?: string): Promise<ProcessList> {
    const top = await this.http.json<Json>('GET', `/containers/${seg(id)}/top`, { query: { ps_args: psArgs } });
    return {
      titles: (top['Titles'] as string[] | null) ?? [],
      processes: (top['Processes'] as string[][] | null) ?? [],
    };
  }

  async stats(id: string): Promise<StatsSample> {
    return toStatsSample(await this.http.json<Json>('GET', `/containers/${seg(id)}/stats`, { query: { stream: false } }));
  }

  async streamStats(id: string, onSample: (sample: StatsSample) => void, signal: AbortSignal): Promise<void> {
    let response;
    try {
      response = await this.http.stream('GET', `/containers/${seg(id)}/stats`, { query: { stream: true }, signal });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    let pending = '';
    try {
      for await (const chunk of response) {
        pending += (chunk as Buffer).toString('utf8');
        let newline;
        while ((newline = pending.indexOf('\n')) !== -1) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line !== '') onSample(toStatsSample(JSON.parse(line) as Json));
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  async exportFilesystem(id: string): Promise<NodeJS.ReadableStream> {
    return this.http.stream('GET', `/containers/${seg(id)}/export`);
  }

  async commit(id: string, options: CommitOptions): Promise<string> {
    const { repo, tag } = splitReference(options.reference);
    const result = await this.http.json<Json>('POST', '/commit', {
      query: {
        container: id,
        repo,
        tag,
        author: options.author,
        comment: options.comment,
        pause: options.pause,
        changes: options.changes.length === 0 ? undefined : options.changes,
      },
      body: {},
    });
    return str(result['Id']);
  }

  async getArchive(id: string, path: string): Promise<NodeJS.ReadableStream> {
    return this.http.stream('GET', `/containers/${seg(id)}/archive`, { query: { path } });
  }

  async putArchive(
    id: string, folder: string, tar: NodeJS.ReadableStream | Buffer, options: { keepOwner?: boolean; noOverwrite?: boolean } = {},
  ): Promise<void> {
    const query = {
      path: folder,
      noOverwriteDirNonDir: options.noOverwrite === true ? true : undefined,
      copyUIDGID: options.keepOwner === true ? true : undefined,
    };
    if (Buffer.isBuffer(tar)) {
      await this.http.raw('PUT', `/containers/${seg(id)}/archive`, tar, 'application/x-tar', query);
      return;
    }
    const response = await this.http.stream('PUT', `/containers/${seg(id)}/archive`, {
      query,
      upload: tar,
      headers: { 'Content-Type': 'application/x-tar' },
    });
    response.resume();
    await new Promise((resolve) => response.on('end', resolve));
  }

  async statPath(id: string, path: string): Promise<PathStat | undefined> {
    let response;
    try {
      response = await this.http.stream('HEAD', `/containers/${seg(id)}/archive`, { query: { path } });
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
    response.resume();
    const header = response.headers['x-docker-container-path-stat'];
    if (typeof header !== 'string') throw new EngineError(`the engine gave no stat for ${path}`);
    const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Json;
    return { name: str(stat['name']), size: num(stat['size']), mode: num(stat['mode']), linkTarget: str(stat['linkTarget']) };
  }

  async copyFrom(id: string, path: string, folder: string, topName: string, options: { keepOwner: boolean }): Promise<void> {
    const { extractArchive } = await import('./copy-archive.js');
    const archive = await this.http.stream('GET', `/containers/${seg(id)}/archive`, { query: { path } });
    await extractArchive(archive, folder, topName, options.keepOwner);
  }

  async copyTo(
    id: string, hostPath: string, folder: string, topName: string, options: { keepOwner: boolean; followLinks: boolean },
  ): Promise<void> {
    const { packHostPath } = await import('./copy-archive.js');
    await this.http.raw('PUT', `/containers/${seg(id)}/archive`, await packHostPath(hostPath, topName, options.followLinks), 'application/x-tar', {
      path: folder,
      noOverwriteDirNonDir: true,
      copyUIDGID: options.keepOwner ? true : undefined,
    });
  }

  async putFiles(id: string, files: readonly FileToCopy[]): Promise<void> {
    const tar = buildTar(files.map((f) => ({
      path: f.path.replace(/^\/+/, ''), content: Buffer.from(f.content), mode: f.mode, uid: f.uid, gid: f.gid,
    })));
    // Without copyUIDGID the engine gives every file to root, whatever the archive says.
    const owned = files.some((f) => f.uid !== 0 || f.gid !== 0);
    await this.http.raw('PUT', `/containers/${seg(id)}/archive`, tar, 'application/x-tar', { path: '/', copyUIDGID: owned ? true : undefined });
  }
}

function toStatsSample(s: Json): StatsSample {
  const cpu = (s['cpu_stats'] ?? {}) as Json;
  const pre = (s['precpu_stats'] ?? {}) as Json;
  const memory = (s['memory_stats'] ?? {}) as Json;
  const memoryDetail = (memory['stats'] ?? {}) as Json;
  const networks = Object.values((s['networks'] ?? {}) as Record<string, Json>);
  const blkio = (((s['blkio_stats'] ?? {}) as Json)['io_service_bytes_recursive'] as Json[] | null) ?? [];
  const blockOf = (op: string): number => blkio
    .filter((e) => String(e['op']).toLowerCase() === op)
    .reduce((sum, e) => sum + num(e['value']), 0);
  return {
    cpuTotal: num(((cpu['cpu_usage'] ?? {}) as Json)['total_usage']),
    preCpuTotal: num(((pre['cpu_usage'] ?? {}) as Json)['total_usage']),
    systemCpu: num(cpu['system_cpu_usage']),
    preSystemCpu: num(pre['system_cpu_usage']),
    onlineCpus: num(cpu['online_cpus']) || 1,
    memoryUsage: num(memory['usage']),
    memoryLimit: num(memory['limit']),
    // cgroup v2 reports inactive_file, v1 total_inactive_file.
    memoryCache: num(memoryDetail['inactive_file']) || num(memoryDetail['total_inactive_file']),
    networkRx: networks.reduce((sum, n) => sum + num(n['rx_bytes']), 0),
    networkTx: networks.reduce((sum, n) => sum + num(n['tx_bytes']), 0),
    blockRead: blockOf('read'),
    blockWrite: blockOf('write'),
    pids: num(((s['pids_stats'] ?? {}) as Json)['current']),
  };
}

/** `repo:tag` split at the last colon after the last slash (a registry port is not a tag). */
function splitReference(reference: string | undefined): { repo?: string; tag?: string } {
  if (reference === undefined || reference === '') return {};
  const slash = reference.lastIndexOf('/');
  const colon = reference.indexOf(':', slash + 1);
  return colon === -1 ? { repo: reference } : { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

/** A start (or the start half of a restart) refused because a task of the container outlived an engine restart (moby/moby#50040). */
function staleTask(error: unknown): StaleTaskError | undefined {
  if (!(error instanceof EngineError) || !/failed to start shim: mkdir \S+: file exists/.test(error.message)) return undefined;
  return new StaleTaskError(error.message, {
    ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
    hint: 'the engine kept a task of this container from before it restarted (moby/moby#50040): `up -d` replaces the container ' +
      '(its volumes kept), or restart the engine',
    cause: error,
  });
}
