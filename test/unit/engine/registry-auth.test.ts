import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerConfig, registryOf } from '../../../src/engine/registry-auth.js';
import { registryFailure } from '../../../src/engine/registry-errors.js';

describe('registry credentials and messages', () => {
  it('finds the registry of a reference', () => {
    assert.equal(registryOf('busybox'), 'docker.io');
    assert.equal(registryOf('library/busybox:1'), 'docker.io');
    assert.equal(registryOf('127.0.0.1:5000/a/b:1'), '127.0.0.1:5000');
    assert.equal(registryOf('localhost/a'), 'localhost');
    assert.equal(registryOf('ghcr.io/o/i'), 'ghcr.io');
  });

  it('reads auths from config.json, with or without a scheme, and encodes the header as dockerd decodes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tscompose-cfg-'));
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:secret').toString('base64') },
          'http://127.0.0.1:5000': { auth: Buffer.from('me:p:w').toString('base64') },
        },
      }));
      const config = new DockerConfig(dir);
      assert.deepEqual(await config.credentials('127.0.0.1:5000'), { serveraddress: 'http://127.0.0.1:5000', username: 'me', password: 'p:w' });
      assert.equal((await config.credentials('docker.io'))?.username, 'hub');
      assert.equal(await config.credentials('ghcr.io'), undefined);
      const header = await config.authHeader('127.0.0.1:5000');
      assert.equal(header.length % 4, 0);
      assert.doesNotMatch(header, /[+/]/);
      assert.equal(JSON.parse(Buffer.from(header, 'base64url').toString()).username, 'me');
      assert.equal(Buffer.from(await new DockerConfig(join(dir, 'none')).authHeader('x'), 'base64url').toString(), '{}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns registry messages into ones that name the image and the registry', () => {
    const context = { configPath: '/h/.docker/config.json', hasCredentials: false };
    const missing = registryFailure('pull', 'r:5000/a', 'r:5000', 'manifest for r:5000/a:latest not found: manifest unknown: manifest unknown', context);
    assert.equal(missing.message, 'image r:5000/a:latest not found in registry r:5000');
    const login = registryFailure('pull', 'r:5000/a:1', 'r:5000', 'Head "http://r:5000/v2/a/manifests/1": no basic auth credentials', context);
    assert.match(login.message, /^registry r:5000 refused the login to pull r:5000\/a:1/);
    assert.match(login.hint ?? '', /no credentials for r:5000 in \/h\/\.docker\/config\.json/);
  });
});
