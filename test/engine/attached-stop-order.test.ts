import assert from 'node:assert/strict';
import { TEST_IMAGE, cleanupProject, eventually, projectDir, removeDir, startTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

describe('attached up stops in reverse dependency order', function () {
  this.timeout(60_000);
  const project = uniqueProjectName('stoporder');
  let dir: string;
  // web takes a second to say goodbye, db none: stopped at the same time, db would speak first.
  const svc = (name: string, pause: number, extra = '') => `
  ${name}:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'sleep ${pause}; echo ${name}-bye; exit 0' TERM; echo ${name}-up; sleep 300 & wait"]${extra}`;

  before(() => {
    // web's pre_stop hook writes to its main process's output, which attached up shows.
    const webExtra = '\n    depends_on: [db]\n    pre_stop:\n      - command: ["sh", "-c", "echo web-pre-stop > /proc/1/fd/1"]';
    dir = projectDir({ 'compose.yaml': `services:${svc('db', 0)}${svc('web', 1, webExtra)}\n` });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('Ctrl-C runs web\'s pre_stop hook, then stops web before db, which web depends on', async () => {
    const up = startTscompose(['-p', project, 'up'], { cwd: dir });
    await eventually(() => /web-up/.test(up.output().stdout) && /db-up/.test(up.output().stdout), 30_000, 'both services up');
    up.child.kill('SIGINT');
    assert.equal(await up.exited, 130);
    const { stdout } = up.output();
    const web = stdout.indexOf('web-bye');
    const db = stdout.indexOf('db-bye');
    assert.ok(web >= 0 && db >= 0, stdout);
    assert.ok(web < db, `web should stop first:\n${stdout}`);
    const hook = stdout.indexOf('web-pre-stop');
    assert.ok(hook >= 0 && hook < web, `the pre_stop hook should run before web stops:\n${stdout}`);
  });
});
