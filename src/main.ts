#!/usr/bin/env node
// The composition root: the only file that reads process.argv and process.env, or sets the exit code.
import { runCli } from './cli/run-cli.js';
import { createEngineProvider } from './engine/connect.js';
import { ExitCode } from './errors.js';
import { createRenderer } from './ui/create-renderer.js';
import { formatError, plainStyle, type ErrorStyle } from './ui/error-report.js';

const env = process.env;
const controller = new AbortController();
let interrupts = 0;
const onSignal = (): void => {
  interrupts++;
  if (interrupts === 1) controller.abort();
  else process.exit(ExitCode.interrupted);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

async function errorStyle(useColor: boolean): Promise<ErrorStyle> {
  if (!useColor) return plainStyle;
  const { default: chalk } = await import('chalk');
  return { red: chalk.red, dim: chalk.dim, bold: chalk.bold };
}

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
  engine: createEngineProvider(env),
  createRenderer: (global) => createRenderer({
    progress: global.progress,
    ansi: global.ansi,
    stdout: process.stdout,
    stderr: process.stderr,
    stderrStream: process.stderr,
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
process.exitCode = controller.signal.aborted && code !== ExitCode.ok ? ExitCode.interrupted : code;
