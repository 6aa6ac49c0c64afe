import assert from 'node:assert/strict';
import {
  TEST_IMAGE, cleanupProject, engine, projectContainers, projectDir, recordEvents, removeDir, runTscompose, serviceOf, uniqueProjectName,
} from '../helpers/cli-harness.js';

const sleeper = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;

const stack = `
services:
  db:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
  web:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    depends_on:
      db: { condition: service_healthy, restart: true }
  other:
    image: ${TEST_IMAGE}
    command: ${sleeper}
`;

const states = async (project: string): Promise<Record<string, string>> =>
  Object.fromEntries((await projectContainers(project)).map((c) => [serviceOf(c), c.state]));

describe('lifecycle commands on a real engine', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('life');
  let dir: string;
  const run = (...args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir });

  before(() => {
    dir = projectDir({ 'compose.yaml': stack });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('create makes the containers without starting them; --dry-run changes nothing', async () => {
    const dry = await run('--dry-run', 'create');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`container:${project}-db-1\\s+create\\s+not found`));
    assert.deepEqual(await projectContainers(project), []);
    const created = await run('create');
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(await states(project), { db: 'created', other: 'created', web: 'created' });
  });

  it('start --wait starts in dependency order and returns once db is healthy and the rest run', async () => {
    const result = await run('start', '--wait', '--wait-timeout', '60');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await states(project), { db: 'running', other: 'running', web: 'running' });
    assert.equal((await engine.containers.inspect(`${project}-db-1`)).health, 'healthy');
  });

  it('stop -t stops the named service only; --dry-run stops nothing', async () => {
    const dry = await run('--dry-run', 'stop', 'other');
    assert.match(dry.stdout, new RegExp(`container:${project}-other-1\\s+stop`));
    assert.equal((await states(project))['other'], 'running');
    const result = await run('stop', '-t', '1', 'other');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await states(project), { db: 'running', other: 'exited', web: 'running' });
  });

  it('restart db restarts web too (restart: true), after db, and leaves other alone', async () => {
    const events = await recordEvents(project, async () => {
      const result = await run('restart', '-t', '1', 'db');
      assert.equal(result.code, 0, result.stderr);
    });
    const restarts = events.filter((e) => e.type === 'container' && e.action === 'restart').map((e) => e.name);
    assert.deepEqual(restarts, [`${project}-db-1`, `${project}-web-1`]);
    assert.equal((await states(project))['other'], 'exited');
  });

  it('pause and unpause', async () => {
    assert.equal((await run('pause', 'web')).code, 0);
    assert.equal((await states(project))['web'], 'paused');
    assert.equal((await run('unpause', 'web')).code, 0);
    assert.equal((await states(project))['web'], 'running');
  });

  it('up -d unpauses a paused container instead of recreating it', async () => {
    const before = (await projectContainers(project)).map((c) => c.id);
    assert.equal((await run('pause', 'web')).code, 0);
    const result = await run('up', '-d');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((await projectContainers(project)).map((c) => c.id), before);
    assert.deepEqual(await states(project), { db: 'running', other: 'running', web: 'running' });
  });

  it('kill -s sends the signal', async () => {
    const result = await run('kill', '-s', 'SIGKILL', 'other');
    assert.equal(result.code, 0, result.stderr);
    const other = await engine.containers.inspect(`${project}-other-1`);
    assert.equal(other.state, 'exited');
    assert.equal(other.exitCode, 137);
  });

  it('rm without -f and without a terminal lists the containers and refuses; -f removes stopped ones only', async () => {
    const refused = await run('rm');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`error: Going to remove ${project}-other-1: not without a confirmation, and there is no terminal to ask on`));
    assert.match(refused.stderr, /hint: add -f/);
    assert.equal((await projectContainers(project)).length, 3);
    const removed = await run('rm', '-f');
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(Object.keys(await states(project)).sort(), ['db', 'web']);
    const stopped = await run('rm', '-f', '-s', 'web');
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.deepEqual(Object.keys(await states(project)), ['db']);
  });

  it('ls lists the project by label with its state counts and files; -q and json; --filter', async () => {
    const table = await runTscompose(['ls', '--filter', `name=${project}`]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+STATUS\s+CONFIG FILES\n/);
    assert.match(table.stdout, new RegExp(`${project}\\s+running\\(1\\)\\s+${dir}/compose.yaml`));
    assert.equal((await runTscompose(['ls', '-q', '--filter', `name=${project}`])).stdout, `${project}\n`);
    const json = JSON.parse((await runTscompose(['ls', '--format', 'json', '--filter', `name=${project}`])).stdout) as unknown;
    assert.deepEqual(json, [{ Name: project, Status: 'running(1)', ConfigFiles: `${dir}/compose.yaml` }]);
    await run('stop', '-t', '1');
    assert.equal((await runTscompose(['ls', '-q', '--filter', `name=${project}`])).stdout, '');
    assert.equal((await runTscompose(['ls', '-a', '-q', '--filter', `name=${project}`])).stdout, `${project}\n`);
  });

  it('down works from labels alone (-p, no file), and --dry-run keeps everything', async () => {
    const elsewhere = projectDir({});
    try {
      const dry = await runTscompose(['-p', project, '--dry-run', 'down'], { cwd: elsewhere });
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, new RegExp(`network:default\\s+remove`));
      assert.equal((await projectContainers(project)).length, 1);
      const down = await runTscompose(['-p', project, 'down', '-t', '1'], { cwd: elsewhere });
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await projectContainers(project), []);
      assert.equal(await engine.networks.find(`${project}_default`), undefined);
    } finally {
      removeDir(elsewhere);
    }
  });
});

