import { EngineError } from '../errors.js';
import type { EngineAddress } from './docker-host.js';
import { demuxFrames } from './demux.js';
import type { EngineExec, ExecOutcome, ExecRequest, InteractiveExecRequest, StdioOptions, StdioSession, TerminalSize } from './engine.js';
import type { EngineHttpClient } from './http-client.js';
import { seg, str, type Json } from './json-fields.js';
import { openStdioSession } from './stdio-session.js';

/** /containers/{id}/exec and /exec/*: commands run inside running containers. */
export class DockerExec implements EngineExec {
  constructor(private readonly http: EngineHttpClient, private readonly address: EngineAddress) {}

  async run(container: string, request: ExecRequest): Promise<ExecOutcome> {
    const id = await this.createWith(container, request, { tty: false, stdin: false, output: true });
    // Without Detach the engine streams the output and ends the response when the command exits.
    const data = await this.http.buffer('POST', `/exec/${seg(id)}/start`, { body: { Detach: false, Tty: false } });
    const { stdout, stderr } = demuxFrames(data);
    return { exitCode: await this.exitCode(id, request.command), stdout, stderr, output: stdout + stderr };
  }

  create(container: string, request: InteractiveExecRequest): Promise<string> {
    return this.createWith(container, request, { tty: request.tty, stdin: request.attach, output: request.attach });
  }

  start(id: string, options: StdioOptions): Promise<StdioSession> {
    return openStdioSession(this.address, `/exec/${seg(id)}/start`, { Detach: false, Tty: options.tty }, options);
  }

  async startDetached(id: string): Promise<void> {
    await this.http.json('POST', `/exec/${seg(id)}/start`, { body: { Detach: true, Tty: false } });
  }

  async resize(id: string, size: TerminalSize): Promise<void> {
    await this.http.json('POST', `/exec/${seg(id)}/resize`, { query: { h: size.rows, w: size.columns } });
  }

  async exitCode(id: string, command?: readonly string[]): Promise<number> {
    // The output can end a moment before the engine records the exit code: ask until it has one.
    for (let attempt = 0; attempt < 100; attempt++) {
      const inspected = await this.http.json<Json>('GET', `/exec/${seg(id)}/json`);
      if (inspected['Running'] !== true && typeof inspected['ExitCode'] === 'number') return inspected['ExitCode'];
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new EngineError(`the engine gave no exit code for the command ${command?.join(' ') ?? `of exec ${id}`}`);
  }

  private async createWith(
    container: string,
    request: ExecRequest,
    io: { readonly tty: boolean; readonly stdin: boolean; readonly output: boolean },
  ): Promise<string> {
    const created = await this.http.json<Json>('POST', `/containers/${seg(container)}/exec`, {
      body: {
        Cmd: request.command,
        Tty: io.tty,
        AttachStdin: io.stdin,
        AttachStdout: io.output,
        AttachStderr: io.output,
        ...(request.user === undefined ? {} : { User: request.user }),
        ...(request.workingDir === undefined ? {} : { WorkingDir: request.workingDir }),
        ...(request.env === undefined ? {} : { Env: request.env }),
        ...(request.privileged === undefined ? {} : { Privileged: request.privileged }),
      },
    });
    return str(created['Id']);
  }
}
