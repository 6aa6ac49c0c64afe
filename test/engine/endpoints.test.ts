import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerEngine } from '../../src/engine/docker-engine.js';
import { resolveEngineAddress } from '../../src/engine/docker-host.js';
import { projectFilter } from '../../src/model/labels.js';
import {
  MAIN, TEST_IMAGE, engine as mainEngine, eventually, projectDir, removeDir, runTscompose, startTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';
import { secondEngineMissing, startSecondEngine, type SecondEngine } from '../helpers/second-engine.js';
import { sshMissing, startSshServer, type SshServer } from '../helpers/ssh-server.js';

// Every way of reaching an engine that is not the local socket, against a second dockerd of the
// test's own (network namespace, TLS with client certificates, an sshd, a context store).
const compose = `
services:
  app:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo app-started; sleep 3600 & wait"]
  job:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo job line one; echo job line two"]
`;

describe('engine endpoints: TLS, ssh and contexts against a second engine', function () {
  this.timeout(180_000);
  let second: SecondEngine | undefined;
  let ssh: SshServer | undefined;
  let secondClient: DockerEngine;
  let dir: string;
  let dockerConfig: string;

  before(async function () {
    const missing = secondEngineMissing() ?? sshMissing();
    if (missing !== undefined) {
      console.log(`    skipped: ${missing}`);
      this.skip();
    }
    second = await startSecondEngine();
    ssh = await startSshServer(second.dir, second.socket);
    secondClient = new DockerEngine(resolveEngineAddress({ DOCKER_HOST: `unix://${second.socket}` }));
    dir = projectDir({ 'compose.yaml': compose });
    dockerConfig = join(second.dir, 'docker-config');
    mkdirSync(dockerConfig);
    const created = spawnSync('docker', [
      'context', 'create', 'tsct-remote',
      '--docker', `host=${second.tlsHost},ca=${join(second.certDir, 'ca.pem')},cert=${join(second.certDir, 'cert.pem')},key=${join(second.certDir, 'key.pem')}`,
    ], { env: { ...process.env, DOCKER_CONFIG: dockerConfig } });
    assert.equal(created.status, 0, created.stderr.toString());
  });

  after(async () => {
    if (dir !== undefined) removeDir(dir);
    await ssh?.stop();
    await second?.stop();
  });

  const onSecond = async (project: string) => secondClient.containers.list({ all: true, labels: [projectFilter(project)] });
  const onMain = async (project: string) => mainEngine.containers.list({ all: true, labels: [projectFilter(project)] });
  const clean = { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, DOCKER_TLS_VERIFY: undefined, DOCKER_TLS: undefined, DOCKER_CERT_PATH: undefined };

  /** up -d, ps, logs -f, exec and down through one way of reaching the second engine. */
  async function lifecycle(name: string, env: () => Record<string, string | undefined>, flags: readonly string[] = []): Promise<void> {
    const project = uniqueProjectName(name);
    const run = (args: readonly string[]) => runTscompose([...flags, '-p', project, ...args], { cwd: dir, env: { ...clean, DOCKER_CONFIG: dockerConfig, ...env() } });
    try {
      const up = await run(['up', '-d']);
      assert.equal(up.code, 0, up.stderr);
      assert.deepEqual((await onSecond(project)).map((c) => c.name).sort(), [`${project}-app-1`, `${project}-job-1`]);
      assert.deepEqual(await onMain(project), [], 'nothing on the main engine');

      const ps = await run(['ps', '--format', 'json']);
      assert.equal(ps.code, 0, ps.stderr);
      assert.match(ps.stdout, new RegExp(`${project}-app-1`));

      const logs = await run(['logs', '--no-log-prefix', 'job']);
      assert.equal(logs.code, 0, logs.stderr);
      assert.equal(logs.stdout, 'job line one\njob line two\n');

      // logs -f streams while exec (a hijacked connection) writes to the followed container's output.
      const follow = startTscompose([...flags, '-p', project, 'logs', '-f', 'app'], { cwd: dir, env: { ...clean, DOCKER_CONFIG: dockerConfig, ...env() } });
      try {
        await eventually(() => follow.output().stdout.includes('app-started'), 30_000, 'the first followed line');
        const exec = await run(['exec', '-T', 'app', 'sh', '-c', 'echo followed-live > /proc/1/fd/1; echo exec-out; echo exec-err >&2; exit 3']);
        assert.equal(exec.code, 3, exec.stderr);
        assert.equal(exec.stdout, 'exec-out\n');
        assert.match(exec.stderr, /exec-err/);
        await eventually(() => follow.output().stdout.includes('followed-live'), 30_000, 'the line written during the follow');
      } finally {
        follow.child.kill('SIGINT');
      }
      assert.equal(await follow.exited, 130, follow.output().stderr);

      const down = await run(['down']);
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await onSecond(project), []);
    } finally {
      second?.docker(['rm', '-f', `${project}-app-1`, `${project}-job-1`]);
      second?.docker(['network', 'rm', `${project}_default`]);
    }
  }

  it('over TLS with DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', async () => {
    await lifecycle('tls', () => ({ DOCKER_HOST: second?.tlsHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: second?.certDir }));
  });

  it('over ssh: the system ssh running docker system dial-stdio on the remote side', async () => {
    await lifecycle('ssh', () => ({ DOCKER_HOST: `ssh://root@${ssh?.host}`, PATH: `${ssh?.binDir}:${process.env['PATH'] ?? ''}` }));
  });

  it('over ssh, one login per command: later streams, pooled and hijacked, share its connection', async () => {
    const project = uniqueProjectName('sshmux');
    const env = { ...clean, DOCKER_CONFIG: dockerConfig, DOCKER_HOST: `ssh://root@${ssh?.host ?? ''}`, PATH: `${ssh?.binDir ?? ''}:${process.env['PATH'] ?? ''}` };
    const run = async (args: readonly string[]) => {
      const before = ssh?.logins() ?? 0;
      const result = await runTscompose(['-p', project, ...args], { cwd: dir, env });
      assert.equal(result.code, args.includes('exec') ? 3 : 0, result.stderr);
      return { ...result, logins: (ssh?.logins() ?? 0) - before };
    };
    try {
      // up -d and down send requests in parallel (several streams); exec adds a hijacked one.
      assert.equal((await run(['up', '-d'])).logins, 1);
      assert.equal((await run(['up', '-d'])).logins, 1);
      const exec = await run(['exec', '-T', 'app', 'sh', '-c', 'echo exec-out; exit 3']);
      assert.equal(exec.stdout, 'exec-out\n');
      assert.equal(exec.logins, 1);
      assert.equal((await run(['down'])).logins, 1);
      assert.deepEqual(await onSecond(project), []);
    } finally {
      second?.docker(['rm', '-f', `${project}-app-1`, `${project}-job-1`]);
      second?.docker(['network', 'rm', `${project}_default`]);
    }
  });

  // sshd takes at most 10 sessions per connection (MaxSessions): a follow of ten services needs
  // more streams than the one shared connection carries, and none may wait for another to end.
  it('over ssh, logs -f of ten services at once: every service\'s line arrives', async () => {
    const project = uniqueProjectName('sshten');
    const services = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const many = projectDir({
      'compose.yaml': `services:\n${services.map((name) => `  ${name}:\n    image: ${TEST_IMAGE}\n` +
        `    command: ["sh", "-c", "echo ${name}-ready; trap 'exit 0' TERM; sleep 3600 & wait"]\n`).join('')}`,
    });
    const env = { ...clean, DOCKER_CONFIG: dockerConfig, DOCKER_HOST: `ssh://root@${ssh?.host ?? ''}`, PATH: `${ssh?.binDir ?? ''}:${process.env['PATH'] ?? ''}` };
    try {
      const up = await runTscompose(['-p', project, 'up', '-d'], { cwd: many, env });
      assert.equal(up.code, 0, up.stderr);
      const follow = startTscompose(['-p', project, 'logs', '-f', '--no-log-prefix'], { cwd: many, env });
      try {
        await eventually(() => services.every((name) => follow.output().stdout.includes(`${name}-ready`)), 30_000,
          'a line from every one of the ten services');
      } finally {
        follow.child.kill('SIGINT');
      }
      assert.equal(await follow.exited, 130, follow.output().stderr);
      const down = await runTscompose(['-p', project, 'down', '-t', '0'], { cwd: many, env });
      assert.equal(down.code, 0, down.stderr);
    } finally {
      const left = second?.docker(['ps', '-aq', '--filter', `label=${projectFilter(project)}`]).stdout.toString().trim().split('\n').filter(Boolean) ?? [];
      if (left.length > 0) second?.docker(['rm', '-f', ...left]);
      second?.docker(['network', 'rm', `${project}_default`]);
      removeDir(many);
    }
  });

  /** `exec app sh` in a real pseudo-terminal (tmux's, on a private server) through one way of reaching the second engine. */
  async function ttyExec(this: Mocha.Context, name: string, env: () => Record<string, string>): Promise<void> {
    if (spawnSync('tmux', ['-V']).status !== 0) {
      console.log('    skipped: tmux is not installed (scripts/ensure-engine.sh installs it)');
      this.skip();
    }
    const project = uniqueProjectName(name);
    const socket = `tscompose-${project}`;
    const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    const screen = (): string => tmux('capture-pane', '-p', '-t', 'exec');
    const exitFile = join(dir, `${project}.exit`);
    const vars = { ...env(), DOCKER_CONFIG: dockerConfig };
    try {
      const up = await runTscompose(['-p', project, 'up', '-d', 'app'], { cwd: dir, env: { ...clean, ...vars } });
      assert.equal(up.code, 0, up.stderr);
      const unset = Object.keys(clean).filter((k) => !Object.hasOwn(vars, k)).map((k) => `-u ${k}`).join(' ');
      const assign = Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join(' ');
      const command = `env ${unset} ${assign} ${process.execPath} ${MAIN} -p ${project} exec app sh; echo $? > ${exitFile}; sleep 30`;
      tmux('new-session', '-d', '-s', 'exec', '-x', '90', '-y', '25', '-c', dir, command);
      await eventually(() => /^\/ #/m.test(screen()), 30_000, 'the shell prompt');
      tmux('send-keys', '-t', 'exec', 'echo typed-$((6*7)); tty; stty size', 'Enter');
      await eventually(() => /^25 90$/m.test(screen()), 15_000, 'the answer and stty size 25 90');
      assert.match(screen(), /^typed-42$/m);
      assert.match(screen(), /^\/dev\/pts\/\d+$/m);
      tmux('send-keys', '-t', 'exec', 'exit 4', 'Enter');
      await eventually(() => {
        try {
          return readFileSync(exitFile, 'utf8').trim() !== '';
        } catch {
          return false;
        }
      }, 15_000, 'the exit code');
      assert.equal(readFileSync(exitFile, 'utf8').trim(), '4');
    } finally {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
      second?.docker(['rm', '-f', `${project}-app-1`]);
      second?.docker(['network', 'rm', `${project}_default`]);
    }
  }

  it('exec with a TTY over TLS (tmux): the shell answers, with the window\'s size and the exit code', async function () {
    await ttyExec.call(this, 'ttytls', () => ({ DOCKER_HOST: second?.tlsHost ?? '', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: second?.certDir ?? '' }));
  });

  it('exec with a TTY over ssh (tmux): the shell answers, with the window\'s size and the exit code', async function () {
    await ttyExec.call(this, 'ttyssh', () => ({ DOCKER_HOST: `ssh://root@${ssh?.host ?? ''}`, PATH: `${ssh?.binDir ?? ''}:${process.env['PATH'] ?? ''}` }));
  });

  it('through a context made by `docker context create`, chosen by DOCKER_CONTEXT', async () => {
    await lifecycle('ctx', () => ({ DOCKER_CONTEXT: 'tsct-remote' }));
  });

  it('--context and `docker context use` (currentContext) pick the context; version names it', async () => {
    const env = { ...clean, DOCKER_CONFIG: dockerConfig };
    const flagged = await runTscompose(['--context', 'tsct-remote', 'version'], { env });
    assert.equal(flagged.code, 0, flagged.stdout + flagged.stderr);
    assert.match(flagged.stdout, new RegExp(`at ${second?.tlsHost ?? ''} \\(context tsct-remote, from --context, TLS\\)`));
    const used = spawnSync('docker', ['context', 'use', 'tsct-remote'], { env: { ...process.env, ...env } });
    assert.equal(used.status, 0, used.stderr.toString());
    try {
      const current = await runTscompose(['version'], { env });
      assert.equal(current.code, 0, current.stdout + current.stderr);
      assert.match(current.stdout, /\(context tsct-remote, from currentContext in .*config\.json, TLS\)/);
      const overridden = await runTscompose(['-H', `unix://${second?.socket ?? ''}`, 'version'], { env });
      assert.match(overridden.stdout, /\(context default, from --host\)/, '-H wins over the current context');
    } finally {
      const config = join(dockerConfig, 'config.json');
      writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), currentContext: undefined }));
    }
  });

  describe('failures: a clear error naming the endpoint, exit 1, nothing changed on any engine', () => {
    async function refused(name: string, env: () => Record<string, string | undefined>, expected: RegExp): Promise<string> {
      const project = uniqueProjectName(name);
      const result = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir, env: { ...clean, DOCKER_CONFIG: dockerConfig, ...env() } });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stderr, expected);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(await onSecond(project), []);
      assert.deepEqual(await onMain(project), []);
      return result.stderr;
    }

    it('an engine certificate from a CA we do not trust', async () => {
      const stderr = await refused('wrongca', () => ({ DOCKER_HOST: second?.tlsHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: second?.wrongCertDir }),
        /the engine at tcp:\/\/127\.0\.0\.1:\d+ presented a certificate that is not trusted/);
      assert.match(stderr, /ca\.pem/);
    });

    it('no client certificate for an engine that requires one', async () => {
      const caOnly = join(second?.dir ?? '', 'ca-only');
      mkdirSync(caOnly, { recursive: true });
      writeFileSync(join(caOnly, 'ca.pem'), readFileSync(join(second?.certDir ?? '', 'ca.pem')));
      await refused('nocert', () => ({ DOCKER_HOST: second?.tlsHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: caOnly }),
        /the engine at tcp:\/\/127\.0\.0\.1:\d+ refused our TLS client certificate/);
    });

    it('plain HTTP to the TLS port', async () => {
      await refused('plain', () => ({ DOCKER_HOST: second?.tlsHost }), /wants TLS, and the request was plain HTTP/);
    });

    it('an unknown context, from DOCKER_CONTEXT and from --context', async () => {
      const stderr = await refused('noctx', () => ({ DOCKER_CONTEXT: 'tsct-nope' }), /context "tsct-nope" \(from DOCKER_CONTEXT\) does not exist/);
      assert.match(stderr, /known contexts: tsct-remote/);
      const flagged = await runTscompose(['--context', 'tsct-nope', 'ps'], { cwd: dir, env: { ...clean, DOCKER_CONFIG: dockerConfig } });
      assert.equal(flagged.code, 1);
      assert.match(flagged.stderr, /context "tsct-nope" \(from --context\) does not exist/);
    });

    it('ssh that cannot log in', async () => {
      await refused('sshno', () => ({ DOCKER_HOST: `ssh://nobody@${ssh?.host ?? ''}`, PATH: `${ssh?.binDir ?? ''}:${process.env['PATH'] ?? ''}` }),
        /ssh to ssh:\/\/nobody@127\.0\.0\.1:\d+ failed: .*Permission denied/);
    });
  });
});
