import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import {
  TEST_IMAGE, cleanupProject, engine, projectDir, removeDir, runTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';
import { projectFilter } from '../../src/model/labels.js';

const run = promisify(execFile);

async function removeProjectImages(project: string): Promise<void> {
  await cleanupProject(project);
  for (const image of await engine.images.list({ labels: [projectFilter(project)] })) {
    await engine.images.remove(image.id, true).catch(() => undefined);
  }
}

/** Runs a command in a throwaway container of the image and returns its output. */
async function inImage(image: string, script: string): Promise<string> {
  const { stdout } = await run('docker', ['run', '--rm', image, 'sh', '-c', script]);
  return stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForFile(path: string): Promise<void> {
  for (let i = 0; i < 500 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(existsSync(path), `${path} never appeared`);
}

describe('BuildKit builds through the engine', function () {
  this.timeout(240_000);
  const project = uniqueProjectName('bk');
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const image = (name: string) => `${project}-${name}`;
  const build = (dir: string, args: readonly string[] = [], env: Record<string, string | undefined> = {}) =>
    runTscompose(['-p', project, '--progress', 'plain', 'build', ...args], { cwd: dir, env });

  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill();
    await removeProjectImages(project);
    dirs.forEach(removeDir);
  });

  const dir = (files: Record<string, string>): string => {
    const d = projectDir(files);
    dirs.push(d);
    return d;
  };

  it('RUN --mount=type=cache: the second build finds what the first left in the cache', async () => {
    const cacheId = `${project}-cache`;
    const d = dir({
      'compose.yaml': `services:\n  cached:\n    image: ${image('cached')}\n    build:\n      context: .\n      args: { ROUND: "1" }\n`,
      Dockerfile: `FROM ${TEST_IMAGE}\nARG ROUND\nRUN --mount=type=cache,target=/cache,id=${cacheId} sh -c 'echo "seen:$(cat /cache/stamp 2>/dev/null || echo nothing)"; echo "round$ROUND" > /cache/stamp'\n`,
    });
    const first = await build(d);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /#\d+ [\d.]+ seen:nothing/);
    const second = await build(d, ['--build-arg', 'ROUND=2']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /#\d+ [\d.]+ seen:round1/);
    assert.match(second.stderr, /#\d+ \[stage-0 2\/2\] RUN --mount=type=cache/);
    assert.match(second.stderr, /#\d+ DONE \d+\.\ds/);
  });

  it('a secret (file and environment sources) is readable during RUN and in no layer of the image', async () => {
    const fileValue = `file-secret-${project}`;
    const envValue = `env-secret-${project}`;
    const d = dir({
      'compose.yaml': [
        'services:',
        '  secret:',
        `    image: ${image('secret')}`,
        '    build:',
        '      context: .',
        '      secrets: [from_file, { source: from_env, target: api_key }]',
        'secrets:',
        '  from_file: { file: ./token.txt }',
        '  from_env: { environment: TSCT_BUILD_SECRET }',
        '',
      ].join('\n'),
      'token.txt': fileValue,
      '.dockerignore': 'token.txt\n',
      Dockerfile: `FROM ${TEST_IMAGE}\nRUN --mount=type=secret,id=from_file --mount=type=secret,id=api_key sh -c 'test "$(cat /run/secrets/from_file)" = "${fileValue}" && test "$(cat /run/secrets/api_key)" = "${envValue}" && echo secrets-read > /proof'\n`,
    });
    const result = await build(d, [], { TSCT_BUILD_SECRET: envValue });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await inImage(image('secret'), 'cat /proof; ls /run/secrets 2>/dev/null | wc -l')).trim(), 'secrets-read\n0');
    const saved = join(d, 'saved.tar');
    await run('docker', ['save', '-o', saved, image('secret')]);
    const extracted = join(d, 'saved');
    mkdirSync(extracted);
    await run('tar', ['-xf', saved, '-C', extracted]);
    const layers = readdirSync(extracted, { recursive: true }).map(String).filter((f) => f.endsWith('layer.tar'));
    assert.ok(layers.length > 0, 'the saved image has layers');
    for (const layer of layers) {
      const bytes = readFileSync(join(extracted, layer));
      assert.equal(bytes.includes(fileValue), false, `${layer} holds the file secret`);
      assert.equal(bytes.includes(envValue), false, `${layer} holds the environment secret`);
    }
  });

  it('ssh: RUN --mount=type=ssh reaches the agent the test started (and keys given by path)', async function () {
    const tools = await Promise.all(['ssh-agent', 'ssh-keygen', 'ssh-add'].map((t) => run('sh', ['-c', `command -v ${t}`]).then((r) => r.stdout.trim(), () => '')));
    if (tools.includes('')) this.skip();
    const d = dir({});
    const key = join(d, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${project}-key`, '-f', key]);
    const sock = join(d, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    children.push(agent);
    await waitForFile(sock);
    await run('ssh-add', [key], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
    // A client inside the build: the host's ssh-add with its libraries, run through their loader.
    const bundle = join(d, 'ctx', 'ssh-add');
    mkdirSync(bundle, { recursive: true });
    const sshAdd = tools[2] as string;
    const { stdout: ldd } = await run('ldd', [sshAdd]);
    const libs = [...ldd.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1] as string);
    const loader = libs.find((l) => basename(l).startsWith('ld-linux')) as string;
    for (const lib of [sshAdd, ...libs]) copyFileSync(lib, join(bundle, basename(lib)));
    writeFileSync(join(d, 'ctx', 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY ssh-add /b\nRUN --mount=type=ssh sh -c 'echo ${project}; /b/${basename(loader)} --library-path /b /b/ssh-add -l > /keys; cat /keys'\n`);
    writeFileSync(join(d, 'compose.yaml'), `services:\n  agent:\n    image: ${image('agent')}\n    build:\n      context: ./ctx\n      ssh: [default]\n  keys:\n    image: ${image('keys')}\n    build:\n      context: ./ctx\n      ssh: ["default=${key}"]\n      no_cache: true\n`);
    const result = await build(d, ['agent'], { SSH_AUTH_SOCK: sock });
    assert.equal(result.code, 0, result.stderr);
    assert.match(await inImage(image('agent'), 'cat /keys'), new RegExp(`${project}-key \\(ED25519\\)`));
    // Keys by path: tscompose loads them into an agent of its own for the build.
    const byPath = await build(d, ['keys'], { SSH_AUTH_SOCK: undefined });
    assert.equal(byPath.code, 0, byPath.stderr);
    assert.match(await inImage(image('keys'), 'cat /keys'), new RegExp(`${project}-key \\(ED25519\\)`));
  });

  it('additional_contexts: a folder and a service: reference built first, an image; rebuilt when either changes; no stand-in left', async () => {
    const compose = `services:\n  base:\n    image: ${image('base')}\n    build: { context: ./base }\n  extra:\n    image: ${image('extra')}\n    build:\n      context: ./app\n      additional_contexts:\n        assets: ./assets\n        base: service:base\n        tools: docker-image://${TEST_IMAGE}\n`;
    const d = dir({
      'compose.yaml': compose,
      'base/Dockerfile': `FROM ${TEST_IMAGE}\nRUN echo base-${project} > /base.txt\n`,
      'assets/a.txt': `asset-${project}\n`,
      'assets/.dockerignore': 'private.txt\n',
      'assets/private.txt': 'kept out',
      'app/Dockerfile': `FROM base\nCOPY --from=assets a.txt /a.txt\nRUN --mount=from=tools,target=/t test -x /t/bin/busybox && echo tools-ok > /tools.txt\nCOPY --from=assets / /assets/\n`,
    });
    const result = await build(d, ['extra']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /#\d+ \[stage-0 2\/4\] COPY --from=assets a\.txt \/a\.txt/, 'steps name the context, not its stand-in image');
    // Only extra was named: base is built too, and first.
    assert.ok(result.stderr.indexOf(`${image('base')}  Built`) >= 0 && result.stderr.indexOf(`${image('base')}  Built`) < result.stderr.indexOf(`${image('extra')}  Built`), result.stderr);
    assert.equal(await inImage(image('extra'), 'cat /base.txt /a.txt /tools.txt; ls -A /assets'), `base-${project}\nasset-${project}\ntools-ok\n.dockerignore\na.txt\n`);
    const leftovers = (await engine.images.list({ labels: ['io.tscompose.named-context', projectFilter(project)] })).flatMap((i) => i.repoTags);
    assert.deepEqual(leftovers, [], 'the stand-in image of the folder is removed after the build');

    const plan = async (...flags: string[]): Promise<string> => {
      const dry = await runTscompose(['-p', project, '--dry-run', 'up', '-d', ...flags, 'extra'], { cwd: d });
      assert.equal(dry.code, 0, dry.stderr);
      return dry.stdout + dry.stderr;
    };
    // The first build could not pin base's ID (it was built in the same run); the second one can.
    assert.equal((await build(d, ['extra'])).code, 0);
    const unchanged = await plan('--build');
    assert.doesNotMatch(unchanged, /build/i, unchanged);
    writeFileSync(join(d, 'assets/a.txt'), 'changed\n');
    assert.match(await plan(), new RegExp(`${image('extra')}.*build.*build context changed`));
    writeFileSync(join(d, 'assets/a.txt'), `asset-${project}\n`);
    writeFileSync(join(d, 'base/Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo base2-${project} > /base.txt\n`);
    const both = await plan();
    // A failing step is named as written, with the context's name.
    writeFileSync(join(d, 'app/Dockerfile'), 'FROM base\nCOPY --from=assets missing.txt /m.txt\n');
    const failed = await build(d, ['extra']);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /failed at "\[stage-0 2\/2\] COPY --from=assets missing\.txt \/m\.txt"/);
    assert.doesNotMatch(failed.stderr, /tscompose-context\//);
    assert.match(both, new RegExp(`${image('base')}.*build.*Dockerfile changed`));
    assert.match(both, new RegExp(`${image('extra')}.*build.*additional context "base" \\(service base\\) is rebuilt`));
  });

  it('a named context read by a Dockerfile in a subfolder of the context (build.dockerfile)', async () => {
    const d = dir({
      'compose.yaml': `services:\n  nested:\n    image: ${image('nested')}\n    build:\n      context: ./app\n      dockerfile: docker/Dockerfile.app\n      additional_contexts: { tools: docker-image://${TEST_IMAGE} }\n`,
      'app/docker/Dockerfile.app': `FROM tools\nCOPY docker/Dockerfile.app /copied\n`,
    });
    const result = await build(d);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await inImage(image('nested'), 'cat /copied'), 'FROM tools\nCOPY docker/Dockerfile.app /copied\n');
  });

  it('a git repository as an additional context; the context sent is the folder\'s, with no file added', async function () {
    const d = dir({ 'repo/notes.txt': `from git ${project}\n` });
    const repo = join(d, 'repo');
    const git = (...args: string[]) => run('git', ['-C', repo, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    await git('init', '-q', '-b', 'main');
    await git('add', '.');
    await git('commit', '-q', '-m', 'notes');
    const port = await freePort();
    const daemon = spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${d}`, '--listen=127.0.0.1', `--port=${port}`, d], { stdio: 'ignore' });
    children.push(daemon);
    await new Promise((r) => setTimeout(r, 300));
    mkdirSync(join(d, 'app'));
    writeFileSync(join(d, 'app/own.txt'), 'own\n');
    writeFileSync(join(d, 'app/Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY --from=notes notes.txt /notes.txt\nCOPY . /ctx/\n`);
    writeFileSync(join(d, 'compose.yaml'), `services:\n  gitctx:\n    image: ${image('gitctx')}\n    build:\n      context: ./app\n      additional_contexts:\n        notes: git://127.0.0.1:${port}/repo#main\n`);
    const result = await build(d);
    daemon.kill();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await inImage(image('gitctx'), 'cat /notes.txt; ls -A /ctx'), `from git ${project}\nDockerfile\nown.txt\n`);
    assert.match(await inImage(image('gitctx'), 'cat /ctx/Dockerfile'), /COPY --from=notes notes\.txt/, 'the Dockerfile in the context is the user\'s, not the rewritten one');
  });

  it('a git context from a loopback git daemon, with #ref:subdir, and with dockerfile_inline', async function () {
    const d = dir({ 'repo/app/Dockerfile': `FROM ${TEST_IMAGE}\nCOPY hello.txt /hello.txt\n`, 'repo/app/hello.txt': `from git ${project}\n` });
    const repo = join(d, 'repo');
    const git = (...args: string[]) => run('git', ['-C', repo, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    await git('init', '-q', '-b', 'main');
    await git('add', '.');
    await git('commit', '-q', '-m', 'app');
    await git('branch', 'release');
    const port = await freePort();
    const daemon = spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${d}`, '--listen=127.0.0.1', `--port=${port}`, d], { stdio: 'ignore' });
    children.push(daemon);
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(join(d, 'compose.yaml'), `services:\n  fromgit:\n    image: ${image('git')}\n    build:\n      context: git://127.0.0.1:${port}/repo#release:app\n  inlinegit:\n    image: ${image('inlinegit')}\n    build:\n      context: git://127.0.0.1:${port}/repo#release\n      dockerfile_inline: |\n        FROM ${TEST_IMAGE}\n        COPY app/hello.txt /inline.txt\n`);
    const result = await build(d);
    daemon.kill();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await inImage(image('git'), 'cat /hello.txt'), `from git ${project}\n`);
    // The inline Dockerfile is the one used, with the git repository as its context.
    assert.equal(await inImage(image('inlinegit'), 'cat /inline.txt'), `from git ${project}\n`);
  });

  it('target, args and no_cache', async () => {
    const d = dir({
      'compose.yaml': `services:\n  staged:\n    image: ${image('staged')}\n    build:\n      context: .\n      target: middle\n      args: { GREETING: hi-${project} }\n`,
      Dockerfile: `FROM ${TEST_IMAGE} AS middle\nARG GREETING\nRUN echo "$GREETING" > /greeting\nFROM middle AS last\nRUN echo last > /last\n`,
    });
    const first = await build(d);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(await inImage(image('staged'), 'cat /greeting; test -e /last && echo has-last || echo no-last'), `hi-${project}\nno-last\n`);
    const cached = await build(d);
    assert.match(cached.stderr, new RegExp(`#\\d+ \\[middle 2/2\\] RUN echo "hi-${project}" > /greeting\n#\\d+ CACHED`));
    writeFileSync(join(d, 'compose.yaml'), `services:\n  staged:\n    image: ${image('staged')}\n    build:\n      context: .\n      target: middle\n      no_cache: true\n      args: { GREETING: hi-${project} }\n`);
    const uncached = await build(d);
    assert.equal(uncached.code, 0, uncached.stderr);
    assert.match(uncached.stderr, new RegExp(`#(\\d+) \\[middle 2/2\\] RUN echo "hi-${project}" > /greeting\n#\\1 DONE`));
  });

  for (const builder of ['BuildKit', 'the classic builder'] as const) {
    it(`${builder} with dockerfile_inline: COPY . copies the context, not the Dockerfile we send`, async () => {
      const d = dir({
        'compose.yaml': `services:\n  inline:\n    image: ${image('inline')}\n    build:\n      context: ./app\n      dockerfile_inline: |\n        FROM ${TEST_IMAGE}\n        COPY . /ctx/\n`,
        'app/own.txt': 'own\n',
        'app/sub/.dockerignore': 'not the context\'s\n',
        'app/.dockerignore': 'skipped.txt\ndocs\n!docs/keep.md\n',
        'app/skipped.txt': 'no\n',
        'app/docs/keep.md': 'kept\n',
        'app/docs/drop.md': 'dropped\n',
      });
      const result = await build(d, [], builder === 'BuildKit' ? {} : { DOCKER_BUILDKIT: '0' });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(await inImage(image('inline'), 'ls -A /ctx /ctx/docs /ctx/sub'), '/ctx:\n.dockerignore\ndocs\nown.txt\nsub\n\n/ctx/docs:\nkeep.md\n\n/ctx/sub:\n.dockerignore\n');
      // The classic builder drops what the sent .dockerignore lists, the docker CLI's way: that file
      // then carries the added Dockerfile's name. Through BuildKit's file sync it is the user's.
      const ignore = 'skipped.txt\ndocs\n!docs/keep.md\n';
      assert.equal(await inImage(image('inline'), 'cat /ctx/.dockerignore'), builder === 'BuildKit' ? ignore : `${ignore}.tscompose.Dockerfile\n`);
    });
  }

  it('DOCKER_BUILDKIT=0: the classic builder refuses secrets, naming file, line and key; nothing is built', async () => {
    const d = dir({
      'compose.yaml': `services:\n  classic:\n    image: ${image('classic')}\n    build:\n      context: .\n      secrets: [tok]\nsecrets:\n  tok: { file: ./t.txt }\n`,
      't.txt': 'x',
      Dockerfile: `FROM ${TEST_IMAGE}\n`,
    });
    const result = await build(d, [], { DOCKER_BUILDKIT: '0' });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /compose\.yaml:6/);
    assert.match(result.stderr, /build\.secrets needs BuildKit, and DOCKER_BUILDKIT=0 selects the classic builder/);
    assert.equal(await engine.images.inspect(image('classic')), undefined);
    // Without the key, the classic builder still builds.
    writeFileSync(join(d, 'compose.yaml'), `services:\n  classic:\n    image: ${image('classic')}\n    build: .\n`);
    const classic = await build(d, [], { DOCKER_BUILDKIT: '0' });
    assert.equal(classic.code, 0, classic.stderr);
    assert.match(classic.stderr, /Step 1\/\d+ : FROM/);
  });

  it('a failing RUN: exit 1, the failing step, its command and its last output lines', async () => {
    const d = dir({
      'compose.yaml': `services:\n  broken:\n    image: ${image('broken')}\n    build: .\n`,
      Dockerfile: `FROM ${TEST_IMAGE}\nRUN sh -c 'for i in 1 2 3; do echo "boom-line-$i"; done; exit 3'\n`,
    });
    const result = await runTscompose(['-p', project, '--progress', 'quiet', 'build'], { cwd: d });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /failed at "\[2\/2\] RUN sh -c 'for i in 1 2 3; do echo "boom-line-\$i"; done; exit 3'"/);
    assert.match(result.stderr, /boom-line-1\n\s+boom-line-2\n\s+boom-line-3/);
    assert.match(result.stderr, /exit code: 3/);
  });

  it('--progress json: each step is an event with its number, name and state', async () => {
    const d = dir({
      'compose.yaml': `services:\n  json:\n    image: ${image('json')}\n    build: .\n`,
      Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo json-step-${project}\n`,
    });
    const result = await runTscompose(['-p', project, '--progress', 'json', 'build', '--no-cache'], { cwd: d });
    assert.equal(result.code, 0, result.stderr);
    const events = result.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { step?: { id: number; name: string; state: string; log?: string } });
    const steps = events.flatMap((e) => (e.step === undefined ? [] : [e.step]));
    const run1 = steps.find((s) => s.state === 'started' && s.name.startsWith('[2/2] RUN echo json-step'));
    assert.ok(run1, JSON.stringify(steps));
    assert.ok(steps.some((s) => s.id === run1.id && s.state === 'log' && s.log?.endsWith(`json-step-${project}`)));
    assert.ok(steps.some((s) => s.id === run1.id && s.state === 'done'));
  });
});
