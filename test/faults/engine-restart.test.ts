import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DockerEngine } from '../../src/engine/docker-engine.js';
import { resolveEngineAddress } from '../../src/engine/docker-host.js';
import { projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';
import { secondEngineMissing, startSecondEngine, type SecondEngine } from '../helpers/second-engine.js';
import { assertConverged, composeWithApps, expectedNames, interruptAt, volumeMarker } from './fault-kit.js';

// An engine restarted (or crashed) in the middle of `up -d`, on a second dockerd of the test's
// own: never the main engine. The run fails as it may; the next `up -d` converges, data kept.
describe('faults: the engine restarted in the middle of up -d', function () {
  this.timeout(180_000);
  let second: SecondEngine | undefined;
  let dir: string;
  let engine: DockerEngine;
  const env = (): Record<string, string> => ({ DOCKER_HOST: `unix://${second?.socket}` });

  before(async function () {
    const missing = secondEngineMissing();
    if (missing !== undefined) this.skip();
    second = await startSecondEngine();
    engine = new DockerEngine(resolveEngineAddress({ DOCKER_HOST: `unix://${second.socket}` }));
    dir = projectDir({ 'compose.yaml': composeWithApps(1) });
  });
  after(async () => {
    if (dir !== undefined) removeDir(dir);
    await second?.stop();
  });

  // SIGTERM: a clean restart, as systemctl does. SIGKILL: a crash; its shims outlive it and the
  // restarted dockerd stops the containers they kept before it answers (the harness waits for that).
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`dockerd stopped by ${signal} at the first start of a recreate, then back: the next up -d converges, volume data kept`, async () => {
      const project = uniqueProjectName(`flt-eng-${signal.toLowerCase()}`);
      const first = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir, env: env() });
      assert.equal(first.code, 0, first.stderr);
      const marker = project.slice(-6);
      assert.equal(volumeMarker(second?.socket, `${project}-db-1`, marker), marker);

      const restarting = { done: Promise.resolve() };
      const run = await interruptAt(['-p', project, 'up', '-d'], { cwd: dir, env: { ...env(), V: '2' } }, (e) => {
        if (e.kind === 'container' && e.status === 'created' && e.done) {
          restarting.done = second?.restart(signal) ?? Promise.resolve();
          return true;
        }
        return false;
      }, 'SIGCONT');
      await restarting.done;
      assert.notEqual(run.code, 0, `the run cannot have finished with its engine gone:\n${run.stderr}`);

      const again = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir, env: { ...env(), V: '2' } });
      assert.equal(again.code, 0, again.stderr);
      await assertConverged(engine, project, expectedNames(project, 1));
      assert.equal(volumeMarker(second?.socket, `${project}-db-1`), marker);
      const down = await runTscompose(['-p', project, 'down', '-v', '-t', '0'], { cwd: dir, env: env() });
      assert.equal(down.code, 0, down.stderr);
    });
  }

  // moby/moby#50040: after a restart the engine may keep a stopped container's task folder, and
  // refuses to start it ever after ("failed to start shim: mkdir …: file exists"). The folder is
  // made here by hand, as the restart leaves it, so the case does not depend on the race.
  it('a container whose task outlived an engine restart (moby/moby#50040): up -d replaces it, names the fault, volume data kept', async () => {
    const project = uniqueProjectName('flt-eng-stale');
    const first = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir, env: env() });
    assert.equal(first.code, 0, first.stderr);
    const marker = project.slice(-6);
    assert.equal(volumeMarker(second?.socket, `${project}-db-1`, marker), marker);
    const id = second?.docker(['inspect', '-f', '{{.Id}}', `${project}-db-1`]).stdout.toString().trim() ?? '';
    assert.equal(second?.docker(['stop', '-t', '0', id]).status, 0);
    mkdirSync(join(second?.dir ?? '', 'exec', 'containerd', 'daemon', 'io.containerd.runtime.v2.task', 'moby', id), { recursive: true });

    const again = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir, env: env() });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`cannot start ${id}: .*moby/moby#50040`));
    await assertConverged(engine, project, expectedNames(project, 1));
    assert.notEqual(second?.docker(['inspect', '-f', '{{.Id}}', `${project}-db-1`]).stdout.toString().trim(), id);
    assert.equal(volumeMarker(second?.socket, `${project}-db-1`), marker);
    const down = await runTscompose(['-p', project, 'down', '-v', '-t', '0'], { cwd: dir, env: env() });
    assert.equal(down.code, 0, down.stderr);
  });
});
