import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectFilter } from '../../src/model/labels.js';
import {
  TEST_IMAGE, cleanupProject, engine, eventually, projectDir, projectContainers, removeDir, serviceOf, startTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';

/** Polls until `read` gives what `check` wants; the last value read is in the failure. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await read();
      if (check(last as T)) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(String(last))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('watch: develop.watch rules on real containers', function () {
  this.timeout(180_000);
  const project = uniqueProjectName('watch');
  let dir: string;
  let watch: ReturnType<typeof startTscompose>;

  const containerOf = async (service: string) => {
    const found = (await projectContainers(project, false)).find((c) => serviceOf(c) === service);
    assert.ok(found, `a running container of ${service}`);
    return found;
  };
  const shell = async (service: string, script: string): Promise<string> => {
    const outcome = await engine.exec.run((await containerOf(service)).id, { command: ['sh', '-c', script] });
    return outcome.stdout;
  };
  const stderr = (): string => watch.output().stderr;
  const count = (pattern: RegExp): number => stderr().split('\n').filter((l) => pattern.test(l)).length;

  before(async () => {
    dir = projectDir({
      'compose.yaml': `services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    init: true
    develop:
      watch:
        - { path: ./src, action: sync, target: /app, ignore: ["*.tmp"] }
  hup:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "date +%s%N >> /tmp/starts; sleep 3600"]
    init: true
    develop:
      watch:
        - { path: ./conf, action: sync+restart, target: /conf }
  ex:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    init: true
    develop:
      watch:
        - path: ./hooks
          action: sync+exec
          target: /hooks
          exec: { command: ["sh", "-c", "cat /hooks/h.txt > /tmp/ran"] }
  api:
    build: ./api
    init: true
    develop:
      watch:
        - { path: ./api/v.txt, action: rebuild }
`,
      'src/keep.txt': 'kept',
      'conf/app.conf': 'a=1',
      'hooks/h.txt': 'first',
      'api/Dockerfile': `FROM ${TEST_IMAGE}\nCOPY v.txt /v.txt\nCMD ["sleep", "3600"]\n`,
      'api/v.txt': 'one',
    });
    watch = startTscompose(['-p', project, 'watch'], { cwd: dir });
    await eventually(() => /Watch enabled/.test(stderr()), 120_000, `"Watch enabled"\n${stderr()}`);
  });

  after(async () => {
    watch?.child.kill('SIGKILL');
    await cleanupProject(project);
    for (const image of await engine.images.list({ labels: [projectFilter(project)] })) await engine.images.remove(image.id, true).catch(() => undefined);
    removeDir(dir);
  });

  it('creates, changes, deletes and renames files and a folder in the container; ignored files stay out', async () => {
    writeFileSync(join(dir, 'src/new.txt'), 'created');
    mkdirSync(join(dir, 'src/folder/deep'), { recursive: true });
    writeFileSync(join(dir, 'src/folder/deep/f.txt'), 'deep');
    writeFileSync(join(dir, 'src/skip.tmp'), 'ignored');
    await until(() => shell('web', 'cat /app/new.txt; cat /app/folder/deep/f.txt'), (v) => v === 'createddeep', 'created files');

    writeFileSync(join(dir, 'src/new.txt'), 'changed');
    rmSync(join(dir, 'src/keep.txt'));
    renameSync(join(dir, 'src/folder'), join(dir, 'src/moved'));
    await until(() => shell('web', 'cat /app/new.txt; echo; ls /app'), (v) => v === 'changed\nmoved\nnew.txt\n', 'changed, deleted, renamed');
    assert.equal(await shell('web', 'cat /app/moved/deep/f.txt'), 'deep');
    assert.equal(await shell('web', 'test -e /app/skip.tmp && echo present || echo absent'), 'absent\n');
    assert.match(stderr(), /Syncing "web" after \d+ changes? (was|were) detected/);
  });

  it('copies a symlink as a symlink, as Compose does', async () => {
    symlinkSync('new.txt', join(dir, 'src/link'));
    await until(() => shell('web', 'readlink /app/link; cat /app/link'), (v) => v === 'new.txt\nchanged', 'the symlink');
  });

  it('a burst of 1,000 writes ends with the final content inside, in a few syncs', async () => {
    const before = count(/Syncing "web"/);
    for (let i = 0; i < 1000; i++) writeFileSync(join(dir, `src/burst-${i % 100}.txt`), `write ${i}`);
    await until(() => shell('web', 'cat /app/burst-99.txt /app/burst-0.txt'), (v) => v === 'write 999write 900', 'the last writes');
    const sums = await shell('web', 'for i in $(seq 0 99); do cat /app/burst-$i.txt; echo; done');
    assert.deepEqual(sums.trim().split('\n'), Array.from({ length: 100 }, (_, i) => `write ${900 + i}`));
    const syncs = count(/Syncing "web"/) - before;
    assert.ok(syncs >= 1 && syncs <= 5, `${syncs} syncs for 1,000 writes`);
  });

  it('sync+restart syncs, then restarts the container', async () => {
    const starts = (await shell('hup', 'cat /tmp/starts')).trim().split('\n').length;
    writeFileSync(join(dir, 'conf/app.conf'), 'a=2');
    await until(() => shell('hup', 'cat /tmp/starts'), (v) => v.trim().split('\n').length > starts, 'a restart');
    assert.equal(await shell('hup', 'cat /conf/app.conf'), 'a=2');
    assert.match(stderr(), /Restarting "hup"/);
  });

  it('sync+exec runs its command after the sync', async () => {
    writeFileSync(join(dir, 'hooks/h.txt'), 'second');
    await until(() => shell('ex', 'cat /tmp/ran'), (v) => v === 'second', 'the exec command');
    assert.match(stderr(), /Ran "sh -c cat \/hooks\/h.txt > \/tmp\/ran" in .*ex-1 \(exit code 0\)/);
  });

  it('rebuild gives a container from a new image, and prunes the old one', async () => {
    const old = await containerOf('api');
    assert.equal(await shell('api', 'cat /v.txt'), 'one');
    writeFileSync(join(dir, 'api/v.txt'), 'two');
    await until(async () => ({ id: (await containerOf('api')).id, v: await shell('api', 'cat /v.txt') }), (n) => n.id !== old.id && n.v === 'two',
      'a rebuilt container', 120_000);
    assert.notEqual((await containerOf('api')).imageId, old.imageId);
    assert.match(stderr(), /Rebuilding "api"/);
    await until(() => engine.images.inspect(old.imageId), (image) => image === undefined, 'the old image pruned');
  });

  it('Ctrl-C stops watching with exit code 130 and leaves the containers running', async () => {
    watch.child.kill('SIGINT');
    assert.equal(await watch.exited, 130, stderr());
    assert.match(stderr(), /Watch disabled/);
    assert.equal((await projectContainers(project, false)).length, 4);
  });
});

describe('up --watch: attached up that also watches', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('upwatch');
  let dir: string;

  before(() => {
    dir = projectDir({
      'compose.yaml': `services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'echo web-bye; exit 0' TERM; echo web-up; sleep 3600 & wait"]
    develop:
      watch:
        - { path: ./src, action: sync, target: /app }
`,
      'src/a.txt': 'a',
    });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('syncs while showing the logs, and Ctrl-C stops the containers as attached up does', async () => {
    const up = startTscompose(['-p', project, 'up', '--watch'], { cwd: dir });
    try {
      await eventually(() => /Watch enabled/.test(up.output().stderr) && /web-up/.test(up.output().stdout), 60_000, 'watching and the service up');
      writeFileSync(join(dir, 'src/b.txt'), 'synced');
      const [web] = await projectContainers(project, false);
      assert.ok(web);
      await until(async () => (await engine.exec.run(web.id, { command: ['cat', '/app/b.txt'] })).stdout, (v) => v === 'synced', 'the sync');
      up.child.kill('SIGINT');
      assert.equal(await up.exited, 130, up.output().stderr);
      assert.match(up.output().stdout, /web-bye/);
      assert.equal((await projectContainers(project, false)).length, 0, 'nothing left running');
    } finally {
      up.child.kill('SIGKILL');
    }
  });

  it('a project without develop.watch is refused with exit code 3 and nothing started', async () => {
    const plain = projectDir({ 'compose.yaml': `services:\n  web:\n    image: ${TEST_IMAGE}\n` });
    try {
      const run = startTscompose(['-p', `${project}-none`, 'watch'], { cwd: plain });
      assert.equal(await run.exited, 3, run.output().stderr);
      assert.match(run.output().stderr, /none of the selected services is configured for watch/);
      assert.equal((await projectContainers(`${project}-none`)).length, 0);
    } finally {
      await cleanupProject(`${project}-none`);
      removeDir(plain);
    }
  });

  it('-d --watch is refused: watching needs an attached up', async () => {
    const run = startTscompose(['-p', project, 'up', '-d', '--watch'], { cwd: dir });
    assert.equal(await run.exited, 2);
    assert.match(run.output().stderr, /--watch/);
  });
});
