import type { Engine, OutputHandler } from '../engine/engine.js';
import type { CommandOptions, CommandResult } from './types.js';

/** Collects a process's stdout and stderr apart. */
export function outputCollector(): { readonly onOutput: OutputHandler; result(exitCode: number): CommandResult } {
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  return {
    onOutput: (stream, data) => void chunks[stream].push(Buffer.from(data)),
    result: (exitCode) => ({
      exitCode,
      stdout: Buffer.concat(chunks.stdout).toString('utf8'),
      stderr: Buffer.concat(chunks.stderr).toString('utf8'),
    }),
  };
}

/** Runs a command in a running container, no terminal and no input, to its end. */
export async function execInContainer(engine: Engine, container: string, command: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const exec = await engine.createExec(container, {
    Cmd: command,
    Tty: false,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    ...(env.length === 0 ? {} : { Env: env }),
    ...(options.user === undefined ? {} : { User: options.user }),
    ...(options.workingDir === undefined ? {} : { WorkingDir: options.workingDir }),
  });
  const output = outputCollector();
  const session = await engine.startExec(exec, { tty: false, stdin: false, onOutput: output.onOutput });
  await session.done;
  // The output can end a moment before the engine records the exit code.
  for (let attempt = 0; attempt < 100; attempt++) {
    const state = await engine.inspectExec(exec);
    if (!state.running && state.exitCode !== null) return output.result(state.exitCode);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return output.result(-1);
}
