import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TEST_IMAGE, cleanupProject, engine, projectContainers, projectDir, removeDir, runTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';
import { startRegistry, type LocalRegistry } from '../helpers/registry.js';
import { Label, projectFilter } from '../../src/model/labels.js';
import { BUILD_INPUTS_LABEL } from '../../src/reconcile/build-request.js';

/** Removes the containers, networks, volumes and images labelled with the project, and any extra image names. */
async function cleanupWithImages(project: string, extra: readonly string[] = []): Promise<void> {
  await cleanupProject(project);
  const images = await engine.images.list({ labels: [projectFilter(project)] });
  for (const image of images) await engine.images.remove(image.id, true).catch(() => undefined);
  for (const name of extra) await engine.images.remove(name, true).catch(() => undefined);
}

const dockerfile = (extra = '') => `FROM ${TEST_IMAGE}
COPY . /app
RUN test -e /app/keep.txt && test ! -e /app/secret.txt && test ! -e /app/logs/debug.log
${extra}CMD ["sh", "-c", "trap 'exit 0' TERM; cat /app/keep.txt; sleep 3600 & wait"]
`;

function buildContext(dir: string): void {
  mkdirSync(join(dir, 'app/logs'), { recursive: true });
  writeFileSync(join(dir, 'app/Dockerfile'), dockerfile());
  writeFileSync(join(dir, 'app/keep.txt'), 'kept\n');
  writeFileSync(join(dir, 'app/secret.txt'), 'must not reach the image\n');
  writeFileSync(join(dir, 'app/logs/debug.log'), 'noise\n');
  writeFileSync(join(dir, 'app/.dockerignore'), 'secret.txt\nlogs\n');
}

describe('images: build, push, pull against a real registry', function () {
  this.timeout(180_000);
  let registry: LocalRegistry;
  const project = uniqueProjectName('images');
  const dirs: string[] = [];
  let image: string;

  before(async () => {
    registry = await startRegistry();
    image = `${registry.host}/${project}/app:1`;
  });
  after(async () => {
    await cleanupWithImages(project, [image]);
    await registry?.stop();
    dirs.forEach(removeDir);
  });

  it('builds a service image with Compose\'s labels and ours, honouring .dockerignore', async () => {
    const dir = projectDir({ 'compose.yaml': `services:\n  app:\n    image: ${image}\n    build: ./app\n` });
    dirs.push(dir);
    buildContext(dir);
    const result = await runTscompose(['-p', project, 'build'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /#\d+ \[1\/3\] FROM docker\.io\/tscompose\/busybox:1/, 'BuildKit by default');
    const built = await engine.images.inspect(image);
    assert.equal(built?.labels[Label.project], project);
    assert.equal(built?.labels[Label.service], 'app');
    assert.match(built?.labels[BUILD_INPUTS_LABEL] ?? '', /^context=[0-9a-f]{16},dockerfile=[0-9a-f]{16},options=[0-9a-f]{16},bases=(?:[0-9a-f]{16}|-)$/);
  });

  it('pushes it, and after it is removed locally `up` pulls it back and runs it', async () => {
    const dir = projectDir({ 'compose.yaml': `services:\n  app:\n    image: ${image}\n    build: ./app\n` });
    dirs.push(dir);
    buildContext(dir);
    const push = await runTscompose(['-p', project, 'push'], { cwd: dir });
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stderr, /Pushed/);
    await engine.images.remove(image, true);
    assert.equal(await engine.images.inspect(image), undefined);

    const runDir = projectDir({ 'compose.yaml': `services:\n  app:\n    image: ${image}\n` });
    dirs.push(runDir);
    const plan = await runTscompose(['-p', project, '--dry-run', 'up', '-d'], { cwd: runDir });
    assert.match(plan.stdout, new RegExp(`image:${image.replace(/[.]/g, '\\.')} +pull +not present locally`));
    const up = await runTscompose(['-p', project, 'up', '-d'], { cwd: runDir });
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /Pulled/);
    const [container] = await projectContainers(project);
    assert.equal(container?.state, 'running');
    assert.equal(container?.image, image);
    await runTscompose(['-p', project, 'down'], { cwd: runDir });
  });

  it('`pull` of a tag the registry does not have fails with the image and registry named', async () => {
    const missing = `${registry.host}/${project}/app:no-such-tag`;
    const dir = projectDir({ 'compose.yaml': `services:\n  app:\n    image: ${missing}\n` });
    dirs.push(dir);
    const result = await runTscompose(['-p', project, 'pull'], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`image ${missing.replace(/[.]/g, '\\.')} not found in registry ${registry.host.replace(/[.]/g, '\\.')}`));
    assert.doesNotMatch(result.stderr, /\n\s+at .*:\d+:\d+\)/);
    const ignored = await runTscompose(['-p', project, 'pull', '--ignore-pull-failures'], { cwd: dir });
    assert.equal(ignored.code, 0, ignored.stderr);
    assert.match(ignored.stderr, /WARN .*not found in registry.*\(ignored\)/);
  });
});

