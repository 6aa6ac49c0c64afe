#!/usr/bin/env -S node --
// The composition root: the only file that reads process.argv and process.env, or sets the exit code.
import { runCli } from './cli/run-cli.js';
import { createEngineProvider } from './engine/connect.js';
import { hostProbe } from './engine/host-probe.js';
import { ExitCode } from './errors.js';
import { createRenderer } from './ui/create-renderer.js';
import { envBool } from './config/env-bool.js';
import type { Terminal } from './cli/terminal.js';
import { formatError, plainStyle, type ErrorStyle } from './ui/error-report.js';

const env = process.env;
const statusStream = (): NodeJS.WriteStream => (envBool(env, 'COMPOSE_STATUS_STDOUT') ? process.stdout : process.stderr);
const controller = new AbortController();
const forceController = new AbortController();
let forceClaimed = false;
let interrupts = 0;
// The first signal decides the exit code: 130 for SIGINT, 143 for SIGTERM, as a shell reports them.
let stoppedBy: NodeJS.Signals | undefined;
const signalExitCode = (): number => (stoppedBy === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted);
const onSignal = (signal: NodeJS.Signals): void => {
  stoppedBy ??= signal;
  interrupts++;
  if (interrupts === 1) controller.abort();
  else if (interrupts === 2 && forceClaimed) {
    // The command kills what it was stopping and returns; a third Ctrl-C or 10 s end it regardless.
    forceController.abort();
    setTimeout(() => process.exit(signalExitCode()), 10_000).unref();
  } else process.exit(signalExitCode());
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

async function errorStyle(useColor: boolean): Promise<ErrorStyle> {
  if (!useColor) return plainStyle;
  const { default: chalk } = await import('chalk');
  return { red: chalk.red, dim: chalk.dim, bold: chalk.bold };
}

const terminal: Terminal = {
  stdinIsTTY: process.stdin.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
  readInput(onData, onEnd) {
    const end = (): void => onEnd();
    process.stdin.on('data', onData);
    process.stdin.on('end', end);
    process.stdin.resume();
    return () => {
      process.stdin.off('data', onData);
      process.stdin.off('end', end);
      // A paused TTY or pipe would still hold the event loop open.
      process.stdin.destroy();
    };
  },
  writeOut: (data) => process.stdout.write(data),
  writeErr: (data) => process.stderr.write(data),
  size: () => (process.stdout.isTTY === true ? { rows: process.stdout.rows, columns: process.stdout.columns } : undefined),
  onResize(listener) {
    process.stdout.on('resize', listener);
    return () => process.stdout.off('resize', listener);
  },
  enterRawMode() {
    if (process.stdin.isTTY !== true) return () => {};
    const wasRaw = process.stdin.isRaw;
    process.stdin.setRawMode(true);
    let restored = false;
    const restore = (): void => {
      if (restored) return;
      restored = true;
      process.stdin.setRawMode(wasRaw);
    };
    process.once('exit', restore);
    return restore;
  },
};

async function askLine(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

let pendingReport: Promise<void> = Promise.resolve();

const code = await runCli({
  argv: process.argv.slice(2),
  env,
  cwd: process.cwd(),
  signal: controller.signal,
  force: { signal: forceController.signal, claim: () => { forceClaimed = true; } },
  terminal,
  engine: (target) => createEngineProvider(env, target),
  probe: hostProbe,
  createRenderer: (global) => createRenderer({
    progress: global.progress,
    ansi: global.ansi,
    stdout: process.stdout,
    // COMPOSE_STATUS_STDOUT: progress and status lines go to stdout, as in Compose (errors stay on stderr).
    stderr: statusStream(),
    stderrStream: statusStream(),
    env,
    ...(process.stdin.isTTY === true ? { askLine } : {}),
  }),
  reportError: (error, global) => {
    const color = global?.ansi === 'always' ||
      ((global?.ansi ?? 'auto') === 'auto' && process.stderr.isTTY === true && (env['NO_COLOR'] ?? '') === '');
    pendingReport = errorStyle(color).then((style) => {
      process.stderr.write(`${formatError(error, style)}\n`);
    });
  },
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
});
await pendingReport;
// An interrupted run never reports success, even when the command wound down cleanly.
process.exitCode = stoppedBy !== undefined ? signalExitCode() : code;
