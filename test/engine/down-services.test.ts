import assert from 'node:assert/strict';
import {
  TEST_IMAGE, cleanupProject, engine, projectContainers, projectDir, removeDir, runTscompose, serviceOf, uniqueProjectName,
} from '../helpers/cli-harness.js';

const sleeper = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;

describe('down SERVICE takes off only that service', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('downsvc');
  let dir: string;

  before(() => {
    dir = projectDir({
      'compose.yaml': `
services:
  db:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    networks: [default, back]
    volumes: ["shared:/shared"]
  web:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    depends_on: [db]
    networks: [front, back]
    volumes: ["shared:/shared", "webonly:/own"]
  cache:
    image: ${TEST_IMAGE}
    command: ${sleeper}
networks:
  front: {}
  back: {}
volumes:
  shared: {}
  webonly: {}
`,
    });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('removes the named service\'s containers and what only it used; the others keep running', async () => {
    assert.equal((await runTscompose(['-p', project, 'up', '-d'], { cwd: dir })).code, 0);
    const before = new Map((await projectContainers(project)).map((c) => [serviceOf(c), c.id]));
    assert.deepEqual([...before.keys()].sort(), ['cache', 'db', 'web']);

    const down = await runTscompose(['-p', project, 'down', '-v', '-t', '1', 'web'], { cwd: dir });
    assert.equal(down.code, 0, down.stderr);

    const after = await projectContainers(project);
    assert.deepEqual(after.map((c) => [serviceOf(c), c.id, c.state]).sort(), [
      ['cache', before.get('cache'), 'running'],
      ['db', before.get('db'), 'running'],
    ]);
    // Networks and volumes another service still uses stay; those only web used go.
    assert.notEqual(await engine.networks.find(`${project}_default`), undefined);
    assert.notEqual(await engine.networks.find(`${project}_back`), undefined);
    assert.equal(await engine.networks.find(`${project}_front`), undefined);
    assert.notEqual(await engine.volumes.find(`${project}_shared`), undefined);
    assert.equal(await engine.volumes.find(`${project}_webonly`), undefined);
  });

  it('refuses an unknown service name and changes nothing', async () => {
    const before = (await projectContainers(project)).map((c) => c.id).sort();
    const down = await runTscompose(['-p', project, 'down', 'nosuch'], { cwd: dir });
    assert.equal(down.code, 2, down.stderr);
    assert.match(down.stderr, /no such service: nosuch/);
    assert.deepEqual((await projectContainers(project)).map((c) => c.id).sort(), before);
  });
});
