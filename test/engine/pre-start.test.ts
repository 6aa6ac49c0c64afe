import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Label } from '../../src/model/labels.js';
import {
  TEST_IMAGE, cleanupProject, engine, projectDir, removeDir, runTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';

// pre_start as Compose runs it: a one-off container per hook, with the volumes of the replica
// about to start, before any replica starts; a failure stops the run and keeps the hook container.
describe('pre_start hooks on the real engine', function () {
  this.timeout(120_000);

  const compose = (hookCommand: string): string => `
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "cp /data/flag /seen && sleep 3600"]
    volumes: [data:/data]
    deploy: { replicas: 2 }
    stop_grace_period: 1s
    pre_start:
      - command: ["sh", "-c", ${JSON.stringify(hookCommand)}]
        environment: { GREETING: hello }
      - command: ["sh", "-c", "grep -q hello /data/flag && echo ran >> /data/runs"]
volumes:
  data:
`;
  const hookContainers = async (project: string): Promise<{ id: string; state: string }[]> =>
    (await engine.containers.list({ all: true, labels: [`${Label.project}=${project}`, `${Label.hook}=pre_start`] })).map((c) => ({ id: c.id, state: c.state }));

  it('runs the hooks before the replicas start, with their volumes, then removes them; a no-op up runs none', async () => {
    const project = uniqueProjectName('prestart-ok');
    const dir = projectDir({ 'compose.yaml': compose('echo $$GREETING > /data/flag') });
    try {
      const up = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
      assert.equal(up.code, 0, up.stderr);
      for (const n of [1, 2]) {
        assert.equal(execFileSync('docker', ['exec', `${project}-web-${n}`, 'cat', '/seen']).toString().trim(), 'hello');
      }
      assert.deepEqual(await hookContainers(project), [], 'the hook containers are removed on success');
      const again = await runTscompose(['-p', project, 'up', '-d', '--dry-run'], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.doesNotMatch(again.stdout + again.stderr, /pre_start/, 'a replica is running: no hook');
      const runs = (): number => execFileSync('docker', ['exec', `${project}-web-1`, 'cat', '/data/runs']).toString().trim().split('\n').length;
      assert.equal(runs(), 1);
      for (const command of [['stop'], ['start']]) {
        const result = await runTscompose(['-p', project, ...command], { cwd: dir });
        assert.equal(result.code, 0, result.stderr);
      }
      assert.equal(runs(), 2, 'start of a stopped service runs the hooks again, as Compose\'s start does');
      assert.deepEqual(await hookContainers(project), []);
    } finally {
      await cleanupProject(project);
      removeDir(dir);
    }
  });

  it('a failing hook stops the run: exit 1 with its output, no replica started, its container kept until the next up or down', async () => {
    const project = uniqueProjectName('prestart-fail');
    const dir = projectDir({ 'compose.yaml': compose('echo boom; exit 3') });
    try {
      const up = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
      assert.equal(up.code, 1, up.stdout);
      assert.match(up.stderr, /service "web" pre_start\[0\] exited with code 3: boom \(hook container [0-9a-f]{12} kept for inspection\)/);
      const replicas = await engine.containers.list({ all: true, labels: [`${Label.project}=${project}`, `${Label.service}=web`] });
      assert.ok(replicas.every((c) => c.state !== 'running'), replicas.map((c) => `${c.name} ${c.state}`).join(', '));
      const [kept] = await hookContainers(project);
      assert.equal(kept?.state, 'exited');
      const ps = await runTscompose(['-p', project, 'ps', '-a', '--format', 'json'], { cwd: dir });
      assert.doesNotMatch(ps.stdout, new RegExp(kept?.id.slice(0, 12) ?? 'none'), 'ps lists replicas only');
      const again = await runTscompose(['-p', project, 'up', '-d', '--dry-run'], { cwd: dir });
      assert.match(again.stdout + again.stderr, /remove +left by a failed pre_start hook/);
      const down = await runTscompose(['-p', project, 'down'], { cwd: dir });
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await hookContainers(project), [], 'down removes the kept hook container');
    } finally {
      await cleanupProject(project);
      removeDir(dir);
    }
  });
});
