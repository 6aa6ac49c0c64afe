import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { Engine } from '../../src/engine/engine.js';
import { Label, projectFilter } from '../../src/model/labels.js';
import { MAIN, TEST_IMAGE, eventually, startTscompose } from '../helpers/cli-harness.js';

/**
 * Ten services (with 8 apps), as the issue measured them: a database that turns healthy after a while (its data
 * in a named volume), eight apps gated on it, and a web service of two replicas after app1.
 * `init: true` everywhere so a stop takes no grace period. V changes the config (a recreate).
 */
export const composeWithApps = (apps: number): string => `services:
  db:
    image: ${TEST_IMAGE}
    init: true
    command: ["sh", "-c", "sleep 1; touch /tmp/ok; exec sleep 300"]
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ok"], interval: 500ms, retries: 60}
    environment: {V: "\${V:-1}"}
    volumes: [data:/data]
${Array.from({ length: apps }, (_, i) => i + 1).map((i) => `  app${i}:
    image: ${TEST_IMAGE}
    init: true
    command: ["sleep", "300"]
    environment: {V: "\${V:-1}"}
    depends_on: {db: {condition: service_healthy}}
`).join('')}  web:
    image: ${TEST_IMAGE}
    init: true
    command: ["sleep", "300"]
    environment: {V: "\${V:-1}"}
    deploy: {replicas: 2}
    depends_on: [app1]
volumes:
  data: {}
`;

export const TEN_SERVICES = composeWithApps(8);

/** The containers of `composeWithApps(apps)`. */
export const expectedNames = (project: string, apps: number): string[] =>
  [...['db', ...Array.from({ length: apps }, (_, i) => `app${i + 1}`)].map((s) => `${project}-${s}-1`), `${project}-web-1`, `${project}-web-2`].sort();

export interface ProgressEventLine {
  readonly kind: string;
  readonly name: string;
  readonly status: string;
  readonly done: boolean;
}

/** The `--progress json` events a run printed so far. */
export function eventsOf(stderr: string): ProgressEventLine[] {
  return stderr.split('\n').filter((l) => l.startsWith('{')).flatMap((l) => {
    try {
      return [JSON.parse(l) as ProgressEventLine];
    } catch {
      return [];
    }
  });
}

/**
 * Starts tscompose with `--progress json`, sends `signal` as soon as an event matches `when`,
 * and returns the exit code and output. The point of the fault is chosen by what the run says it does.
 */
export async function interruptAt(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
  when: (event: ProgressEventLine) => boolean,
  signal: NodeJS.Signals,
): Promise<{ code: number; stderr: string; matched: ProgressEventLine | undefined }> {
  const run = startTscompose(['--progress', 'json', ...args], options);
  let matched: ProgressEventLine | undefined;
  const watching = eventually(() => {
    matched = eventsOf(run.output().stderr).find(when);
    return matched !== undefined || run.child.exitCode !== null;
  }, 60_000, 'the event to interrupt at').catch(() => undefined);
  await watching;
  if (matched !== undefined) run.child.kill(signal);
  const code = await run.exited;
  return { code, stderr: run.output().stderr, matched };
}

/** `up -d` from another "machine": its own network namespace, so it cannot see this machine's lock. */
export function runFromAnotherMachine(args: readonly string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['--net', process.execPath, MAIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

export function canUnshare(): boolean {
  return process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0;
}

/** Converged: exactly the expected names, every one running, one project network, no temporary name, nothing only created. */
export async function assertConverged(engine: Engine, project: string, expected: readonly string[]): Promise<void> {
  const containers = (await engine.containers.list({ all: true, labels: [projectFilter(project)] }))
    .filter((c) => c.labels[Label.oneoff] !== 'True');
  const listing = containers.map((c) => `${c.name} ${c.state}`).sort().join('\n');
  assert.deepEqual(containers.map((c) => c.name).sort(), [...expected].sort(), listing);
  assert.ok(containers.every((c) => c.state === 'running'), listing);
  const networks = (await engine.networks.list([projectFilter(project)]));
  assert.equal(networks.length, 1, networks.map((n) => `${n.name} ${n.id}`).join('\n'));
}

/** Writes a marker into the named volume through the db container, or reads it back. */
export function volumeMarker(socket: string | undefined, container: string, write?: string): string {
  const host = socket === undefined ? [] : ['-H', `unix://${socket}`];
  const command = write === undefined ? 'cat /data/marker' : `echo ${write} > /data/marker && cat /data/marker`;
  const result = spawnSync('docker', [...host, 'exec', container, 'sh', '-c', command]);
  return result.stdout.toString().trim();
}
