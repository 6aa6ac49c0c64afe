import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry } from '../helpers/registry.js';
import { secondEngineMissing, startSecondEngine } from '../helpers/second-engine.js';
import { TEST_IMAGE, engine, eventually, projectDir, removeDir, runTscompose, startTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

const STACK_LABEL = 'com.docker.stack.namespace';

const compose = (env: string, extra = '') => `
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /www && echo hello-web > /www/index.html && httpd -f -p 80 -h /www & wait"]
    environment: {A: "${env}"}
    stop_grace_period: 1s
    deploy: {replicas: 2, endpoint_mode: dnsrr}
    networks: [back]
  app:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    stop_grace_period: 1s
    secrets: [pw]
    configs: [{source: conf, target: /etc/app.conf}]
    networks: [back]
    depends_on:
      init: {condition: service_completed_successfully}
    deploy: {endpoint_mode: dnsrr}
  init:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo init done"]
    deploy: {mode: replicated-job}
    networks: [back]
${extra}
networks:
  back: {driver: overlay, attachable: true}
secrets:
  pw: {file: ./pw.txt}
configs:
  conf: {file: ./app.conf}
`;

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' });
}

async function services(stack: string) {
  return new Map((await engine.swarm.listServices([`${STACK_LABEL}=${stack}`])).map((s) => [s.spec.Name, s]));
}

async function taskIds(stack: string, name: string): Promise<string[]> {
  const service = (await services(stack)).get(`${stack}_${name}`);
  assert.ok(service, `service ${name}`);
  return (await engine.swarm.listTasks({ services: [service.id] })).map((t) => t.id).sort();
}

function containerOf(stack: string, name: string): string {
  return docker('ps', '-q', '-f', `label=com.docker.swarm.service.name=${stack}_${name}`).trim().split('\n')[0] as string;
}

async function leftovers(stack: string): Promise<string[]> {
  const filter = [`${STACK_LABEL}=${stack}`];
  const [s, t, n, c, k, containers] = await Promise.all([
    engine.swarm.listServices(filter), engine.swarm.listTasks({ labels: filter }), engine.swarm.listNetworks(filter),
    engine.swarm.listConfigs(filter), engine.swarm.listSecrets(filter), engine.containers.list({ all: true, labels: filter }),
  ]);
  return [...s.map((x) => x.spec.Name), ...t.filter((x) => !['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove'].includes(x.state)).map((x) => x.id), ...n.map((x) => x.name), ...c.map((x) => x.name), ...k.map((x) => x.name), ...containers.map((x) => x.name)];
}

