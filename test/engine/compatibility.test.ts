import assert from 'node:assert/strict';
import { TEST_IMAGE, cleanupProject, projectContainers, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

describe('--compatibility and COMPOSE_COMPATIBILITY: Compose v1 container names', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('compat');
  let dir: string;
  const run = (args: string[], env: Record<string, string> = {}) => runTscompose(['-p', project, ...args], { cwd: dir, env: { ...process.env, ...env } });
  before(() => {
    dir = projectDir({
      'compose.yaml': `
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo hello; sleep 3600 & wait"]
    depends_on: [db]
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
`,
    });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('up names containers <project>_<service>_<n>; ps and a plain up find them by their labels', async () => {
    const up = await run(['--compatibility', 'up', '-d']);
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual((await projectContainers(project)).map((c) => c.name), [`${project}_db_1`, `${project}_web_1`]);
    const ps = await run(['ps', '--format', '{{.Name}}']);
    assert.deepEqual(ps.stdout.trim().split('\n').sort(), [`${project}_db_1`, `${project}_web_1`]);
    const again = await run(['--dry-run', 'up', '-d']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to do/);
  });

  it('COMPOSE_COMPATIBILITY=1 names a one-off container with _ too, and down removes the service containers', async () => {
    const oneoff = await run(['run', '--rm', '-d', 'db'], { COMPOSE_COMPATIBILITY: '1' });
    assert.equal(oneoff.code, 0, oneoff.stderr);
    const names = (await projectContainers(project)).map((c) => c.name);
    assert.ok(names.some((n) => n.startsWith(`${project}_db_run_`)), names.join(' '));
    const down = await run(['down'], { COMPOSE_COMPATIBILITY: '1' });
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual((await projectContainers(project)).map((c) => c.name).filter((n) => !n.includes('_run_')), []);
  });
});
