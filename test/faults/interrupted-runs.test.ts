import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { projectFilter } from '../../src/model/labels.js';
import { cleanupProject, engine, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';
import {
  TEN_SERVICES, composeWithApps, expectedNames, assertConverged, canUnshare, interruptAt, runFromAnotherMachine, volumeMarker, type ProgressEventLine,
} from './fault-kit.js';

// Faults at points chosen by watching the run's own `--progress json` events; after each, the
// next `up -d` (or `down`) must converge with nothing lost: no duplicate, no temporary name, no
// container created and never started, one network, the named volume's data kept.
describe('faults: interrupted and concurrent runs on the real engine', function () {
  this.timeout(120_000);
  // The SIGKILL cases use four services (one app), the Ctrl-C and concurrency cases the ten.
  let dir: string;
  let small: string;
  before(() => {
    dir = projectDir({ 'compose.yaml': TEN_SERVICES });
    small = projectDir({ 'compose.yaml': composeWithApps(1) });
  });
  after(() => {
    removeDir(dir);
    removeDir(small);
  });

  const isContainer = (status: string) => (e: ProgressEventLine): boolean => e.kind === 'container' && e.status === status;

  async function converges(project: string, cwd: string, env: Record<string, string> = {}): Promise<void> {
    const again = await runTscompose(['-p', project, 'up', '-d'], { cwd, env });
    assert.equal(again.code, 0, again.stderr);
    await assertConverged(engine, project, expectedNames(project, cwd === dir ? 8 : 1));
  }

  async function upWithMarker(project: string, cwd: string): Promise<string> {
    const first = await runTscompose(['-p', project, 'up', '-d'], { cwd });
    assert.equal(first.code, 0, first.stderr);
    const marker = project.slice(-6);
    assert.equal(volumeMarker(undefined, `${project}-db-1`, marker), marker);
    return marker;
  }

  for (const [point, status] of [['the first container created', 'created'], ['the first start', 'started']] as const) {
    it(`SIGKILL of up -d at ${point}: the next up -d finishes the work`, async () => {
      const project = uniqueProjectName('flt-kill-up');
      try {
        const killed = await interruptAt(['-p', project, 'up', '-d'], { cwd: small }, isContainer(status), 'SIGKILL');
        assert.ok(killed.matched !== undefined, killed.stderr);
        await converges(project, small);
      } finally {
        await cleanupProject(project);
      }
    });
  }

  for (const [point, status] of [['an old container stopping', 'stopping'], ['a rename', 'recreating']] as const) {
    it(`SIGKILL of a recreate at ${point}: the next up -d leaves one container per replica under its name, volume data kept`, async () => {
      const project = uniqueProjectName('flt-kill-re');
      try {
        const marker = await upWithMarker(project, small);
        const killed = await interruptAt(['-p', project, 'up', '-d'], { cwd: small, env: { V: '2' } }, isContainer(status), 'SIGKILL');
        assert.ok(killed.matched !== undefined, killed.stderr);
        await converges(project, small, { V: '2' });
        assert.equal(volumeMarker(undefined, `${project}-db-1`), marker);
      } finally {
        await cleanupProject(project);
      }
    });
  }

  it('SIGINT during up -d --force-recreate: exit 130, and the next up -d converges', async () => {
    const project = uniqueProjectName('flt-int-force');
    try {
      const marker = await upWithMarker(project, dir);
      const interrupted = await interruptAt(['-p', project, 'up', '-d', '--force-recreate'], { cwd: dir }, isContainer('created'), 'SIGINT');
      assert.equal(interrupted.code, 130, interrupted.stderr);
      await converges(project, dir);
      assert.equal(volumeMarker(undefined, `${project}-db-1`), marker);
    } finally {
      await cleanupProject(project);
    }
  });

  for (const [point, status] of [['the first container removed', 'removed']] as const) {
    it(`SIGKILL of down at ${point}: the next down removes the rest, the named volume stays`, async () => {
      const project = uniqueProjectName('flt-kill-down');
      try {
        await upWithMarker(project, small);
        const killed = await interruptAt(['-p', project, 'down'], { cwd: small }, isContainer(status), 'SIGKILL');
        assert.ok(killed.matched !== undefined, killed.stderr);
        const again = await runTscompose(['-p', project, 'down'], { cwd: small });
        assert.equal(again.code, 0, again.stderr);
        assert.deepEqual(await engine.containers.list({ all: true, labels: [projectFilter(project)] }), []);
        assert.deepEqual(await engine.networks.list([projectFilter(project)]), []);
        assert.equal((await engine.volumes.list([projectFilter(project)])).length, 1, 'the named volume survives down');
      } finally {
        await cleanupProject(project);
      }
    });
  }

  it('two up -d at the same moment on one machine: both exit 0, one container per replica', async () => {
    const project = uniqueProjectName('flt-two');
    try {
      const [a, b] = await Promise.all([1, 2].map(() => runTscompose(['-p', project, 'up', '-d'], { cwd: dir })));
      assert.equal(a?.code, 0, a?.stderr);
      assert.equal(b?.code, 0, b?.stderr);
      assert.match(`${a?.stderr}${b?.stderr}`, /another tscompose run \(pid \d+\) is changing project .* waiting for it to finish/);
      await assertConverged(engine, project, expectedNames(project, 8));
    } finally {
      await cleanupProject(project);
    }
  });

  it('two copies of the project network (a race between machines), a container on the copy that goes: up -d moves it and keeps one', async () => {
    const project = uniqueProjectName('flt-dup-net');
    const name = `${project}_default`;
    const api = (method: string, path: string, body?: unknown): string => execFileSync('curl', [
      '-sf', '--unix-socket', '/var/run/docker.sock', '-X', method, '-H', 'Content-Type: application/json',
      ...(body === undefined ? [] : ['-d', JSON.stringify(body)]), `http://localhost/v1.41${path}`,
    ]).toString();
    try {
      await upWithMarker(project, small);
      const [original] = await engine.networks.list([projectFilter(project)]);
      assert.ok(original !== undefined);
      // The engine's own duplicate check is what races; without it, the second copy is made as a racing run would.
      const copy = (JSON.parse(api('POST', '/networks/create', { Name: name, CheckDuplicate: false, Labels: original.labels })) as { Id: string }).Id;
      const goes = [original.id, copy].sort()[1] as string;
      const db = `${project}-db-1`;
      // Moved while running: a stopped container would look the name up again at its start.
      api('POST', `/networks/${original.id}/disconnect`, { Container: db, Force: true });
      api('POST', `/networks/${goes}/connect`, { Container: db });
      await converges(project, small);
      const stays = [original.id, copy].sort()[0] as string;
      for (const c of await engine.containers.list({ all: true, labels: [projectFilter(project)] })) {
        assert.deepEqual(c.networkIds, { [name]: stays }, c.name);
      }
      assert.equal(volumeMarker(undefined, db), project.slice(-6));
    } finally {
      await cleanupProject(project);
    }
  });

  it('two up -d at the same moment from two "machines" (no shared lock): both exit 0, one container per replica', async function () {
    if (!canUnshare()) this.skip();
    const project = uniqueProjectName('flt-two-hosts');
    try {
      const [a, b] = await Promise.all([
        runTscompose(['-p', project, 'up', '-d'], { cwd: dir }),
        runFromAnotherMachine(['-p', project, 'up', '-d'], dir),
      ]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      await converges(project, dir);
    } finally {
      await cleanupProject(project);
    }
  });
});
