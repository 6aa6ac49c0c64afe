import type { Readable } from 'node:stream';
import { EngineError } from '../errors.js';
import { outputReader } from './demux.js';
import type {
  ExecCreateBody, LogOptions, OutputHandler, PathStat, ProcessList, StatsSample, StdioOptions, StdioSession, TerminalSize,
  WaitCondition,
} from './engine.js';
import { hijack } from './hijack.js';
import { closeWrite } from './transport.js';
import { isStatus, type EngineHttpClient } from './http-client.js';
import type { EngineAddress } from './docker-host.js';

type Json = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const id = (value: string): string => encodeURIComponent(value);

/** The streaming and hijacking calls: logs, attach, exec, wait, top, stats and the archive API. */
export class DockerStdio {
  constructor(private readonly http: EngineHttpClient, private readonly address: EngineAddress) {}

  async containerLogs(container: string, options: LogOptions, onOutput: OutputHandler): Promise<void> {
    let response;
    try {
      response = await this.http.stream('GET', `/containers/${id(container)}/logs`, {
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

  attachContainer(container: string, options: StdioOptions): Promise<StdioSession> {
    const query = `stream=1&stdout=1&stderr=1${options.stdin ? '&stdin=1' : ''}`;
    return this.session(`/containers/${id(container)}/attach?${query}`, undefined, options);
  }

  async waitContainer(container: string, condition: WaitCondition, signal?: AbortSignal): Promise<number> {
    const result = await this.http.json<Json>('POST', `/containers/${id(container)}/wait`, {
      query: { condition },
      ...(signal === undefined ? {} : { signal }),
    });
    return num(result['StatusCode']);
  }

  async resizeContainer(container: string, size: TerminalSize): Promise<void> {
    await this.http.json('POST', `/containers/${id(container)}/resize`, { query: { h: size.rows, w: size.columns } });
  }

  async createExec(container: string, body: ExecCreateBody): Promise<string> {
    const created = await this.http.json<Json>('POST', `/containers/${id(container)}/exec`, { body });
    return String(created['Id'] ?? '');
  }

  startExec(exec: string, options: StdioOptions): Promise<StdioSession> {
    return this.session(`/exec/${id(exec)}/start`, { Detach: false, Tty: options.tty }, options);
  }

  async startExecDetached(exec: string): Promise<void> {
    await this.http.json('POST', `/exec/${id(exec)}/start`, { body: { Detach: true, Tty: false } });
  }

  async inspectExec(exec: string): Promise<{ running: boolean; exitCode: number | null }> {
    const info = await this.http.json<Json>('GET', `/exec/${id(exec)}/json`);
    return { running: info['Running'] === true, exitCode: typeof info['ExitCode'] === 'number' ? info['ExitCode'] : null };
  }

  async resizeExec(exec: string, size: TerminalSize): Promise<void> {
    await this.http.json('POST', `/exec/${id(exec)}/resize`, { query: { h: size.rows, w: size.columns } });
  }

  async topContainer(container: string, psArgs?: string): Promise<ProcessList> {
    const top = await this.http.json<Json>('GET', `/containers/${id(container)}/top`, { query: { ps_args: psArgs } });
    return {
      titles: (top['Titles'] as string[] | null) ?? [],
      processes: (top['Processes'] as string[][] | null) ?? [],
    };
  }

  async statsOnce(container: string): Promise<StatsSample> {
    const s = await this.http.json<Json>('GET', `/containers/${id(container)}/stats`, { query: { stream: false } });
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

  async statPath(container: string, path: string): Promise<PathStat | undefined> {
    let response;
    try {
      response = await this.http.stream('HEAD', `/containers/${id(container)}/archive`, { query: { path } });
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
    response.resume();
    const header = response.headers['x-docker-container-path-stat'];
    if (typeof header !== 'string') throw new EngineError(`the engine gave no stat for ${path}`);
    const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Json;
    return { name: String(stat['name'] ?? ''), size: num(stat['size']), mode: num(stat['mode']), linkTarget: String(stat['linkTarget'] ?? '') };
  }

  async getArchive(container: string, path: string): Promise<Readable> {
    return this.http.stream('GET', `/containers/${id(container)}/archive`, { query: { path } });
  }

  async putArchive(container: string, path: string, tar: Buffer, options: { copyUidGid?: boolean } = {}): Promise<void> {
    await this.http.raw('PUT', `/containers/${id(container)}/archive`, tar, 'application/x-tar', {
      path,
      noOverwriteDirNonDir: true,
      copyUIDGID: options.copyUidGid === true ? true : undefined,
    });
  }

  private async session(path: string, body: unknown, options: StdioOptions): Promise<StdioSession> {
    const socket = await hijack(this.address, path, body);
    const read = outputReader(options.tty, options.onOutput);
    const done = new Promise<void>((resolve) => {
      socket.on('data', read);
      socket.on('end', resolve);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    socket.resume();
    return {
      done,
      write: (data) => {
        if (!socket.destroyed && socket.writable) socket.write(data);
      },
      endInput: () => {
        if (!socket.destroyed && socket.writable) closeWrite(socket);
      },
      close: () => socket.destroy(),
    };
  }
}
