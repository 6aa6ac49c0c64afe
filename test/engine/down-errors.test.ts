import assert from 'node:assert/strict';
import {
  TEST_IMAGE, cleanupProject, engine, projectContainers, projectDir, removeDir, runTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';

describe('down when a network cannot be removed', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('downerr');
  const intruder = `${project}-intruder`;
  let dir: string;

  before(() => {
    dir = projectDir({
      'compose.yaml': `
services:
  app:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    volumes: [ "data:/data" ]
volumes:
  data: {}
`,
    });
  });
  after(async () => {
    await engine.containers.remove(intruder, { force: true, volumes: true });
    await cleanupProject(project);
    removeDir(dir);
  });

  it('names the network and what holds it, still removes containers and volumes, and exits 1', async () => {
    assert.equal((await runTscompose(['-p', project, 'up', '-d'], { cwd: dir })).code, 0);
    // A container of no project joined to our network keeps it busy.
    await engine.containers.create(intruder, {
      Image: TEST_IMAGE, Cmd: ['sleep', '3600'], Labels: {}, HostConfig: { NetworkMode: `${project}_default` },
    });
    await engine.containers.start(intruder);
    const down = await runTscompose(['-p', project, 'down', '-v', '-t', '1'], { cwd: dir });
    assert.equal(down.code, 1);
    assert.match(down.stderr, new RegExp(`error: ${project}_default: remove network failed: network ${project}_default is still in use by ${intruder}`));
    assert.match(down.stderr, /hint: remove or disconnect those containers/);
    assert.deepEqual(await projectContainers(project), []);
    assert.equal(await engine.volumes.find(`${project}_data`), undefined);
    assert.equal((await engine.containers.inspect(intruder)).running, true);
  });
});
