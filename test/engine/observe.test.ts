import assert from 'node:assert/strict';
import {
  TEST_IMAGE, cleanupProject, eventually, projectContainers, projectDir, removeDir, runTscompose, startTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';
import { Label } from '../../src/model/labels.js';

const stack = `
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo web-says-\${MARK:-one}; echo web-complains >&2; httpd -f -p 80 & wait"]
    ports: ["127.0.0.1::80"]
  worker:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo worker-ready; sleep 3600 & wait"]
    depends_on: [web]
`;

describe('logs, exec, run, top, port, wait on a real engine', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('observe');
  let dir: string;
  const cli = (args: string[], env: Record<string, string> = {}) => runTscompose(['-p', project, ...args], { cwd: dir, env });

  before(async () => {
    dir = projectDir({ 'compose.yaml': stack });
    const up = await cli(['up', '-d']);
    assert.equal(up.code, 0, up.stderr);
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('logs shows both services with padded prefixes; stderr lines go to stderr', async () => {
    await eventually(() => true);
    let result = await cli(['logs']);
    for (let i = 0; i < 20 && !result.stdout.includes('worker-ready'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      result = await cli(['logs']);
    }
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^web-1 {5}\| web-says-one$/m);
    assert.match(result.stdout, /^worker-1 {2}\| worker-ready$/m);
    assert.match(result.stderr, /^web-1 {5}\| web-complains$/m);
    assert.doesNotMatch(result.stdout, /web-complains/);
  });

  it('logs --no-log-prefix, --tail, -t and --merge', async () => {
    const bare = await cli(['logs', '--no-log-prefix', 'worker']);
    assert.equal(bare.stdout, 'worker-ready\n');
    const stamped = await cli(['logs', '-t', '--tail', '1', 'worker']);
    assert.match(stamped.stdout, /^worker-1 {2}\| \d{4}-\d\d-\d\dT[\d:.]+Z worker-ready\n$/);
    const merged = await cli(['logs', '--merge']);
    const lines = merged.stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/ +\|.*/, '')).sort(), ['web-1', 'worker-1']);
    assert.ok(lines.every((l) => !/\dZ /.test(l)), 'timestamps are used for ordering, not shown without -t');
  });

  it('logs -f picks up a container recreated while it follows, and Ctrl-C ends it with 130, as any interrupted command', async () => {
    const follow = startTscompose(['-p', project, 'logs', '-f', 'web'], { cwd: dir });
    await eventually(() => follow.output().stdout.includes('web-says-one'), 20_000, 'the first line');
    const up = await cli(['up', '-d', 'web'], { MARK: 'two' });
    assert.equal(up.code, 0, up.stderr);
    await eventually(() => follow.output().stdout.includes('web-says-two'), 20_000, 'the recreated container\'s line');
    follow.child.kill('SIGINT');
    assert.equal(await follow.exited, 130);
  });

  it('exec passes the exit code through, streams stdin, and names a stopped service', async () => {
    const failed = await cli(['exec', '-T', 'web', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(failed.code, 3);
    assert.equal(failed.stdout, 'out\n');
    assert.equal(failed.stderr, 'err\n');
    const piped = await runTscompose(['-p', project, 'exec', '-T', '-e', 'GREETING=hi', 'worker', 'sh', '-c', 'read x; echo "$GREETING $x"'], { cwd: dir, input: 'there\n' });
    assert.equal(piped.stdout, 'hi there\n');
    const workdir = await cli(['exec', '-T', '-w', '/tmp', '-u', 'nobody', 'worker', 'sh', '-c', 'echo $(pwd) $(id -u)']);
    assert.equal(workdir.stdout, '/tmp 65534\n');
    const stop = await runTscompose(['-p', project, 'exec', 'nosuch', 'sh'], { cwd: dir });
    assert.equal(stop.code, 2);
  });

  it('run --rm passes the exit code through and leaves no container behind', async () => {
    const result = await cli(['run', '--rm', '-e', 'X=42', 'worker', 'sh', '-c', 'echo "x=$X"; exit 7']);
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stdout, /^x=42$/m);
    const left = (await projectContainers(project)).filter((c) => c.labels[Label.oneoff] === 'True');
    assert.deepEqual(left, []);
  });

  it('run -d names and labels the one-off container as Compose does, and publishes no ports', async () => {
    const result = await cli(['run', '-d', 'web', 'sleep', '30']);
    assert.equal(result.code, 0, result.stderr);
    const name = result.stdout.trim();
    assert.match(name, new RegExp(`^${project}-web-run-[0-9a-f]{12}$`));
    const c = (await projectContainers(project)).find((x) => x.name === name);
    assert.equal(c?.labels[Label.oneoff], 'True');
    assert.match(c?.labels[Label.slug] ?? '', new RegExp(`^${name.slice(-12)}[0-9a-f]{52}$`));
    assert.equal(c?.labels[Label.containerNumber], undefined);
    assert.deepEqual(c?.ports.filter((p) => p.publicPort !== undefined), []);
  });

  it('port, top and wait', async () => {
    const port = await cli(['port', 'web', '80']);
    assert.match(port.stdout, /^127\.0\.0\.1:\d+\n$/);
    const top = await cli(['top', 'worker']);
    assert.match(top.stdout, /^worker-1\nUID\s+PID\s+PPID/);
    assert.match(top.stdout, /sleep 3600/);
    const waiter = startTscompose(['-p', project, 'wait', 'worker'], { cwd: dir });
    await new Promise((r) => setTimeout(r, 500));
    await cli(['exec', '-T', 'worker', 'kill', '1']);
    assert.equal(await waiter.exited, 0);
    assert.equal(waiter.output().stdout, '0\n');
    const stopped = await cli(['exec', '-T', 'worker', 'true']);
    assert.equal(stopped.code, 1);
    assert.match(stopped.stderr, /service "worker" is not running/);
  });
});

