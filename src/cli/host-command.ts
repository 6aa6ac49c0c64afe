import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { UsageError } from '../errors.js';
import type { Terminal } from './terminal.js';

const KILL_AFTER_MS = 10_000;

/**
 * Runs a command on the host (no shell), its output passed to our stdout and stderr. Aborting
 * sends its process group SIGINT, then SIGKILL 10 s later. Resolves with its exit code (128 + the signal's number when a signal ended it).
 */
export function runHostCommand(
  command: readonly string[],
  options: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>>; readonly terminal: Terminal; readonly signal: AbortSignal },
): Promise<number> {
  const [file, ...args] = command;
  if (file === undefined) return Promise.reject(new UsageError('no command to run'));
  return new Promise((resolve, reject) => {
    // Its own process group, so an interrupt reaches the whole tree (sh -c 'sleep 30'), not just its head.
    const child = spawn(file, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', (data: Buffer) => options.terminal.writeOut(data));
    child.stderr.on('data', (data: Buffer) => options.terminal.writeErr(data));
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const interrupt = (): void => {
      signalGroup('SIGINT');
      setTimeout(() => signalGroup('SIGKILL'), KILL_AFTER_MS).unref();
    };
    options.signal.addEventListener('abort', interrupt, { once: true });
    child.once('error', (error: NodeJS.ErrnoException) => {
      options.signal.removeEventListener('abort', interrupt);
      reject(error.code === 'ENOENT'
        ? new UsageError(`command not found: ${file}`, 'the test command runs without a shell: use -- sh -c "..." for pipes and variables')
        : error);
    });
    child.once('close', (code, signal) => {
      options.signal.removeEventListener('abort', interrupt);
      resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal] ?? 0));
    });
  });
}
