import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest, type AgentOptions } from 'node:http';
import { Duplex } from 'node:stream';
import { EngineUnavailableError } from '../errors.js';
import type { EngineAddress } from './docker-host.js';
import type { Transport } from './transport.js';

type SshAddress = Extract<EngineAddress, { kind: 'ssh' }>;

/** The arguments the Docker CLI gives ssh: a timeout, no pseudo-terminal, the remote `docker system dial-stdio`. */
export function sshArguments(address: SshAddress): string[] {
  return [
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

  constructor(private readonly address: SshAddress, command: string) {
    super({ allowHalfOpen: false });
    this.child = spawn(command, sshArguments(address), { stdio: ['pipe', 'pipe', 'pipe'] });
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

class DialStdioAgent extends Agent {
  constructor(private readonly address: SshAddress, private readonly command: string, options: AgentOptions) {
    super(options);
  }

  override createConnection(): Duplex {
    return new DialStdio(this.address, this.command);
  }
}

/**
 * Requests over ssh: pooled keep-alive connections (each one ssh process) so a command pays the
 * ssh handshake once per parallel request, not once per request; hijacked calls get their own.
 */
export function sshTransport(address: SshAddress, command = 'ssh'): Transport {
  const pool = new DialStdioAgent(address, command, { keepAlive: true, maxSockets: 8 });
  const single = (): DialStdioAgent => new DialStdioAgent(address, command, { keepAlive: false });
  return {
    request: (options, own) => httpRequest({ ...options, host: 'docker', agent: own ? single() : pool }),
    connectionFailure: (error) => (error instanceof EngineUnavailableError ? error : undefined),
  };
}
