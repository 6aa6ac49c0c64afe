import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_IMAGE, cleanupProject, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

describe('cp between the host and a service container', function () {
  this.timeout(60_000);
  const project = uniqueProjectName('cp');
  let dir: string;
  const cli = (args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir });

  before(async () => {
    dir = projectDir({
      'compose.yaml': `services:\n  box:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "mkdir -p /data/sub && echo inside > /data/sub/a.txt; trap 'exit 0' TERM; sleep 3600 & wait"]\n`,
    });
    assert.equal((await cli(['up', '-d'])).code, 0);
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('copies a file out under a new name, and a folder into an existing host folder', async () => {
    // The container writes its files just after starting.
    for (let i = 0; i < 50 && (await cli(['exec', '-T', 'box', 'test', '-f', '/data/sub/a.txt'])).code !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await cli(['cp', 'box:/data/sub/a.txt', 'copy.txt'])).code, 0);
    assert.equal(readFileSync(join(dir, 'copy.txt'), 'utf8'), 'inside\n');
    mkdirSync(join(dir, 'out'));
    assert.equal((await cli(['cp', 'box:/data/sub', 'out'])).code, 0);
    assert.deepEqual(readdirSync(join(dir, 'out', 'sub')), ['a.txt']);
  });

  it('copies a host file and folder in, then reads them back inside', async () => {
    writeFileSync(join(dir, 'note.txt'), 'from host\n');
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf', 'x.ini'), 'x=1\n');
    assert.equal((await cli(['cp', 'note.txt', 'box:/data/renamed.txt'])).code, 0);
    assert.equal((await cli(['cp', 'conf', 'box:/data'])).code, 0);
    const read = await cli(['exec', '-T', 'box', 'cat', '/data/renamed.txt', '/data/conf/x.ini']);
    assert.equal(read.stdout, 'from host\nx=1\n');
  });

  it('says what is wrong with a missing path or two host paths', async () => {
    const missing = await cli(['cp', 'box:/nope', 'x']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /\/nope does not exist/);
    const twoHost = await cli(['cp', 'a', 'b']);
    assert.equal(twoHost.code, 2);
    assert.match(twoHost.stderr, /exactly one of the two paths must name a service/);
  });
});