describe('stack deploy / rm on a single-node swarm', function () {
  this.timeout(240_000);
  const stack = uniqueProjectName('stack').replace(/-/g, '_');
  let createdSwarm = false;
  let dir: string;
  const deploy = (...args: string[]) => runTscompose(['--progress', 'plain', 'stack', 'deploy', '--resolve-image', 'never', ...args, stack], { cwd: dir });

  before(async () => {
    const state = await engine.swarm.state();
    if (state.nodeState === 'inactive') {
      docker('swarm', 'init', '--advertise-addr', '127.0.0.1');
      createdSwarm = true;
    }
    dir = projectDir({ 'compose.yaml': compose('1'), 'app.conf': 'v1\n', 'pw.txt': 's3cret\n' });
  });
  after(async () => {
    if ((await engine.swarm.state()).isManager) {
      spawnSync('docker', ['stack', 'rm', stack]);
      for (let i = 0; i < 100 && (await leftovers(stack)).length > 0; i++) await new Promise((r) => setTimeout(r, 300));
    }
    removeDir(dir);
    if (createdSwarm) spawnSync('docker', ['swarm', 'leave', '--force']);
  });

  it('deploys: all services converge (the job completes), reachable by name over the overlay network', async () => {
    const result = await deploy();
    assert.equal(result.code, 0, result.stderr);
    const list = await services(stack);
    assert.deepEqual([...list.keys()].sort(), [`${stack}_app`, `${stack}_init`, `${stack}_web`]);
    for (const s of list.values()) {
      assert.equal(s.spec.Labels[STACK_LABEL], stack);
      assert.equal(s.spec.Labels['com.docker.stack.image'], TEST_IMAGE);
    }
    const running = (await engine.swarm.listTasks({ services: [list.get(`${stack}_web`)?.id as string] })).filter((t) => t.state === 'running');
    assert.equal(running.length, 2);
    const app = containerOf(stack, 'app');
    assert.equal(docker('exec', app, 'wget', '-qO-', 'http://tasks.web/').trim(), 'hello-web');
    assert.equal(docker('exec', app, 'cat', '/etc/app.conf'), 'v1\n');
    assert.equal(docker('exec', app, 'cat', '/run/secrets/pw'), 's3cret\n');
    // docker's own CLI sees the stack tscompose made.
    assert.match(docker('stack', 'ps', stack, '--format', '{{.Name}}'), new RegExp(`${stack}_web\\.1`));
  });

  it('a re-deploy with no change sends nothing', async () => {
    const before = await services(stack);
    const result = await deploy();
    assert.equal(result.code, 0, result.stderr);
    const after = await services(stack);
    for (const [name, s] of before) assert.equal(after.get(name)?.version, s.version, name);
  });

  it('a changed environment updates only that service; the others keep their spec version and tasks', async () => {
    const before = await services(stack);
    const appTasks = await taskIds(stack, 'app');
    writeFileSync(join(dir, 'compose.yaml'), compose('2'));
    const result = await deploy();
    assert.equal(result.code, 0, result.stderr);
    const after = await services(stack);
    assert.notEqual(after.get(`${stack}_web`)?.version, before.get(`${stack}_web`)?.version);
    assert.equal(after.get(`${stack}_app`)?.version, before.get(`${stack}_app`)?.version);
    assert.equal(after.get(`${stack}_init`)?.version, before.get(`${stack}_init`)?.version);
    assert.deepEqual(await taskIds(stack, 'app'), appTasks);
  });

  it('a changed config file: the re-deploy succeeds, the new content is in the container, the old config is gone', async () => {
    writeFileSync(join(dir, 'app.conf'), 'v2\n');
    const result = await deploy();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(docker('exec', containerOf(stack, 'app'), 'cat', '/etc/app.conf'), 'v2\n');
    const configs = await engine.swarm.listConfigs([`${STACK_LABEL}=${stack}`]);
    assert.equal(configs.length, 1);
  });

  it('a bad file changes nothing on the cluster', async () => {
    const before = await services(stack);
    writeFileSync(join(dir, 'compose.yaml'), compose('3', '  broken:\n    network_mode: "service:web"\n    image: x\n'));
    const result = await deploy();
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /network_mode/);
    const after = await services(stack);
    for (const [name, s] of before) assert.equal(after.get(name)?.version, s.version, name);
    writeFileSync(join(dir, 'compose.yaml'), compose('2'));
  });

  it('--prune removes a service that left the file; without it the service stays', async () => {
    writeFileSync(join(dir, 'compose.yaml'), compose('2').replace(/    depends_on:\n      init: \{condition: service_completed_successfully\}\n/, '').replace(/\n  init:[\s\S]*?networks: \[back\]\n/, '\n'));
    const kept = await deploy();
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stderr, /no longer in the compose file/);
    assert.ok((await services(stack)).has(`${stack}_init`));
    const pruned = await deploy('--prune');
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.ok(!(await services(stack)).has(`${stack}_init`));
  });

  it('rm --wait returns once services, tasks, containers, networks, configs and secrets are gone', async () => {
    const result = await runTscompose(['--progress', 'plain', 'stack', 'rm', '--wait', stack], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await leftovers(stack), []);
  });

  it('docker stack rm removes a stack tscompose deployed', async () => {
    writeFileSync(join(dir, 'compose.yaml'), compose('1'));
    assert.equal((await deploy('-d')).code, 0);
    docker('stack', 'rm', stack);
    assert.deepEqual((await services(stack)).size, 0);
    // What docker stack rm leaves behind (the job's stopped container, the network for a while), tscompose's rm --wait clears.
    const result = await runTscompose(['--progress', 'plain', 'stack', 'rm', '--wait', stack], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await leftovers(stack), []);
  });

  it('a deploy right after a stack rm (no --wait) waits for the lingering network instead of failing on it', async () => {
    writeFileSync(join(dir, 'compose.yaml'), compose('1'));
    const first = await deploy();
    assert.equal(first.code, 0, first.stderr);
    const rm = await runTscompose(['--progress', 'plain', 'stack', 'rm', stack], { cwd: dir });
    assert.equal(rm.code, 0, rm.stderr);
    const again = await deploy();
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await services(stack)).size, 3);
    const gone = await runTscompose(['--progress', 'plain', 'stack', 'rm', '--wait', stack], { cwd: dir });
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual(await leftovers(stack), []);
  });

  it('stack logs: every task\'s lines with service.slot prefixes; --tail; -f; a service filter', async () => {
    writeFileSync(join(dir, 'compose.yaml'), compose('1'));
    const up = await deploy();
    assert.equal(up.code, 0, up.stderr);
    const all = await runTscompose(['stack', 'logs', '--no-color', stack], { cwd: dir });
    assert.equal(all.code, 0, all.stderr);
    // A job's task is named by its node, as docker service ps names it.
    assert.match(all.stdout, /^init\.\w+\s+\| init done$/m);
    const web = await runTscompose(['stack', 'logs', '--no-color', '--tail', '1', stack, 'init'], { cwd: dir });
    assert.equal(web.code, 0, web.stderr);
    assert.deepEqual(web.stdout.trim().split('\n').map((l) => l.replace(/^init\.\w+\s+\|/, 'init |')), ['init | init done']);
    // -f: a line written after the command started still arrives, with its task's prefix.
    const follow = startTscompose(['stack', 'logs', '-f', '--no-color', '--tail', '0', stack, 'app'], { cwd: dir });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      docker('exec', containerOf(stack, 'app'), 'sh', '-c', 'echo followed-line > /proc/1/fd/1');
      await eventually(() => /^app\.1\s+\| followed-line$/m.test(follow.output().stdout), 20_000, 'the followed line');
    } finally {
      follow.child.kill('SIGINT');
      await follow.exited;
    }
    const unknown = await runTscompose(['stack', 'logs', stack, 'nope'], { cwd: dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no such service in stack/);
  });

  it('build + image with a registry: built, pushed to the registry, deployed by digest', async function () {
    const registry = await startRegistry();
    const buildStack = `${stack}_b`;
    const image = `${registry.host}/${buildStack}:1`;
    const bdir = projectDir({
      'compose.yaml': `services:\n  app:\n    build: .\n    image: ${image}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    stop_grace_period: 1s\n`,
      'Dockerfile': `FROM ${TEST_IMAGE}\nRUN echo built-for-swarm > /built\n`,
    });
    try {
      const result = await runTscompose(['--progress', 'plain', 'stack', 'deploy', buildStack], { cwd: bdir });
      assert.equal(result.code, 0, result.stderr);
      const service = (await services(buildStack)).get(`${buildStack}_app`);
      const running = (service?.spec['TaskTemplate'] as { ContainerSpec: { Image: string } } | undefined)?.ContainerSpec.Image ?? '';
      assert.match(running, new RegExp(`^${image.replace(/[.:/]/g, '\\$&')}@sha256:[0-9a-f]{64}$`));
      assert.equal(docker('exec', containerOf(buildStack, 'app'), 'cat', '/built'), 'built-for-swarm\n');
    } finally {
      spawnSync('docker', ['stack', 'rm', buildStack]);
      for (let i = 0; i < 100 && (await leftovers(buildStack)).length > 0; i++) await new Promise((r) => setTimeout(r, 300));
      spawnSync('docker', ['image', 'rm', '-f', image]);
      removeDir(bdir);
      await registry.stop();
    }
  });

  it('build + an image with no registry: refused at the file, nothing built or created', async () => {
    const refusedStack = `${stack}_r`;
    const rdir = projectDir({ 'compose.yaml': 'services:\n  app:\n    build: .\n    image: tsct-no-registry:1\n', 'Dockerfile': `FROM ${TEST_IMAGE}\n` });
    try {
      const result = await runTscompose(['stack', 'deploy', refusedStack], { cwd: rdir });
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /compose\.yaml:4:5: services\.app\.image: .*names no registry/);
      assert.deepEqual(await leftovers(refusedStack), []);
      assert.equal(spawnSync('docker', ['image', 'inspect', 'tsct-no-registry:1']).status, 1);
    } finally {
      removeDir(rdir);
    }
  });

  it('an engine that is not a swarm manager: a clear error, exit 1, nothing created', async function () {
    // A second dockerd (never in a swarm) when this machine can run one; otherwise our own swarm, left.
    const missing = secondEngineMissing();
    if (missing === undefined) {
      const second = await startSecondEngine();
      try {
        const result = await runTscompose(['--progress', 'plain', 'stack', 'deploy', '--resolve-image', 'never', stack], { cwd: dir, env: { DOCKER_HOST: `unix://${second.socket}`, DOCKER_CONTEXT: undefined } });
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, /not a swarm manager/);
        assert.equal(second.docker(['network', 'ls', '-q', '-f', `label=${STACK_LABEL}=${stack}`]).stdout.toString().trim(), '');
      } finally {
        await second.stop();
      }
      return;
    }
    if (!createdSwarm) {
      console.log(`      skipped: no second engine (${missing}) and the engine's swarm is not ours to leave`);
      this.skip();
    }
    for (let i = 0; i < 100 && (await leftovers(stack)).length > 0; i++) await new Promise((r) => setTimeout(r, 300));
    docker('swarm', 'leave', '--force');
    createdSwarm = false;
    const result = await deploy();
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not a swarm manager/);
  });
});
