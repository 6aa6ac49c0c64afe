import assert from 'node:assert/strict';
import {
  TEST_IMAGE, cleanupProject, engine, projectContainers, projectDir, recordEvents, removeDir, runTscompose, serviceOf, uniqueProjectName,
} from '../helpers/cli-harness.js';
import { Label } from '../../src/model/labels.js';
import { recordingProxy } from '../helpers/recording-proxy.js';

const stack = (extraEnv = 'A: "1"') => `
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait"]
    environment:
      ${extraEnv}
    ports:
      - "127.0.0.1::80"
    volumes:
      - data:/data
  worker:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    depends_on: [web]
volumes:
  data:
`;

describe('up -d, ps, down on a real engine', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('updown');
  let dir: string;

  before(() => {
    dir = projectDir({ 'compose.yaml': stack() });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('brings the stack up with Compose\'s names and labels', async () => {
    const result = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const containers = await projectContainers(project);
    assert.deepEqual(containers.map((c) => c.name), [`${project}-web-1`, `${project}-worker-1`]);
    for (const c of containers) {
      assert.equal(c.state, 'running');
      assert.equal(c.labels[Label.project], project);
      assert.equal(c.labels[Label.service], serviceOf(c));
      assert.equal(c.labels[Label.containerNumber], '1');
      assert.equal(c.labels[Label.oneoff], 'False');
      assert.match(c.labels[Label.configHash] ?? '', /^[0-9a-f]{64}$/);
      assert.equal(c.labels[Label.workingDir], dir);
      assert.equal(c.labels[Label.configFiles], `${dir}/compose.yaml`);
      assert.ok(c.labels[Label.version]);
      assert.deepEqual(c.networks, [`${project}_default`]);
    }
    const network = await engine.networks.find(`${project}_default`);
    assert.equal(network?.labels[Label.project], project);
    assert.equal(network?.labels[Label.network], 'default');
    const volume = await engine.volumes.find(`${project}_data`);
    assert.equal(volume?.labels[Label.project], project);
    assert.equal(volume?.labels[Label.volume], 'data');
  });

  it('ps shows Compose\'s columns and the running containers', async () => {
    const result = await runTscompose(['-p', project, 'ps'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    assert.match(header ?? '', /^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    assert.equal(rows.length, 2);
    assert.match(rows[0] ?? '', new RegExp(`^${project}-web-1\\s+${TEST_IMAGE.replace(/[/.]/g, '\\$&')}\\s+".*"\\s+web\\s+.*ago\\s+Up .*127\\.0\\.0\\.1:\\d+->80/tcp$`));
    const json = await runTscompose(['-p', project, 'ps', '--format', 'json'], { cwd: dir });
    const first = JSON.parse(json.stdout.split('\n')[0] ?? '{}') as { Service: string; State: string; Publishers: { TargetPort: number; PublishedPort: number }[] };
    assert.equal(first.Service, 'web');
    assert.equal(first.State, 'running');
    assert.equal(first.Publishers[0]?.TargetPort, 80);
    assert.ok((first.Publishers[0]?.PublishedPort ?? 0) > 0);
  });

  it('a second up -d with nothing changed makes no engine write', async () => {
    let result;
    const events = await recordEvents(project, async () => {
      result = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
    });
    assert.equal(result!.code, 0);
    assert.deepEqual(events.filter((e) => e.type === 'container' || e.type === 'network' || e.type === 'volume'), []);
  });

  it('a no-op up -d only reads, and takes the API version from the ping (no GET /version)', async () => {
    const proxy = await recordingProxy();
    try {
      const result = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir, env: { DOCKER_HOST: `unix://${proxy.socket}` } });
      assert.equal(result.code, 0, result.stderr);
    } finally {
      await proxy.close();
    }
    assert.equal(proxy.requests[0], 'GET /_ping');
    assert.deepEqual(proxy.requests.filter((r) => !r.startsWith('GET ')), []);
    assert.ok(!proxy.requests.includes('GET /version'), proxy.requests.join('\n'));
  });

  it('changing one service\'s environment recreates exactly that service', async () => {
    const before = await projectContainers(project);
    removeDir(dir);
    dir = projectDir({ 'compose.yaml': stack('A: "2"') });
    const result = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const after = await projectContainers(project);
    const id = (list: typeof before, service: string) => list.find((c) => serviceOf(c) === service)?.id;
    assert.notEqual(id(after, 'web'), id(before, 'web'));
    assert.equal(id(after, 'worker'), id(before, 'worker'));
    assert.deepEqual(after.map((c) => c.name), [`${project}-web-1`, `${project}-worker-1`]);
    assert.ok(after.every((c) => c.state === 'running'));
  });

  it('--dry-run prints the plan with reasons and changes nothing', async () => {
    const before = await projectContainers(project);
    removeDir(dir);
    dir = projectDir({ 'compose.yaml': stack('A: "3"') });
    const result = await runTscompose(['-p', project, '--dry-run', 'up', '-d'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`container:${project}-web-1\\s+create\\s+changed: environment`));
    assert.deepEqual((await projectContainers(project)).map((c) => c.id), before.map((c) => c.id));
  });

  it('down removes containers and the network but keeps the named volume; down -v removes it', async () => {
    const down = await runTscompose(['-p', project, 'down'], { cwd: dir });
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await projectContainers(project), []);
    assert.equal(await engine.networks.find(`${project}_default`), undefined);
    assert.ok(await engine.volumes.find(`${project}_data`));
    const downV = await runTscompose(['-p', project, 'down', '-v'], { cwd: dir });
    assert.equal(downV.code, 0, downV.stderr);
    assert.equal(await engine.volumes.find(`${project}_data`), undefined);
  });
});

describe('data and neighbours', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('data');
  const neighbour = uniqueProjectName('neighbour');
  const lookalike = `${project}-db-1-lookalike`;
  let dir: string;
  let other: string;

  const dbStack = (marker: string) => `
services:
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    environment: { MARKER: "${marker}" }
    volumes: [ "store:/store" ]
volumes:
  store: {}
`;

  before(async () => {
    dir = projectDir({ 'compose.yaml': dbStack('a') });
    other = projectDir({ 'compose.yaml': dbStack('a') });
  });
  after(async () => {
    await cleanupProject(project);
    await cleanupProject(neighbour);
    await engine.containers.remove(lookalike, { force: true, volumes: true });
    removeDir(dir);
    removeDir(other);
  });

  it('a file on a named volume survives down, up and recreation, and is gone after down -v', async () => {
    assert.equal((await runTscompose(['-p', project, 'up', '-d'], { cwd: dir })).code, 0);
    const write = await runDocker(['exec', `${project}-db-1`, 'sh', '-c', 'echo kept > /store/file']);
    assert.equal(write, '');
    assert.equal((await runTscompose(['-p', project, 'down'], { cwd: dir })).code, 0);
    assert.equal((await runTscompose(['-p', project, 'up', '-d'], { cwd: dir })).code, 0);
    assert.equal((await runDocker(['exec', `${project}-db-1`, 'cat', '/store/file'])).trim(), 'kept');
    removeDir(dir);
    dir = projectDir({ 'compose.yaml': dbStack('b') });
    const recreate = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
    assert.match(recreate.stderr, /Recreated/);
    assert.equal((await runDocker(['exec', `${project}-db-1`, 'cat', '/store/file'])).trim(), 'kept');
    assert.equal((await runTscompose(['-p', project, 'down', '-v'], { cwd: dir })).code, 0);
    assert.equal((await runTscompose(['-p', project, 'up', '-d'], { cwd: dir })).code, 0);
    assert.equal((await runDocker(['exec', `${project}-db-1`, 'sh', '-c', 'cat /store/file 2>/dev/null || echo absent'])).trim(), 'absent');
  });

  it('never touches another project\'s containers or an unlabelled look-alike', async () => {
    assert.equal((await runTscompose(['-p', neighbour, 'up', '-d'], { cwd: other })).code, 0);
    const id = await engine.containers.create(lookalike, { Image: TEST_IMAGE, Cmd: ['sleep', '3600'], Labels: {} });
    await engine.containers.start(id);
    assert.equal((await runTscompose(['-p', project, 'down', '-v', '--remove-orphans'], { cwd: dir })).code, 0);
    assert.equal((await engine.containers.inspect(id)).running, true);
    const neighbours = await projectContainers(neighbour);
    assert.deepEqual(neighbours.map((c) => [c.name, c.state]), [[`${neighbour}-db-1`, 'running']]);
    assert.ok(await engine.volumes.find(`${neighbour}_store`));
  });
});

async function runDocker(args: string[]): Promise<string> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`docker ${args.join(' ')}: ${err}`))));
  });
}
