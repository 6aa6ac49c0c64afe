import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest, type AgentOptions, type ClientRequestArgs } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { EngineUnavailableError } from '../errors.js';
import type { EngineAddress } from './docker-host.js';
import type { Transport } from './transport.js';

type SshAddress = Extract<EngineAddress, { kind: 'ssh' }>;

/**
 * The arguments the Docker CLI gives ssh: a timeout, no pseudo-terminal, the remote `docker system
 * dial-stdio`; `multiplex`: ours, to share one ssh connection (see Multiplexer).
 */
export function sshArguments(address: SshAddress, multiplex: readonly string[] = []): string[] {
  return [
    ...multiplex,
    '-o', 'ConnectTimeout=30',
    '-T',
    ...(address.user === undefined ? [] : ['-l', address.user]),
    ...(address.port === undefined ? [] : ['-p', String(address.port)]),
    '--', address.host,
    'docker', 'system', 'dial-stdio',
  ];
}

/**
 * One byte stream to the remote engine: the system `ssh` running `docker system dial-stdio`, which
 * joins its stdin and stdout to the remote engine's socket. HTTP runs over it as over any socket.
 */
class DialStdio extends Duplex {
  private readonly child: ChildProcess;

  private stderr = '';
  private gotData = false;

  constructor(private readonly address: SshAddress, command: string, multiplex: readonly string[] = []) {
    super({ allowHalfOpen: false });
    this.child = spawn(command, sshArguments(address, multiplex), { stdio: ['pipe', 'pipe', 'pipe'] });
    const { stdout, stdin, stderr } = this.child;
    stdout?.on('data', (chunk: Buffer) => {
      this.gotData = true;
      if (!this.push(chunk)) stdout.pause();
    });
    // Without any data, wait for ssh's exit status: its stderr says why (refused key, no docker there).
    stdout?.on('end', () => {
      if (this.gotData) this.push(null);
    });
    stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2000);
    });
    stdin?.on('error', () => undefined);
    this.child.on('error', (error: NodeJS.ErrnoException) => this.destroy(this.failure(error.code === 'ENOENT'
      ? `the ssh command was not found (${error.message})`
      : error.message)));
    this.child.on('exit', (code, signal) => {
      if (this.destroyed) return;
      if (!this.gotData) {
        this.destroy(this.failure(this.stderr.trim() || `ssh exited with ${code ?? signal ?? 'no status'} before the engine answered`));
      } else this.push(null);
    });
  }

  private failure(reason: string): EngineUnavailableError {
    const error = new EngineUnavailableError(`ssh to ${this.address.display} failed: ${reason}`, {
      hint: 'check that `ssh` reaches the host with a key (ssh-agent or ~/.ssh/config) and that the remote user can run ' +
        `\`docker system dial-stdio\` (chosen by ${this.address.source})`,
    });
    // node:http reports socket errors by code; this one carries its own message.
    Object.assign(error, { code: 'ESSHDIAL' });
    return error;
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const stdin = this.child.stdin;
    if (stdin === null || stdin.destroyed) {
      callback(this.failure('the connection is closed'));
      return;
    }
    stdin.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    callback(error);
  }

  // What node:http expects of a socket; a pooled connection must not hold the process open.
  setKeepAlive(): this { return this; }
  setNoDelay(): this { return this; }
  setTimeout(): this { return this; }
  ref(): this {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as { ref?: () => void } | null)?.ref?.();
    return this;
  }
  unref(): this {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as { unref?: () => void } | null)?.unref?.();
    return this;
  }
}

/**
 * One ssh login for the whole run (OpenSSH connection sharing). The first stream's ssh is a
 * ControlMaster with ControlPersist on a control socket in a private temp directory: after login it
 * forks the master into the background and itself becomes a session through it. Every later stream,
 * pooled or hijacked, waits until the socket is there and is a session over the same connection
 * (`ControlMaster=no`): a channel and a remote `docker system dial-stdio`, not a TCP connection, key
 * exchange and login each. The master leaves on its own a moment after its last session closes,
 * which our exit (or a crash) brings about. If the first stream fails, later ones connect on their
 * own and report ssh's own reason.
 */
