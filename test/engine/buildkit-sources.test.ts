import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  TEST_IMAGE, cleanupProject, engine, projectDir, removeDir, runTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';
import { recordingProxy } from '../helpers/recording-proxy.js';
import { startRegistry, type LocalRegistry } from '../helpers/registry.js';
import { projectFilter } from '../../src/model/labels.js';

const run = promisify(execFile);

/** Runs a command in a throwaway container of the image and returns its output. */
async function inImage(image: string, script: string): Promise<string> {
  const { stdout } = await run('docker', ['run', '--rm', image, 'sh', '-c', script]);
  return stdout;
}

function getJson(url: string, accept?: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    get(url, { headers: accept === undefined ? {} : { Accept: accept } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as Record<string, unknown>);
        } catch (error) {
          reject(new Error(`${url}: ${res.statusCode ?? '?'} ${body.slice(0, 200)} (${String(error)})`));
        }
      });
    }).on('error', reject);
  });
}

/** Build keys checked before anything changes, caches with a loopback registry, and a tarball URL context. */
describe('BuildKit builds: secrets checked up front, no_cache_filter, caches, tarball contexts', function () {
  this.timeout(240_000);
  const project = uniqueProjectName('bksrc');
  const dirs: string[] = [];
  const image = (name: string) => `${project}-${name}`;
  const build = (dir: string, args: readonly string[] = [], env: Record<string, string | undefined> = {}) =>
    runTscompose(['-p', project, '--progress', 'plain', 'build', ...args], { cwd: dir, env });
  const extraImages: string[] = [];

  after(async () => {
    await cleanupProject(project);
    for (const found of await engine.images.list({ labels: [projectFilter(project)] })) {
      await engine.images.remove(found.id, true).catch(() => undefined);
    }
    for (const name of extraImages) await engine.images.remove(name, true).catch(() => undefined);
    dirs.forEach(removeDir);
  });

  const dir = (files: Record<string, string>): string => {
    const d = projectDir(files);
    dirs.push(d);
    return d;
  };

  it('a build that needs nothing from the client opens no BuildKit session; one with a secret does', async () => {
    const proxy = await recordingProxy();
    try {
      const d = dir({
        'compose.yaml': `services:\n  plain:\n    image: ${image('plain')}\n    build: .\n  secret:\n    image: ${image('secret')}\n    build:\n      context: ./s\n      secrets: [token]\nsecrets:\n  token:\n    environment: TSCT_TOKEN\n`,
        Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo plain > /plain\n`,
        's/Dockerfile': `FROM ${TEST_IMAGE}\nRUN --mount=type=secret,id=token test "$(cat /run/secrets/token)" = shh\n`,
      });
      // An empty Docker config: no credentials for a session to serve.
      const env = { DOCKER_HOST: `unix://${proxy.socket}`, DOCKER_CONFIG: d, TSCT_TOKEN: 'shh' };
      const plain = await build(d, ['plain'], env);
      assert.equal(plain.code, 0, plain.stderr);
      assert.ok(proxy.requests.includes('POST /build'), proxy.requests.join(', '));
      assert.ok(!proxy.requests.includes('POST /session'), `a session was opened: ${proxy.requests.join(', ')}`);
      // The base image is looked up once, with the build's inputs, not again by the builder.
      const baseLookups = proxy.requests.filter((r) => r === `GET /images/${encodeURIComponent(TEST_IMAGE)}/json`);
      assert.equal(baseLookups.length, 1, proxy.requests.join(', '));
      assert.equal((await inImage(image('plain'), 'cat /plain')).trim(), 'plain');
      const withSecret = await build(d, ['secret'], env);
      assert.equal(withSecret.code, 0, withSecret.stderr);
      assert.ok(proxy.requests.includes('POST /session'), proxy.requests.join(', '));
    } finally {
      await proxy.close();
    }
  });

  it('a context over 16 MiB goes through the session\'s file sync (a named one too): .dockerignore applied, an edit seen by the next build', async () => {
    const proxy = await recordingProxy();
    try {
      const d = dir({
        'compose.yaml': `services:\n  big:\n    image: ${image('big')}\n    build: ./big\n  reader:\n    image: ${image('reader')}\n    build:\n      context: ./reader\n      additional_contexts: { data: ./big }\n`,
        'reader/Dockerfile': `FROM ${TEST_IMAGE}\nCOPY --from=data small.txt blob.bin /r/\n`,
        'big/Dockerfile': `FROM ${TEST_IMAGE}\nCOPY . /data/\nRUN cat /data/small.txt; ls -A /data | tr '\\n' ' '\n`,
        'big/.dockerignore': 'ignored.txt\n',
        'big/ignored.txt': 'no\n',
        'big/small.txt': 'first\n',
        'big/sub/deep.txt': 'deep\n',
      });
      writeFileSync(join(d, 'big/blob.bin'), Buffer.alloc(17 * 1024 * 1024, 7));
      const env = { DOCKER_HOST: `unix://${proxy.socket}`, DOCKER_CONFIG: d };
      const first = await build(d, [], env);
      assert.equal(first.code, 0, first.stderr);
      assert.ok(proxy.requests.includes('POST /session'), proxy.requests.join(', '));
      assert.equal(await inImage(image('big'), 'cat /data/small.txt /data/sub/deep.txt; ls -A /data; wc -c < /data/blob.bin'),
        'first\ndeep\n.dockerignore\nDockerfile\nblob.bin\nsmall.txt\nsub\n17825792\n');
      // The same folder as a named context: its stand-in image goes through file sync too (a session
      // each for big, data's stand-in and reader, whose rewritten Dockerfile travels apart).
      assert.equal(proxy.requests.filter((r) => r === 'POST /session').length, 3, proxy.requests.join(', '));
      assert.equal(await inImage(image('reader'), 'cat /r/small.txt; wc -c < /r/blob.bin'), 'first\n17825792\n');
      writeFileSync(join(d, 'big/small.txt'), 'second, longer\n');
      const second = await build(d, [], env);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(await inImage(image('big'), 'cat /data/small.txt'), 'second, longer\n');
      assert.equal(await inImage(image('reader'), 'cat /r/small.txt'), 'second, longer\n');
      assert.deepEqual((await engine.images.list({ labels: ['io.tscompose.named-context', projectFilter(project)] })).flatMap((i) => i.repoTags), []);
    } finally {
      await proxy.close();
    }
  });

  it('a build secret from an unset environment variable is refused before any build, naming the secret, the variable and the line', async () => {
    const d = dir({
      'compose.yaml': [
        'services:',
        '  first:',
        `    image: ${image('first')}`,
        '    build: { context: ./first }',
        '  second:',
        `    image: ${image('second')}`,
        '    build:',
        '      context: .',
        '      secrets:',
        '        - token',
        'secrets:',
        '  token:',
        `    environment: TSCT_UNSET_${project.replace(/-/g, '_').toUpperCase()}`,
        '',
      ].join('\n'),
      'first/Dockerfile': `FROM ${TEST_IMAGE}\nRUN echo first > /first\n`,
      Dockerfile: `FROM ${TEST_IMAGE}\nRUN --mount=type=secret,id=token cat /run/secrets/token\n`,
    });
    const result = await build(d);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /compose\.yaml:10/);
    assert.match(result.stderr, /secret "token" reads environment variable TSCT_UNSET_\w+, which is not set/);
    assert.equal(await engine.images.inspect(image('first')), undefined, 'nothing was built');
    assert.equal(await engine.images.inspect(image('second')), undefined, 'nothing was built');
  });

  it('no_cache_filter: the schema takes it; this engine cannot apply it, so the build is refused with the reason and the line', async () => {
    const d = dir({
      'compose.yaml': `services:\n  filtered:\n    image: ${image('filtered')}\n    build:\n      context: .\n      no_cache_filter: [base]\n`,
      Dockerfile: `FROM ${TEST_IMAGE} AS base\nRUN echo base > /base\nFROM base\nRUN echo top > /top\n`,
    });
    const result = await build(d);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /compose\.yaml:6/);
    assert.match(result.stderr, /no_cache_filter is not supported by this engine's BuildKit \(Engine API 1\.41\)/);
    assert.doesNotMatch(result.stderr, /schema|not allowed|unknown key/i);
    assert.equal(await engine.images.inspect(image('filtered')), undefined, 'nothing was built');
  });

  describe('with a loopback registry', () => {
    let registry: LocalRegistry;
    before(async () => {
      registry = await startRegistry();
    });
    after(async () => {
      await registry.stop();
    });

    it('cache_to type=registry and type=local are refused with the reason (the Engine API exports only the inline cache)', async () => {
      const d = dir({
        'compose.yaml': `services:\n  exported:\n    image: ${image('exported')}\n    build:\n      context: .\n      cache_to:\n        - type=inline\n        - type=registry,ref=${registry.host}/${project}/cache:1\n        - type=local,dest=./cache\n`,
        Dockerfile: `FROM ${TEST_IMAGE}\n`,
      });
      const result = await build(d);
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /compose\.yaml:8/);
      assert.match(result.stderr, /cache_to type "registry" cannot be exported by the engine's BuildKit: the Engine API exports only the inline cache/);
      assert.equal(await engine.images.inspect(image('exported')), undefined, 'nothing was built');
    });

    it('cache_to type=inline pushed to the registry carries the cache; cache_from type=registry imports it', async () => {
      const pushed = `${registry.host}/${project}/app:1`;
      extraImages.push(pushed);
      const d = dir({
        'compose.yaml': [
          'services:',
          '  source:',
          `    image: ${pushed}`,
          '    build:',
          '      context: .',
          '      cache_to: [type=inline]',
          '  user:',
          `    image: ${image('user')}`,
          '    build:',
          '      context: .',
          `      cache_from: ["type=registry,ref=${pushed}"]`,
          '',
        ].join('\n'),
        Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${project} > /stamp\n`,
      });
      const pushedResult = await build(d, ['--push', 'source']);
      assert.equal(pushedResult.code, 0, pushedResult.stderr);
      // The inline cache is metadata in the image config, as BuildKit writes it.
      const name = `${project}/app`;
      const manifest = await getJson(`http://${registry.host}/v2/${name}/manifests/1`, 'application/vnd.docker.distribution.manifest.v2+json');
      const configDigest = (manifest['config'] as { digest: string }).digest;
      const config = await getJson(`http://${registry.host}/v2/${name}/blobs/${configDigest}`);
      assert.ok(Object.hasOwn(config, 'moby.buildkit.cache.v0'), `no inline cache in the pushed config: ${Object.keys(config).join(', ')}`);

      const userResult = await build(d, ['user']);
      assert.equal(userResult.code, 0, userResult.stderr);
      assert.match(userResult.stderr, new RegExp(`#\\d+ importing cache manifest from ${pushed.replace(/[.]/g, '\\.')}`));
      assert.doesNotMatch(userResult.stderr, /#\d+ ERROR/);
      assert.equal((await inImage(image('user'), 'cat /stamp')).trim(), project);
    });
  });

  it('a FROM image that is not in the engine: the build opens a session and pulls it with the Docker config\'s credentials', async () => {
    const registry = await startRegistry({ htpasswd: 'tsct:$2a$04$NF3bJo2dXabi7biioZlIUurumtIkTxvkcSyfvc92XhshzA4M7ulTi' });
    const base = `${registry.host}/${project}/base:1`;
    extraImages.push(base);
    try {
      const d = dir({
        'compose.yaml': `services:\n  base:\n    image: ${base}\n    build: ./base\n  private:\n    image: ${image('private')}\n    build: .\n`,
        'base/Dockerfile': `FROM ${TEST_IMAGE}\nRUN echo ${project} > /base-stamp\n`,
        Dockerfile: `FROM ${base}\nRUN cat /base-stamp > /copied\n`,
      });
      const withAuth = join(d, 'with-auth');
      mkdirSync(withAuth);
      writeFileSync(join(withAuth, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('tsct:right-password').toString('base64') } } }));
      const pushed = await build(d, ['--push', 'base'], { DOCKER_CONFIG: withAuth });
      assert.equal(pushed.code, 0, pushed.stderr);
      await engine.images.remove(base, true);
      // No credentials: the registry refuses BuildKit's pull, so it is the session's credentials that make the next build work.
      const refused = await build(d, ['private'], { DOCKER_CONFIG: join(d, 'base') });
      assert.notEqual(refused.code, 0, refused.stderr);
      assert.match(refused.stderr, /401|unauthorized|authorization|denied/i);
      const result = await build(d, ['private'], { DOCKER_CONFIG: withAuth });
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await inImage(image('private'), 'cat /copied')).trim(), project);
    } finally {
      await registry.stop();
    }
  });

  it('a tarball URL context from a loopback HTTP server', async () => {
    const content = dir({
      Dockerfile: `FROM ${TEST_IMAGE}\nCOPY hello.txt /hello.txt\n`,
      'hello.txt': `hello from ${project}\n`,
    });
    const archive = join(content, '..', `${project}-ctx.tar.gz`);
    dirs.push(archive);
    await run('tar', ['czf', archive, '-C', content, 'Dockerfile', 'hello.txt']);
    const body = readFileSync(archive);
    const requests: string[] = [];
    const server: Server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url !== '/ctx.tar.gz') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const d = dir({
        'compose.yaml': `services:\n  remote:\n    image: ${image('remote')}\n    build:\n      context: http://127.0.0.1:${port}/ctx.tar.gz\n`,
      });
      const result = await build(d);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(requests.includes('/ctx.tar.gz'), `the engine fetched ${requests.join(', ')}`);
      assert.equal((await inImage(image('remote'), 'cat /hello.txt')).trim(), `hello from ${project}`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
