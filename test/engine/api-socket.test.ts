import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TEST_IMAGE, cleanupProject, projectContainers, projectDir, removeDir, runTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';

// use_api_socket as Compose gives it: the engine's socket and the user's registry credentials.
describe('use_api_socket', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('apisock');
  let dir: string;
  let dockerConfig: string;
  const auth = Buffer.from('someone:s3cret').toString('base64');

  before(() => {
    dir = projectDir({
      'compose.yaml': `
services:
  tool:
    image: ${TEST_IMAGE}
    use_api_socket: true
    command: ["sh", "-c", "test -S /var/run/docker.sock && ls -l /var/run/docker.sock && echo DOCKER_CONFIG=$$DOCKER_CONFIG && cat /run/secrets/docker/config.json"]
`,
    });
    dockerConfig = mkdtempSync(join(tmpdir(), 'tscompose-test-dockercfg-'));
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { 'registry.example:5000': { auth } } }));
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
    removeDir(dockerConfig);
  });

  it('run: the socket is mounted, the credentials are in DOCKER_CONFIG', async () => {
    const run = await runTscompose(['-p', project, 'run', '--rm', 'tool'], { cwd: dir, env: { DOCKER_CONFIG: dockerConfig } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^s.* \/var\/run\/docker\.sock$/m);
    assert.match(run.stdout, /DOCKER_CONFIG=\/run\/secrets\/docker/);
    const json = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'), run.stdout.lastIndexOf('}') + 1)) as { auths: Record<string, { auth: string }> };
    assert.deepEqual(json.auths, { 'registry.example:5000': { auth } });
  });

  it('up: the service container gets the same', async () => {
    const up = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir, env: { DOCKER_CONFIG: dockerConfig } });
    assert.equal(up.code, 0, up.stderr);
    // The command exits once it has printed: wait for it with `wait`.
    await runTscompose(['-p', project, 'wait', 'tool'], { cwd: dir });
    const done = await runTscompose(['-p', project, 'logs', '--no-log-prefix', 'tool'], { cwd: dir });
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /DOCKER_CONFIG=\/run\/secrets\/docker/);
    assert.match(done.stdout, /registry\.example:5000/);
    // A second up keeps the container: the mount, variable and config are in the config hash the
    // same way each time, and the credentials themselves are not.
    const [before] = await projectContainers(project);
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { 'other.example': { auth } } }));
    const again = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir, env: { DOCKER_CONFIG: dockerConfig } });
    assert.equal(again.code, 0, again.stderr);
    const [after] = await projectContainers(project);
    assert.equal(after?.id, before?.id);
  });
});
