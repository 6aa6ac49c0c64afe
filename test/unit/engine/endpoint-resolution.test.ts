import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextId } from '../../../src/engine/docker-context.js';
import { defaultSocket, parseHost, resolveEngineAddress } from '../../../src/engine/docker-host.js';
import { EngineError, UsageError } from '../../../src/errors.js';

describe('engine endpoint resolution (the Docker CLI order)', () => {
  let dir: string;
  const addContext = (name: string, host: string, options: { skipTlsVerify?: boolean; tls?: boolean } = {}): void => {
    const meta = join(dir, 'contexts', 'meta', contextId(name));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({
      Name: name,
      Metadata: {},
      Endpoints: { docker: { Host: host, SkipTLSVerify: options.skipTlsVerify ?? false } },
    }));
    if (options.tls === true) {
      const tls = join(dir, 'contexts', 'tls', contextId(name), 'docker');
      mkdirSync(tls, { recursive: true });
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tls, f), `${name} ${f}`);
    }
  };
  const config = (value: unknown): void => writeFileSync(join(dir, 'config.json'), JSON.stringify(value));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tscompose-endpoint-'));
    addContext('remote', 'tcp://10.0.0.9:2376', { tls: true });
    addContext('over-ssh', 'ssh://deploy@build-box:2222');
    addContext('plain', 'tcp://10.0.0.8');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the context id is the sha256 of its name, as the store keys it', () => {
    assert.equal(contextId('default'), '37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f');
  });

  it('with nothing set: the default socket, default context', () => {
    const address = resolveEngineAddress({ DOCKER_CONFIG: dir });
    assert.equal(address.kind, 'unix');
    assert.equal(address.context, 'default');
  });

  it('currentContext in config.json, then DOCKER_CONTEXT over it, then DOCKER_HOST over both, then --context over all', () => {
    config({ currentContext: 'plain' });
    const a = resolveEngineAddress({ DOCKER_CONFIG: dir });
    assert.deepEqual([a.kind, a.display, a.context], ['tcp', 'tcp://10.0.0.8:2375', 'plain']);
    assert.match(a.source, /^currentContext in /);
    const b = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'over-ssh' });
    assert.deepEqual([b.kind, b.context, b.source], ['ssh', 'over-ssh', 'DOCKER_CONTEXT']);
    assert.ok(b.kind === 'ssh' && b.user === 'deploy' && b.host === 'build-box' && b.port === 2222);
    const c = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'over-ssh', DOCKER_HOST: 'unix:///tmp/x.sock' });
    assert.deepEqual([c.kind, c.display, c.context, c.source], ['unix', 'unix:///tmp/x.sock', 'default', 'DOCKER_HOST']);
    const d = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_HOST: 'unix:///tmp/x.sock' }, { context: 'remote' });
    assert.deepEqual([d.kind, d.context, d.source], ['tcp', 'remote', '--context']);
  });

  it('-H picks the default context even when DOCKER_CONTEXT names another', () => {
    const a = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'remote' }, { host: 'tcp://127.0.0.1:2999' });
    assert.deepEqual([a.display, a.context, a.source], ['tcp://127.0.0.1:2999', 'default', '--host']);
  });

  it('--context with --host is a usage error, as in the Docker CLI', () => {
    assert.throws(() => resolveEngineAddress({ DOCKER_CONFIG: dir }, { context: 'remote', host: 'unix:///x' }), UsageError);
  });

  it('a context made with TLS carries its ca, cert and key; SkipTLSVerify turns the check off', () => {
    const a = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'remote' });
    assert.ok(a.kind === 'tcp' && a.tls !== undefined);
    assert.equal(a.tls.ca?.toString(), 'remote ca.pem');
    assert.equal(a.tls.verify, true);
    addContext('lax', 'tcp://10.0.0.7:2376', { skipTlsVerify: true });
    const b = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'lax' });
    assert.ok(b.kind === 'tcp' && b.tls !== undefined && !b.tls.verify);
    const plain = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'plain', DOCKER_TLS_VERIFY: '1' });
    assert.ok(plain.kind === 'tcp' && plain.tls === undefined, 'DOCKER_TLS_VERIFY applies to the default context only');
  });

  it('an unknown context is an error naming it, its source and the known ones; never a fallback', () => {
    for (const [env, target, source] of [
      [{ DOCKER_CONTEXT: 'nope' }, {}, 'DOCKER_CONTEXT'],
      [{}, { context: 'nope' }, '--context'],
    ] as const) {
      assert.throws(() => resolveEngineAddress({ DOCKER_CONFIG: dir, ...env }, target), (error: unknown) => {
        assert.ok(error instanceof EngineError);
        assert.equal(error.exitCode, 1);
        assert.match(error.message, new RegExp(`context "nope" \\(from ${source}\\) does not exist`));
        assert.match(error.hint ?? '', /over-ssh, plain, remote/);
        return true;
      });
    }
    config({ currentContext: 'gone' });
    assert.throws(() => resolveEngineAddress({ DOCKER_CONFIG: dir }), /context "gone" \(from currentContext in .*config\.json\) does not exist/);
  });

  it('DOCKER_TLS_VERIFY (any non-empty value) and DOCKER_TLS, with files from DOCKER_CERT_PATH, default port 2376', () => {
    const certs = join(dir, 'certs');
    mkdirSync(certs);
    writeFileSync(join(certs, 'ca.pem'), 'CA');
    const a = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_HOST: 'tcp://engine.example', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    assert.ok(a.kind === 'tcp' && a.tls !== undefined);
    assert.deepEqual([a.port, a.tls.verify, a.tls.ca?.toString(), a.tls.cert], [2376, true, 'CA', undefined]);
    const b = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_HOST: 'tcp://engine.example:9999', DOCKER_TLS: '1' });
    assert.ok(b.kind === 'tcp' && b.tls !== undefined && !b.tls.verify && b.port === 9999);
    const c = resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_HOST: 'tcp://engine.example' });
    assert.ok(c.kind === 'tcp' && c.tls === undefined && c.port === 2375);
  });

  it('a cert.pem without its key.pem is an error naming the folder', () => {
    writeFileSync(join(dir, 'cert.pem'), 'C');
    assert.throws(() => resolveEngineAddress({ DOCKER_CONFIG: dir, DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1' }), /cert\.pem has no key\.pem/);
  });

  it('the rootless socket under XDG_RUNTIME_DIR only when the default socket is absent', () => {
    const d = { context: 'default', source: 'default socket' };
    const missing = join(dir, 'no-such.sock');
    assert.equal(defaultSocket({ XDG_RUNTIME_DIR: dir }, d, missing).display, `unix://${missing}`, 'no rootless socket either');
    writeFileSync(join(dir, 'docker.sock'), '');
    const rootless = defaultSocket({ XDG_RUNTIME_DIR: dir }, d, missing);
    assert.deepEqual([rootless.display, rootless.source], [`unix://${join(dir, 'docker.sock')}`, 'rootless socket ($XDG_RUNTIME_DIR)']);
    writeFileSync(missing, '');
    assert.equal(defaultSocket({ XDG_RUNTIME_DIR: dir }, d, missing).display, `unix://${missing}`, 'the default socket wins when present');
  });

  it('parses the address forms the Docker CLI takes, and refuses the rest', () => {
    const d = { context: 'default', source: '--host' };
    assert.deepEqual(parseHost('127.0.0.1:2375', d, undefined), { kind: 'tcp', host: '127.0.0.1', port: 2375, tls: undefined, display: 'tcp://127.0.0.1:2375', ...d });
    const ssh = parseHost('ssh://me@[::1]:22', d, undefined);
    assert.ok(ssh.kind === 'ssh' && ssh.user === 'me' && ssh.port === 22);
    assert.throws(() => parseHost('ssh://me@host/path', d, undefined), /takes no path/);
    assert.throws(() => parseHost('npipe:////./pipe/docker_engine', d, undefined), /unsupported address/);
    assert.equal(parseHost('unix://', d, undefined).display, 'unix:///var/run/docker.sock');
  });
});
