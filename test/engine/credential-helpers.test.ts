import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_IMAGE, engine, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';
import { startRegistry, type LocalRegistry } from '../helpers/registry.js';

// Registry credentials from credential helpers (`docker-credential-<name> get`), as the Docker CLI
// finds them: credHelpers for one registry, credsStore for all; a real registry with htpasswd.
describe('registry credentials from credential helpers', function () {
  this.timeout(120_000);
  let registry: LocalRegistry;
  let dir: string;
  const project = uniqueProjectName('cred');
  let image: string;

  const helper = (name: string, script: string): void => {
    const path = join(dir, 'bin', `docker-credential-${name}`);
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
  };
  const run = (args: readonly string[], config: unknown) => {
    writeFileSync(join(dir, 'docker-config', 'config.json'), JSON.stringify(config));
    return runTscompose(['-p', project, ...args], {
      cwd: dir,
      env: { DOCKER_CONFIG: join(dir, 'docker-config'), PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}`, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined },
    });
  };
  const hasImage = async (): Promise<boolean> => (await engine.images.list({ reference: image })).length > 0;
  const untag = (): void => void spawnSync('docker', ['rmi', image], { stdio: 'ignore' });

  before(async () => {
    registry = await startRegistry({ htpasswd: 'tsct:$2a$04$NF3bJo2dXabi7biioZlIUurumtIkTxvkcSyfvc92XhshzA4M7ulTi' });
    image = `${registry.host}/tsct-cred/app:1`;
    // push takes the services with a build section (as Compose does); the image is tagged, never built.
    dir = projectDir({
      'compose.yaml': `services:\n  app:\n    image: ${image}\n    build: ./app\n`,
      'app/Dockerfile': `FROM ${TEST_IMAGE}\n`,
      'docker-config/.keep': '',
    });
    mkdirSync(join(dir, 'bin'));
    // Answers for our registry only, as a keychain would; the protocol's "not found" for anything else.
    helper('tsct', [
      'read server',
      `if [ "$server" = "${registry.host}" ]; then`,
      `  printf '{"ServerURL":"%s","Username":"tsct","Secret":"right-password"}' "$server"`,
      'else echo "credentials not found in native keychain"; exit 1; fi',
    ].join('\n'));
    helper('tsctfail', 'echo "the keychain is locked" >&2; exit 1');
    const tagged = spawnSync('docker', ['tag', TEST_IMAGE, image]);
    assert.equal(tagged.status, 0, tagged.stderr.toString());
  });
  after(async () => {
    untag();
    await registry?.stop();
    if (dir !== undefined) removeDir(dir);
  });

  it('without credentials the registry refuses the push (the helper is what makes it work)', async () => {
    const result = await run(['push'], {});
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, /refused the login/);
  });

  it('pushes with credentials from credHelpers, pulls them back with credsStore', async () => {
    const pushed = await run(['push'], { credHelpers: { [registry.host]: 'tsct' } });
    assert.equal(pushed.code, 0, pushed.stderr);
    untag();
    assert.equal(await hasImage(), false);
    const pulled = await run(['pull', 'app'], { credsStore: 'tsct', auths: { [registry.host]: {} } });
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(await hasImage(), true);
  });

  it('a failing helper and a missing one: an error naming the helper, nothing pulled', async () => {
    untag();
    const failing = await run(['pull'], { credHelpers: { [registry.host]: 'tsctfail' } });
    assert.equal(failing.code, 1);
    assert.match(failing.stderr, new RegExp(`the credential helper docker-credential-tsctfail failed for ${registry.host.replace(/\./g, '\\.')} \\(exit 1\\): the keychain is locked`));
    assert.doesNotMatch(failing.stderr, /\n\s+at /);
    const missing = await run(['pull'], { credsStore: 'tsct-none' });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /the credential helper docker-credential-tsct-none \(credsStore in .*config\.json\) was not found on PATH/);
    assert.equal(await hasImage(), false);
  });
});