describe('attached up on a real engine', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('attached');
  let dir: string;
  const cli = (args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir });

  before(() => {
    dir = projectDir({
      'compose.yaml': `
services:
  job:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo job-early; sleep 1; echo job-done; exit 4"]
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'echo web-bye; exit 143' TERM; echo web-early; sleep 300 & wait"]
  quiet:
    image: ${TEST_IMAGE}
    attach: false
    command: ["sh", "-c", "echo never-shown; sleep 300"]
    stop_grace_period: 1s
`,
    });
  });
  afterEach(async () => {
    await cleanupProject(project);
  });
  after(() => removeDir(dir));

  it('--exit-code-from: the first lines are not lost; the service stopped by another\'s exit gives 143', async () => {
    const result = await cli(['up', '--exit-code-from', 'web', 'job', 'web']);
    assert.equal(result.code, 143, result.stderr);
    assert.match(result.stdout, /^Attaching to job-1, web-1$/m);
    assert.match(result.stdout, /^job-1 +\| job-early$/m);
    assert.match(result.stdout, /^web-1 +\| web-early$/m);
    assert.match(result.stdout, /^job-1 exited with code 4$/m);
    assert.match(result.stdout, /^web-1 exited with code 143$/m);
    assert.match(result.stderr, /Aborting on container exit/);
  });

  it('--abort-on-container-exit returns the exiting container\'s code; attach: false hides a service', async () => {
    const result = await cli(['up', '--abort-on-container-exit']);
    assert.equal(result.code, 4, result.stderr);
    assert.doesNotMatch(result.stdout, /never-shown/);
  });

  it('Ctrl-C stops gracefully and exits 130; a container ignoring SIGTERM gets a hint', async () => {
    const up = startTscompose(['-p', project, 'up', 'web', 'quiet', '--attach', 'web', '--attach', 'quiet'], { cwd: dir });
    await eventually(() => up.output().stdout.includes('web-early'), 30_000, 'web output');
    up.child.kill('SIGINT');
    assert.equal(await up.exited, 130);
    const { stdout, stderr } = up.output();
    assert.match(stderr, /Gracefully stopping\.\.\. \(press Ctrl\+C again to force\)/);
    assert.match(stdout, /^web-1 +\| web-bye$/m);
    assert.match(stderr, /quiet-1 did not stop on SIGTERM .*init: true/);
  });

  it('-d refuses the attach flags', async () => {
    const result = await cli(['up', '-d', '--abort-on-container-exit']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /-d cannot be combined with --abort-on-container-exit/);
  });
});
