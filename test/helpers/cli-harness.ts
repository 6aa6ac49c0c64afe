import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { DockerEngine } from '../../src/engine/docker-engine.js';
import { resolveEngineAddress } from '../../src/engine/docker-host.js';
import { Label, projectFilter } from '../../src/model/labels.js';

/** The bundled CLI, as users run it. */
export const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/main.js');
export const TEST_IMAGE = process.env['TSCOMPOSE_TEST_IMAGE'] ?? 'tscompose/busybox:1';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would, with no TTY. */
export async function runTscompose(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {},
): Promise<CliResult> {
  const run = startTscompose(args, options);
  const code = await run.exited;
  return { code, ...run.output() };
}

export function uniqueProjectName(prefix: string): string {
  return `tsct-${prefix}-${randomBytes(3).toString('hex')}`;
}

/** A throwaway project folder holding the given files. */
export function projectDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-test-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const engine = new DockerEngine(resolveEngineAddress(process.env));

/** Removes everything labelled with the project, whatever state a failed test left it in. */
export async function cleanupProject(project: string): Promise<void> {
  const filter = [projectFilter(project)];
  const containers = await engine.containers.list({ all: true, labels: filter });
  await Promise.all(containers.map((c) => engine.containers.remove(c.id, { force: true, volumes: true })));
  const networks = await engine.networks.list(filter);
  await Promise.all(networks.map((n) => engine.networks.remove(n.id).catch(() => undefined)));
  const volumes = await engine.volumes.list(filter);
  await Promise.all(volumes.map((v) => engine.volumes.remove(v.name).catch(() => undefined)));
}

export async function projectContainers(project: string, all = true) {
  return (await engine.containers.list({ all, labels: [projectFilter(project)] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function serviceOf(c: { labels: Readonly<Record<string, string>> }): string {
  return c.labels[Label.service] ?? '';
}

/** Records the engine's events for a project while `action` runs. */
export async function recordEvents(project: string, action: () => Promise<unknown>): Promise<{ type: string; action: string; name: string }[]> {
  const controller = new AbortController();
  const seen: { type: string; action: string; name: string }[] = [];
  const stream = engine.system.events({ label: [projectFilter(project)] }, controller.signal);
  const reading = (async () => {
    for await (const e of stream) seen.push({ type: e.type, action: e.action, name: e.attributes['name'] ?? e.id });
  })();
  await new Promise((r) => setTimeout(r, 200));
  try {
    await action();
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    controller.abort();
    await reading.catch(() => undefined);
  }
  return seen;
}

/** Starts the built CLI and leaves it running: for following, attached `up` and Ctrl-C tests. */
let cacheHome: string | undefined;

/** The runs' cache folder (context digests): one per test process, removed when it ends. */
function testCacheHome(): string {
  if (cacheHome === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'tscompose-test-cache-'));
    cacheHome = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return cacheHome;
}

export function startTscompose(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; input?: string; keepStdinOpen?: boolean } = {},
): { child: ReturnType<typeof spawn>; output: () => { stdout: string; stderr: string }; exited: Promise<number> } {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCacheHome(), ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd ?? process.cwd(), env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  if (options.keepStdinOpen !== true) child.stdin.end(options.input ?? '');
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Polls until `check` holds (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