describe('images: a registry that refuses the login', function () {
  this.timeout(60_000);
  let registry: LocalRegistry;
  const project = uniqueProjectName('login');
  const dirs: string[] = [];
  before(async () => {
    registry = await startRegistry({ htpasswd: 'tsct:$2a$04$NF3bJo2dXabi7biioZlIUurumtIkTxvkcSyfvc92XhshzA4M7ulTi' });
  });
  after(async () => {
    await cleanupWithImages(project);
    await registry?.stop();
    dirs.forEach(removeDir);
  });

  it('says the registry refused the login, and where the credentials come from', async () => {
    const dir = projectDir({
      'compose.yaml': `services:\n  app:\n    image: ${registry.host}/x/app:1\n`,
      'docker-config/config.json': JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('tsct:wrong-password').toString('base64') } } }),
    });
    dirs.push(dir);
    const result = await runTscompose(['-p', project, 'pull'], { cwd: dir, env: { DOCKER_CONFIG: join(dir, 'docker-config') } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`registry ${registry.host.replace(/[.]/g, '\\.')} refused the login`));
    assert.match(result.stderr, /docker-config\/config\.json were refused/);
  });

  it('sends the credentials of the Docker config file (right password: the image is simply not there)', async () => {
    const dir = projectDir({
      'compose.yaml': `services:\n  app:\n    image: ${registry.host}/x/app:1\n`,
      'docker-config/config.json': JSON.stringify({ auths: { [`http://${registry.host}`]: { auth: Buffer.from('tsct:right-password').toString('base64') } } }),
    });
    dirs.push(dir);
    const result = await runTscompose(['-p', project, 'pull'], { cwd: dir, env: { DOCKER_CONFIG: join(dir, 'docker-config') } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not found in registry/);
  });
});

describe('images: rebuild on up when the build inputs change', function () {
  this.timeout(180_000);
  const project = uniqueProjectName('rebuild');
  let dir: string;
  before(() => {
    dir = projectDir({ 'compose.yaml': 'services:\n  app:\n    build: ./app\n' });
    buildContext(dir);
  });
  after(async () => {
    await cleanupWithImages(project);
    removeDir(dir);
  });
  const plan = async (): Promise<string> => {
    const result = await runTscompose(['-p', project, '--dry-run', 'up', '-d'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.trim();
  };

  it('builds a missing image named <project>-<service>, then runs it', async () => {
    assert.match(await plan(), new RegExp(`image:${project}-app +build +not present locally`));
    const up = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
    assert.equal(up.code, 0, up.stderr);
    assert.ok(await engine.images.inspect(`${project}-app`));
    assert.equal((await projectContainers(project))[0]?.state, 'running');
  });

  it('no change: nothing to do', async () => {
    assert.equal(await plan(), 'nothing to do');
  });

  it('an ignored file changing is no change', async () => {
    writeFileSync(join(dir, 'app/secret.txt'), 'another secret\n');
    writeFileSync(join(dir, 'app/logs/new.log'), 'more noise\n');
    assert.equal(await plan(), 'nothing to do');
  });

  it('a context file changing rebuilds the image and recreates the container', async () => {
    writeFileSync(join(dir, 'app/keep.txt'), 'changed\n');
    assert.match(await plan(), new RegExp(`image:${project}-app +build +build context changed`));
    const before = (await projectContainers(project))[0];
    const up = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
    assert.equal(up.code, 0, up.stderr);
    const after = (await projectContainers(project))[0];
    assert.notEqual(after?.id, before?.id);
    assert.notEqual(after?.imageId, before?.imageId);
    assert.equal(after?.state, 'running');
    assert.equal(await plan(), 'nothing to do');
  });

  it('a Dockerfile change says so', async () => {
    writeFileSync(join(dir, 'app/Dockerfile'), dockerfile('ENV CHANGED=1\n'));
    assert.match(await plan(), /build +Dockerfile changed/);
  });

  it('a failing build names the failing step and shows the output', async () => {
    writeFileSync(join(dir, 'app/Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo about to fail && false\n`);
    const result = await runTscompose(['-p', project, '--progress', 'quiet', 'build'], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /build of .*-app failed at "\[2\/2\] RUN echo about to fail && false"/);
    assert.match(result.stderr, /exit code: 1/);
    assert.match(result.stderr, /about to fail/);
  });
});
