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
  const outcome = await engine.exec.run(container, {
    command,
    ...(env.length === 0 ? {} : { env }),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.workingDir === undefined ? {} : { workingDir: options.workingDir }),
  });
  return { exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr };
}
