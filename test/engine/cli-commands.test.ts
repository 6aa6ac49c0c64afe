import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_IMAGE, cleanupProject, engine, eventually, projectContainers, projectDir, removeDir, runTscompose, serviceOf, startTscompose, uniqueProjectName } from '../helpers/cli-harness.js';
import { recordingProxy } from '../helpers/recording-proxy.js';

// One stack for the commands of issue 12: --format templates, scale, volumes, stats, export, commit, cp -.
describe('the rest of Compose\'s command line on a real engine', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('cli2');
  let dir: string;
  const run = (...args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir });
  before(async () => {
    dir = projectDir({
      'compose.yaml': `
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo hello > /greeting; trap 'exit 0' TERM; sleep 3600 & wait"]
    volumes: ["data:/data"]
  worker:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
volumes:
  data: {}
`,
    });
    const up = await run('up', '-d');
    assert.equal(up.code, 0, up.stderr);
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('ps --format: Go templates with Compose\'s field names, table TEMPLATE with its headers, {{json .}}', async () => {
    const names = await run('ps', '--format', '{{.Service}} {{.State}} {{upper .Name}}');
    assert.equal(names.code, 0, names.stderr);
    assert.deepEqual(names.stdout.trim().split('\n'), [
      `web running ${project.toUpperCase()}-WEB-1`, `worker running ${project.toUpperCase()}-WORKER-1`,
    ]);
    const table = await run('ps', '--format', 'table {{.Service}}\t{{.Status}}');
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    assert.match(header ?? '', /^SERVICE\s{3,}STATUS$/);
    assert.match(rows[0] ?? '', /^web\s{3,}Up /);
    const json = await run('ps', '--format', '{{json .}}');
    const first = JSON.parse(json.stdout.split('\n')[0] ?? '') as Record<string, unknown>;
    assert.equal(first['Service'], 'web');
    assert.equal(first['Project'], project);
    assert.equal(typeof first['Labels'], 'string');
    const label = await run('ps', '--format', '{{.Label "com.docker.compose.service"}}|{{join (split .Name "-") "+"}}');
    assert.equal(label.stdout.split('\n')[0], `web|${project.split('-').join('+')}+web+1`);
    const bad = await run('ps', '--format', '{{.NoSuchField}}');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /NoSuchField/);
  });

  it('images and ls --format: templates beside table and json', async () => {
    const images = await run('images', '--format', '{{.ContainerName}} {{.Repository}}:{{.Tag}}');
    assert.equal(images.code, 0, images.stderr);
    const [repo, tag] = TEST_IMAGE.split(':');
    assert.ok(images.stdout.includes(`${project}-web-1 ${repo}:${tag}`), images.stdout);
    const table = await run('images', '--format', 'table {{.ContainerName}}\t{{.Size}}');
    assert.match(table.stdout.split('\n')[0] ?? '', /^CONTAINER\s+SIZE$/);
    const ls = await runTscompose(['ls', '--filter', `name=${project}`, '--format', '{{.Name}}: {{.Status}}']);
    assert.equal(ls.stdout.trim(), `${project}: running(2)`);
  });

  it('images inspects each image only when the output shows what the list lacks (platform, last tag time)', async () => {
    const proxy = await recordingProxy();
    const through = (...args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir, env: { DOCKER_HOST: `unix://${proxy.socket}` } });
    const inspects = (): number => proxy.requests.filter((r) => /^GET \/images\/.+\/json$/.test(r)).length;
    try {
      const quiet = await through('images', '-q');
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.notEqual(quiet.stdout.trim(), '');
      assert.equal(inspects(), 0, proxy.requests.join(', '));
      const withPlatform = await through('images', '--format', '{{.ContainerName}} {{.Platform}}');
      assert.match(withPlatform.stdout, new RegExp(`${project}-web-1 linux/`));
      assert.ok(inspects() > 0, proxy.requests.join(', '));
    } finally {
      await proxy.close();
    }
  });

  it('scale SERVICE=N scales up and down through up\'s plan; --no-deps and bad specifiers', async () => {
    const up = await run('scale', 'worker=3');
    assert.equal(up.code, 0, up.stderr);
    const workers = (await projectContainers(project)).filter((c) => serviceOf(c) === 'worker');
    assert.deepEqual(workers.map((c) => c.name), [1, 2, 3].map((n) => `${project}-worker-${n}`));
    assert.ok(workers.every((c) => c.state === 'running'));
    const down = await run('scale', 'worker=1', '--no-deps');
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual((await projectContainers(project)).filter((c) => serviceOf(c) === 'worker').map((c) => c.name), [`${project}-worker-1`]);
    const bad = await run('scale', 'worker');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid scale specifier: worker/);
    const unknown = await run('scale', 'nope=2');
    assert.notEqual(unknown.code, 0);
  });

  it('volumes lists the project\'s volumes, -q, per service, with --format', async () => {
    const table = await run('volumes');
    assert.equal(table.code, 0, table.stderr);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    assert.match(header ?? '', /^DRIVER\s+VOLUME NAME$/);
    assert.deepEqual(rows.map((r) => r.split(/\s+/)), [['local', `${project}_data`]]);
    assert.equal((await run('volumes', '-q')).stdout.trim(), `${project}_data`);
    assert.equal((await run('volumes', '-q', 'worker')).stdout.trim(), '');
    assert.equal((await run('volumes', '--format', '{{.Name}} {{.Label "com.docker.compose.volume"}}', 'web')).stdout.trim(), `${project}_data data`);
  });

  it('stats streams frames until Ctrl-C (exit 130); --no-stream and --format', async () => {
    const one = await run('stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}', 'web');
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout.trim(), new RegExp(`^${project}-web-1 \\d+$`));
    const live = startTscompose(['-p', project, 'stats', '--format', '{{.Name}} {{.CPUPerc}}'], { cwd: dir });
    const frames = (): string[] => live.output().stdout.split('\n').filter((l) => l.startsWith(`${project}-web-1 `));
    await eventually(() => frames().length >= 3, 30_000, 'three stats frames');
    live.child.kill('SIGINT');
    assert.equal(await live.exited, 130, live.output().stderr);
    assert.ok(frames().every((l) => /\d+\.\d\d%$/.test(l)), frames().join('\n'));
  });

  it('export -o writes a tar holding the container\'s files', async () => {
    const file = join(dir, 'web.tar');
    const result = await run('export', 'web', '-o', 'web.tar');
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(file));
    const listing = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n');
    assert.ok(listing.includes('greeting'), listing.slice(0, 20).join(' '));
    assert.ok(listing.includes('bin/busybox') || listing.some((l) => l.startsWith('bin/')), 'the image\'s files too');
    const content = execFileSync('tar', ['-xOf', file, 'greeting'], { encoding: 'utf8' });
    assert.equal(content, 'hello\n');
  });

  it('commit makes an image of the container\'s changes that runs', async () => {
    const image = `tsct-commit-${project}:1`;
    try {
      const result = await run('commit', '-m', 'from test', '-a', 'tscompose tests', '-c', 'CMD ["cat", "/greeting"]', 'web', image);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /Committed as sha256:/);
      const out = execFileSync('docker', ['run', '--rm', image], { encoding: 'utf8' });
      assert.equal(out, 'hello\n');
      const details = JSON.parse(execFileSync('docker', ['image', 'inspect', image], { encoding: 'utf8' })) as { Author: string; Comment: string }[];
      assert.equal(details[0]?.Author, 'tscompose tests');
      assert.equal(details[0]?.Comment, 'from test');
      // COMPOSE_STATUS_STDOUT moves status lines to stdout, as in Compose.
      const moved = await runTscompose(['-p', project, 'commit', 'web', image], { cwd: dir, env: { COMPOSE_STATUS_STDOUT: '1' } });
      assert.equal(moved.code, 0, moved.stderr);
      assert.match(moved.stdout, /Committed as sha256:/);
      assert.doesNotMatch(moved.stderr, /Committed/);
    } finally {
      await engine.images.remove(image, true).catch(() => undefined);
    }
  });

  it('cp with -: a tar stream on stdout, and one on stdin extracted into a container folder', async () => {
    const out = await run('cp', 'web:/greeting', '-');
    assert.equal(out.code, 0, out.stderr);
    // The test files are ASCII, so the tar survives the harness's text capture.
    assert.equal(execFileSync('tar', ['-xOf', '-', 'greeting'], { input: out.stdout, encoding: 'utf8' }), 'hello\n');
    const source = projectDir({ 'incoming.txt': 'from stdin\n' });
    try {
      const tar = execFileSync('tar', ['-cf', '-', '-C', source, 'incoming.txt'], { encoding: 'latin1' });
      const into = await runTscompose(['-p', project, 'cp', '-', 'web:/tmp'], { cwd: dir, input: tar });
      assert.equal(into.code, 0, into.stderr);
      const cat = await run('exec', '-T', 'web', 'cat', '/tmp/incoming.txt');
      assert.equal(cat.stdout, 'from stdin\n');
      const notDir = await runTscompose(['-p', project, 'cp', '-', 'web:/greeting'], { cwd: dir, input: tar });
      assert.equal(notDir.code, 2);
      assert.match(notDir.stderr, /must be a directory/);
    } finally {
      removeDir(source);
    }
  });
});