describe('up --wait and dependency conditions', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('wait');
  let dir: string;
  const run = (...args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir });

  before(() => {
    dir = projectDir({
      'compose.yaml': `
services:
  migrate:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo migrated; exit 0"]
  api:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    depends_on:
      migrate: { condition: service_completed_successfully }
  crash:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo booting; echo 'fatal: no config' >&2; exit 4"]
  sick:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    healthcheck:
      test: ["CMD-SHELL", "echo db not ready; exit 1"]
      interval: 1s
      retries: 2
  needs-sick:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    depends_on:
      sick: { condition: service_healthy }
  optional:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    depends_on:
      crash: { condition: service_completed_successfully, required: false }
`,
    });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('succeeds with a one-shot job that exited 0 (service_completed_successfully)', async () => {
    const result = await run('up', '--wait', 'api');
    assert.equal(result.code, 0, result.stderr);
    const c = await engine.containers.inspect(`${project}-migrate-1`);
    assert.equal(c.state, 'exited');
    assert.equal(c.exitCode, 0);
    assert.equal((await engine.containers.inspect(`${project}-api-1`)).running, true);
  });

  it('fails with each failing service\'s state and last log lines', async () => {
    const result = await run('up', '--wait', '--wait-timeout', '30', 'crash', 'api');
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`crash \\(${project}-crash-1\\): exited with code 4; state exited \\(4\\)`));
    // stdout and stderr are copied by separate engine goroutines: their relative order is not fixed.
    assert.match(result.stderr, /last 2 log lines:\n(\s+\| (booting|fatal: no config)\n){2}/);
    assert.doesNotMatch(result.stderr, /api \(/);
  });

  it('a dependency that never becomes healthy fails up with its health output', async () => {
    const result = await run('up', '-d', 'needs-sick');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /dependency sick failed to start: .*sick-1 is unhealthy; last health check \(exit 1\): db not ready/);
    assert.equal((await engine.containers.inspect(`${project}-needs-sick-1`)).state, 'created');
  });

  it('required: false turns a failed dependency into a warning', async () => {
    const result = await run('up', '-d', 'optional');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /optional dependency crash skipped: dependency crash failed to start: .*exited with code 4/);
    assert.equal((await engine.containers.inspect(`${project}-optional-1`)).running, true);
  });

  it('--wait-timeout reports what is still not ready', async () => {
    const result = await run('up', '--wait-timeout', '2', 'sick', '--force-recreate');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /services not ready after 2s|some services did not become ready/);
    assert.match(result.stderr, /sick \(/);
    assert.match(result.stderr, /last health check: exit 1: db not ready|still starting/);
  });
});

