import assert from 'node:assert/strict';
import {
  TEST_IMAGE, cleanupProject, projectContainers, projectDir, removeDir, runTscompose, serviceOf, uniqueProjectName,
} from '../helpers/cli-harness.js';
import { rawInspect } from '../helpers/raw-inspect.js';

const sleeper = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;

// Compose reads only the env files of the services a command runs; commands that create nothing
// (down, ps, stop...) read none.
describe('a missing env_file of a service that does not run', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('envsel');
  let dir: string;

  before(() => {
    dir = projectDir({
      'compose.yaml': `
services:
  web:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    env_file: [web.env]
  worker:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    env_file: [missing.env]
  tool:
    image: ${TEST_IMAGE}
    profiles: [ops]
    env_file: [missing-too.env]
`,
      'web.env': 'FROM_FILE=web\n',
    });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('up -d web, config web, ps and down work; web gets its env file', async () => {
    const up = await runTscompose(['-p', project, 'up', '-d', 'web'], { cwd: dir });
    assert.equal(up.code, 0, up.stderr);
    const containers = await projectContainers(project);
    assert.deepEqual(containers.map(serviceOf), ['web']);
    const inspected = await rawInspect(containers[0]!.id);
    assert.ok((inspected['Config']['Env'] as string[]).includes('FROM_FILE=web'), String(inspected['Config']['Env']));

    const config = await runTscompose(['-p', project, 'config', 'web'], { cwd: dir });
    assert.equal(config.code, 0, config.stderr);
    assert.match(config.stdout, /FROM_FILE: web/);

    const ps = await runTscompose(['-p', project, 'ps', '-q'], { cwd: dir });
    assert.equal(ps.code, 0, ps.stderr);
    const down = await runTscompose(['-p', project, 'down', '-t', '1'], { cwd: dir });
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await projectContainers(project), []);
  });

  it('a selected service\'s missing env file stops before any change, naming file, line and key', async () => {
    const up = await runTscompose(['-p', project, 'up', '-d', 'worker'], { cwd: dir });
    assert.equal(up.code, 3, up.stderr);
    assert.match(up.stderr, /missing\.env/);
    assert.match(up.stderr, /compose\.yaml:10/);
    assert.match(up.stderr, /services\.worker\.env_file\[0\]/);
    assert.deepEqual(await projectContainers(project), []);
  });
});

describe('config --no-env-resolution', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = projectDir({
      'compose.yaml': 'services:\n  a:\n    image: x\n    env_file: [a.env]\n    environment: { DECLARED: "1" }\n',
      'a.env': 'FROM_FILE=secret\n',
    });
  });
  after(() => removeDir(dir));

  it('keeps env_file and prints only the declared environment', async () => {
    const plain = await runTscompose(['config'], { cwd: dir });
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /FROM_FILE: secret/);
    assert.doesNotMatch(plain.stdout, /env_file/);
    const kept = await runTscompose(['config', '--no-env-resolution'], { cwd: dir });
    assert.equal(kept.code, 0, kept.stderr);
    assert.doesNotMatch(kept.stdout, /FROM_FILE/);
    assert.match(kept.stdout, /DECLARED: "1"/);
    assert.match(kept.stdout, /env_file:\n\s+- path: .*a\.env/);
  });
});
