import assert from 'node:assert/strict';
import { loadStack, type ProgressEvent } from '../../src/index.js';
import { TEST_IMAGE, cleanupProject, projectContainers, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

/** The most steps in flight at once, read from `--progress json` events (done:false opens a step, done:true closes it). */
function peakInFlight(stderr: string): number {
  const open = new Set<string>();
  let peak = 0;
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line) as { kind: string; name?: string; done?: boolean };
    if (event.kind === 'warning' || event.name === undefined) continue;
    const key = `${event.kind}:${event.name}`;
    if (event.done === false) open.add(key);
    else open.delete(key);
    peak = Math.max(peak, open.size);
  }
  return peak;
}

describe('--parallel and COMPOSE_PARALLEL_LIMIT bound the steps in flight', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('parallel');
  let dir: string;
  const run = (args: string[], env: Record<string, string> = {}) =>
    runTscompose(['-p', project, '--progress', 'json', ...args], { cwd: dir, env: { ...process.env, ...env } });
  const service = `
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    init: true`;
  before(() => {
    dir = projectDir({ 'compose.yaml': `services:\n  a:${service}\n  b:${service}\n  c:${service}\n` });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('without a bound, the three creates run together (what the next checks rule out)', async () => {
    const up = await run(['up', '-d']);
    assert.equal(up.code, 0, up.stderr);
    assert.ok(peakInFlight(up.stderr) >= 3, up.stderr);
    const down = await run(['down']);
    assert.equal(down.code, 0, down.stderr);
  });

  it('--parallel 1 up -d converges one step at a time', async () => {
    const up = await run(['--parallel', '1', 'up', '-d']);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(peakInFlight(up.stderr), 1, up.stderr);
    const running = (await projectContainers(project)).filter((c) => c.state === 'running').map((c) => c.name);
    assert.deepEqual(running, [`${project}-a-1`, `${project}-b-1`, `${project}-c-1`]);
  });

  it('COMPOSE_PARALLEL_LIMIT=2 bounds down; --parallel -1 on the command line lifts it', async () => {
    const stop = await run(['stop'], { COMPOSE_PARALLEL_LIMIT: '2' });
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(peakInFlight(stop.stderr), 2, stop.stderr);
    const start = await run(['--parallel', '-1', 'start'], { COMPOSE_PARALLEL_LIMIT: '1' });
    assert.equal(start.code, 0, start.stderr);
    assert.equal(peakInFlight(start.stderr), 3, start.stderr);
  });

  it('a COMPOSE_PARALLEL_LIMIT that is not a whole number is a usage error', async () => {
    const ps = await run(['up', '-d'], { COMPOSE_PARALLEL_LIMIT: 'many' });
    assert.equal(ps.code, 2, ps.stderr);
    assert.match(ps.stderr, /COMPOSE_PARALLEL_LIMIT must be an integer/);
  });

  it('the TypeScript API takes the same bound: parallel, else COMPOSE_PARALLEL_LIMIT of its env', async () => {
    for (const [options, peak] of [[{ parallel: 1 }, 1], [{ env: { COMPOSE_PARALLEL_LIMIT: '2' } }, 2]] as const) {
      const events: ProgressEvent[] = [];
      const name = uniqueProjectName('parallel-api');
      const stack = await loadStack({ cwd: dir, projectName: name, ...options, onProgress: (e) => events.push(e) });
      try {
        await stack.up({ wait: false });
        const lines = events.map((e) => JSON.stringify(e)).join('\n');
        assert.equal(peakInFlight(lines), peak, lines);
      } finally {
        await cleanupProject(name);
      }
    }
  });
});
