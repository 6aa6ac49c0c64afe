import assert from 'node:assert/strict';
import { request } from 'node:http';
import { engine, TEST_IMAGE, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';
import { startRegistry, type LocalRegistry } from '../helpers/registry.js';

/** `docker tag`, straight to the engine's API (the engine client has no tag call: nothing else needs one). */
function tagImage(source: string, repo: string, tag: string): Promise<void> {
  const socket = (process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
  const path = `/images/${encodeURIComponent(source)}/tag?repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`;
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path, method: 'POST' }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`tag: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('config --resolve-image-digests, --lock-image-digests, --no-consistency', function () {
  this.timeout(180_000);
  const project = uniqueProjectName('digests');
  let registry: LocalRegistry;
  let repo: string;
  let dir: string;
  let digest: string;
  let stopped = false;
  const run = (...args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir });

  before(async () => {
    registry = await startRegistry();
    repo = `${registry.host}/${project}/bb`;
    await tagImage(TEST_IMAGE, repo, '1');
    await engine.images.push(`${repo}:1`);
    const pushed = (await engine.images.inspect(`${repo}:1`))?.repoDigests?.find((d) => d.startsWith(`${repo}@`));
    assert.ok(pushed !== undefined, 'the push gave the image a digest');
    digest = pushed.slice(pushed.indexOf('@') + 1);
    dir = projectDir({
      'compose.yaml': `
services:
  web:
    image: ${repo}:1
    command: ["sleep", "1"]
    networks: [front]
  job:
    image: ${repo}:1
networks:
  front: {}
`,
    });
  });
  after(async () => {
    await engine.images.remove(`${repo}:1`, true).catch(() => undefined);
    await engine.images.remove(`${repo}:2`, true).catch(() => undefined);
    if (!stopped) await registry?.stop();
    if (dir !== undefined) removeDir(dir);
  });

  it('--resolve-image-digests pins each image to the digest its registry gives, keeping the tag', async () => {
    const config = await run('config', '--resolve-image-digests', '--format', 'json');
    assert.equal(config.code, 0, config.stderr);
    const model = JSON.parse(config.stdout) as { name: string; services: Record<string, { image: string; command?: string[] }> };
    assert.equal(model.name, project);
    assert.equal(model.services['web']?.image, `${repo}:1@${digest}`);
    assert.equal(model.services['job']?.image, `${repo}:1@${digest}`);
    assert.deepEqual(model.services['web']?.command, ['sleep', '1']);
  });

  it('--lock-image-digests prints an override file with only the pinned images', async () => {
    const lock = await run('config', '--lock-image-digests');
    assert.equal(lock.code, 0, lock.stderr);
    assert.equal(lock.stdout.trim(), [
      'services:',
      '  job:',
      `    image: ${repo}:1@${digest}`,
      '  web:',
      `    image: ${repo}:1@${digest}`,
    ].join('\n'));
  });

  it('an image its registry does not have, and no local copy from it: an error naming it, exit 1', async () => {
    const other = projectDir({ 'compose.yaml': `services:\n  gone:\n    image: ${repo}:2\n` });
    try {
      const config = await runTscompose(['-p', project, 'config', '--resolve-image-digests'], { cwd: other });
      assert.equal(config.code, 1, config.stderr);
      assert.match(config.stderr, new RegExp(`cannot resolve the digest of image ${repo.replace(/[.]/g, '\\.')}:2`));
    } finally {
      removeDir(other);
    }
  });

  it('--resolve-image-digests with a list flag is a usage error', async () => {
    const config = await run('config', '--resolve-image-digests', '--services');
    assert.equal(config.code, 2, config.stderr);
    assert.match(config.stderr, /--resolve-image-digests cannot be combined with --services/);
  });

  it('--no-consistency prints a model whose references do not hold; without it, exit 3', async () => {
    const broken = projectDir({ 'compose.yaml': `services:\n  web:\n    image: ${TEST_IMAGE}\n    networks: [missing]\n    depends_on: [ghost]\n` });
    try {
      const checked = await runTscompose(['-p', project, 'config'], { cwd: broken });
      assert.equal(checked.code, 3, checked.stderr);
      assert.match(checked.stderr, /refers to undefined/);
      const unchecked = await runTscompose(['-p', project, 'config', '--no-consistency', '--format', 'json'], { cwd: broken });
      assert.equal(unchecked.code, 0, unchecked.stderr);
      const web = (JSON.parse(unchecked.stdout) as { services: Record<string, { networks: object; depends_on: object }> }).services['web'];
      assert.deepEqual(Object.keys(web?.networks ?? {}), ['missing']);
      assert.deepEqual(Object.keys(web?.depends_on ?? {}), ['ghost']);
    } finally {
      removeDir(broken);
    }
  });

  it('registry gone: pinned to the local copy\'s digest from that registry, with a warning', async () => {
    await registry.stop();
    stopped = true;
    const config = await run('config', '--resolve-image-digests', '--format', 'json');
    assert.equal(config.code, 0, config.stderr);
    assert.equal((JSON.parse(config.stdout) as { services: Record<string, { image: string }> }).services['web']?.image, `${repo}:1@${digest}`);
    assert.match(config.stderr, /the registry did not answer; pinned to the digest of the local copy/);
  });
});
