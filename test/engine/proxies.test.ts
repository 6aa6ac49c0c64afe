import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_IMAGE, cleanupProject, engine, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';
import { rawInspect } from '../helpers/raw-inspect.js';

// `proxies` in the Docker config: the environment of created containers and the build args of
// both builders, under what the service sets itself (as the Docker CLI and Compose do).
describe('proxies from the Docker config', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('proxy');
  let dir: string;
  const image = `${project}-built:1`;
  const proxies = {
    default: { httpProxy: 'http://proxy.test:3128', httpsProxy: 'http://proxy.test:3129', noProxy: 'localhost,.internal' },
    // Another engine's entry is not ours.
    'tcp://10.0.0.9:2376': { httpProxy: 'http://elsewhere:1' },
  };
  const run = (args: readonly string[], env: Record<string, string | undefined> = {}) => runTscompose(['-p', project, ...args], {
    cwd: dir, env: { DOCKER_CONFIG: join(dir, 'docker-config'), DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, ...env },
  });
  const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => /_proxy=|_PROXY=/i.test(l)).sort();

  before(() => {
    dir = projectDir({
      'compose.yaml': [
        'services:',
        '  web:',
        `    image: ${TEST_IMAGE}`,
        '    command: ["sleep", "3600"]',
        '    environment:',
        '      https_proxy: http://mine:8080',
        '  built:',
        `    image: ${image}`,
        '    build:',
        '      context: ./built',
        '      args:',
        '        NO_PROXY: own-no-proxy',
        '    command: ["cat", "/build-env"]',
        '',
      ].join('\n'),
      // The proxy variables are predefined build args: a RUN step sees them without an ARG line.
      'built/Dockerfile': `FROM ${TEST_IMAGE}\nRUN env > /build-env\n`,
      'docker-config/config.json': JSON.stringify({ proxies }),
    });
  });
  after(async () => {
    await cleanupProject(project);
    spawnSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    if (dir !== undefined) removeDir(dir);
  });

  it('puts them in a created container\'s environment, the service\'s own value first', async () => {
    const up = await run(['up', '-d', 'web']);
    assert.equal(up.code, 0, up.stderr);
    const env = (await rawInspect(`${project}-web-1`))['Config']['Env'] as string[];
    assert.deepEqual(lines(env.join('\n')), [
      'HTTPS_PROXY=http://proxy.test:3129',
      'HTTP_PROXY=http://proxy.test:3128',
      'NO_PROXY=localhost,.internal',
      'http_proxy=http://proxy.test:3128',
      'https_proxy=http://mine:8080',
      'no_proxy=localhost,.internal',
    ]);
  });

  it('does not recreate a container when only the proxies change (they are not in the config hash, as in Compose)', async () => {
    const before = (await rawInspect(`${project}-web-1`))['Id'] as string;
    writeFileSync(join(dir, 'docker-config', 'config.json'), JSON.stringify({ proxies: { default: { httpProxy: 'http://changed:1' } } }));
    try {
      const up = await run(['up', '-d', 'web']);
      assert.equal(up.code, 0, up.stderr);
      assert.equal((await rawInspect(`${project}-web-1`))['Id'], before);
    } finally {
      writeFileSync(join(dir, 'docker-config', 'config.json'), JSON.stringify({ proxies }));
    }
  });

  for (const builder of ['BuildKit', 'classic'] as const) {
    it(`gives them to a ${builder} build as args, the build's own args first (in either spelling)`, async () => {
      spawnSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
      const built = await run(['build', '--no-cache', 'built'], { DOCKER_BUILDKIT: builder === 'classic' ? '0' : '1' });
      assert.equal(built.code, 0, built.stderr);
      const result = await run(['run', '--rm', '--no-deps', 'built']);
      assert.equal(result.code, 0, result.stderr);
      // BuildKit sets both spellings from whichever arg it has; the classic builder only the args given.
      assert.deepEqual(lines(result.stdout), [
        'HTTPS_PROXY=http://proxy.test:3129',
        'HTTP_PROXY=http://proxy.test:3128',
        'NO_PROXY=own-no-proxy',
        'http_proxy=http://proxy.test:3128',
        'https_proxy=http://proxy.test:3129',
        ...(builder === 'BuildKit' ? ['no_proxy=own-no-proxy'] : []),
      ]);
    });
  }

  it('a proxies entry of the wrong shape is an error naming the key, and nothing is created', async () => {
    writeFileSync(join(dir, 'docker-config', 'config.json'), JSON.stringify({ proxies: { default: { httpProxy: 3128 } } }));
    const other = uniqueProjectName('proxy-bad');
    try {
      const up = await runTscompose(['-p', other, 'up', '-d', 'web'], {
        cwd: dir, env: { DOCKER_CONFIG: join(dir, 'docker-config'), DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined },
      });
      assert.equal(up.code, 1, up.stdout);
      assert.match(up.stderr, /config\.json: proxies\["default"\]\.httpProxy must be a string/);
      assert.doesNotMatch(up.stderr, /\n\s+at /);
      assert.equal((await engine.containers.list({ all: true, labels: [`com.docker.compose.project=${other}`] })).length, 0);
      assert.equal((await engine.networks.list([`com.docker.compose.project=${other}`])).length, 0);
    } finally {
      writeFileSync(join(dir, 'docker-config', 'config.json'), JSON.stringify({ proxies }));
      await cleanupProject(other);
    }
  });
});