export class Multiplexer {
  private ready: Promise<string[]> | undefined;
  private readonly dir: string;
  private readonly socket: string;
  /** Sessions open through the shared connection, the master's own included. */
  private live = 0;

  constructor() {
    // Short: a unix socket path must stay under ~100 bytes.
    this.dir = mkdtempSync(join(tmpdir(), 'tsc-ssh-'));
    this.socket = join(this.dir, 'mux');
    process.once('exit', () => rmSync(this.dir, { recursive: true, force: true }));
  }

  /**
   * The ssh options of the next stream; `first`: it makes the master, call `watch` with it. A
   * stream through the shared connection must call `closed` when it ends. Past MUX_SESSIONS open
   * at once, a stream logs in on its own: sshd refuses more sessions on one connection
   * (MaxSessions, 10 by default), and a long stream (logs -f) must never wait for another to end.
   */
  async options(): Promise<{ readonly options: string[]; readonly first: boolean; readonly shared: boolean }> {
    if (this.ready === undefined) {
      this.ready = new Promise((resolve) => {
        this.settle = resolve;
      });
      this.live++;
      return { options: ['-o', 'ControlMaster=yes', '-o', `ControlPath=${this.socket}`, '-o', 'ControlPersist=2'], first: true, shared: true };
    }
    const options = await this.ready;
    if (options.length === 0 || this.live >= MUX_SESSIONS) return { options: [], first: false, shared: false };
    this.live++;
    return { options, first: false, shared: true };
  }

  /** A stream through the shared connection ended. */
  closed(): void {
    this.live--;
  }

  private settle: ((options: string[]) => void) | undefined;

  /** The first stream: later ones go through its master once the control socket exists, or alone if it closes first. */
  watch(stream: Duplex): void {
    const done = (options: string[]): void => {
      clearInterval(poll);
      this.settle?.(options);
    };
    const poll = setInterval(() => {
      if (existsSync(this.socket)) done(['-o', 'ControlMaster=no', '-o', `ControlPath=${this.socket}`]);
    }, 15);
    stream.once('close', () => done(existsSync(this.socket) ? ['-o', 'ControlMaster=no', '-o', `ControlPath=${this.socket}`] : []));
  }
}

/** Sessions one shared ssh connection carries at once, under sshd's default MaxSessions of 10. */
const MUX_SESSIONS = 8;

class DialStdioAgent extends Agent {
  constructor(
    private readonly address: SshAddress,
    private readonly command: string,
    private readonly mux: Multiplexer,
    options: AgentOptions,
  ) {
    super(options);
  }

  // node:http takes a socket given through the callback as one returned.
  override createConnection(_options: ClientRequestArgs, callback?: (error: Error | null, socket: Duplex) => void): undefined {
    void this.mux.options().then(({ options, first, shared }) => {
      const stream = new DialStdio(this.address, this.command, options);
      if (first) this.mux.watch(stream);
      if (shared) stream.once('close', () => this.mux.closed());
      callback?.(null, stream);
    });
    return undefined;
  }
}

/**
 * Requests over ssh: pooled keep-alive streams (each a remote `docker system dial-stdio`, as many
 * as requests run at once: a follow holds its stream for as long as it lasts), hijacked calls on
 * streams of their own, over one ssh connection up to MUX_SESSIONS streams at once.
 */
export function sshTransport(address: SshAddress, command = 'ssh'): Transport {
  const mux = new Multiplexer();
  const pool = new DialStdioAgent(address, command, mux, { keepAlive: true });
  const single = (): DialStdioAgent => new DialStdioAgent(address, command, mux, { keepAlive: false });
  return {
    request: (options, own) => httpRequest({ ...options, host: 'docker', agent: own ? single() : pool }),
    connectionFailure: (error) => (error instanceof EngineUnavailableError ? error : undefined),
  };
}