describe('recreate rules, secrets and hooks on a real engine', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('rules');
  let dir: string;
  const file = (version: string) => `
services:
  app:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    environment: { VERSION: "${version}" }
    secrets: [token]
    configs: [{ source: settings, target: /etc/settings.conf }]
    post_start:
      - command: ["sh", "-c", "echo started > /tmp/post_start"]
  sidecar:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    network_mode: "service:app"
  follower:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    depends_on:
      app: { condition: service_started, restart: true }
secrets:
  token:
    environment: TOKEN
configs:
  settings:
    content: "mode=fast"
`;
  const run = (...args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir, env: { TOKEN: 'tok-123' } });

  before(() => {
    dir = projectDir({ 'compose.yaml': file('1') });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('copies environment and content secrets and configs in, and runs post_start hooks', async () => {
    const result = await run('up', '-d');
    assert.equal(result.code, 0, result.stderr);
    const read = async (path: string) => (await engine.exec.run(`${project}-app-1`, { command: ['cat', path] })).output;
    assert.equal(await read('/run/secrets/token'), 'tok-123');
    assert.equal(await read('/etc/settings.conf'), 'mode=fast');
    assert.equal(await read('/tmp/post_start'), 'started\n');
  });

  it('a change to app recreates the namespace sharer, and stops and starts the restart: true follower', async () => {
    const before = Object.fromEntries((await projectContainers(project)).map((c) => [serviceOf(c), c.id]));
    removeDir(dir);
    dir = projectDir({ 'compose.yaml': file('2') });
    const dry = await run('--dry-run', 'up', '-d');
    assert.match(dry.stdout, new RegExp(`container:${project}-sidecar-1\\s+create\\s+network_mode shares with recreated service app`));
    assert.match(dry.stdout, new RegExp(`container:${project}-follower-1\\s+stop\\s+dependency app is recreated \\(restart: true\\)`));
    const events = await recordEvents(project, async () => {
      const result = await run('up', '-d');
      assert.equal(result.code, 0, result.stderr);
    });
    const after = Object.fromEntries((await projectContainers(project)).map((c) => [serviceOf(c), c]));
    assert.notEqual(after['app']?.id, before['app']);
    assert.notEqual(after['sidecar']?.id, before['sidecar']);
    assert.equal(after['follower']?.id, before['follower']);
    assert.equal(after['follower']?.state, 'running');
    assert.equal(after['sidecar']?.state, 'running');
    const followerEvents = events.filter((e) => e.name === `${project}-follower-1` && e.type === 'container').map((e) => e.action);
    assert.ok(followerEvents.includes('stop') && followerEvents.includes('start'), followerEvents.join(','));
    const noop = await recordEvents(project, () => run('up', '-d'));
    assert.deepEqual(noop.filter((e) => e.type === 'container'), []);
  });
});

describe('a changed network definition on a real engine', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('net');
  let dir: string;
  const file = (label: string) => `
services:
  app:
    image: ${TEST_IMAGE}
    command: ${sleeper}
    networks: [front]
networks:
  front:
    labels: { tier: "${label}" }
`;
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('recreates the network in place and reconnects the container, which keeps its identity', async () => {
    dir = projectDir({ 'compose.yaml': file('a') });
    assert.equal((await runTscompose(['-p', project, 'up', '-d'], { cwd: dir })).code, 0);
    const before = await engine.networks.find(`${project}_front`);
    const [container] = await projectContainers(project);
    removeDir(dir);
    dir = projectDir({ 'compose.yaml': file('b') });
    const result = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const network = await engine.networks.find(`${project}_front`);
    assert.notEqual(network?.id, before?.id);
    assert.equal(network?.labels['tier'], 'b');
    const details = await engine.containers.inspect(container?.id ?? '');
    assert.equal(details.running, true);
    assert.deepEqual(Object.keys(details.networks), [`${project}_front`]);
    assert.ok(details.networks[`${project}_front`]?.aliases.includes('app'));
    const noop = await recordEvents(project, () => runTscompose(['-p', project, 'up', '-d'], { cwd: dir }));
    assert.deepEqual(noop, []);
  });
});
