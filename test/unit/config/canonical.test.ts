import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { canonicalizeTree } from '../../../src/config/canonical.js';
import { parseComposeText } from '../../../src/config/parse.js';
import { loadFiles, loadYaml, plain } from './helpers.js';

const ENV: Record<string, string> = { FROM_ENV: 'env-value', PROXY: 'http://proxy' };

/** One service's canonical form. */
function service(yaml: string): unknown {
  const doc = parseComposeText(`services:\n  s:\n${yaml.replace(/^/gm, '    ')}`, '/p/c.yaml')[0]!;
  const tree = canonicalizeTree(doc.tree, { lookup: (k) => ENV[k], locator: doc.locator });
  return plain((tree['services'] as Record<string, unknown>)['s']);
}

describe('canonical service keys', () => {
  const cases: [string, string, unknown][] = [
    ['environment list', 'environment:\n  - A=1\n  - B=x=y\n  - FROM_ENV\n  - MISSING', { environment: { A: '1', B: 'x=y', FROM_ENV: 'env-value', MISSING: null } }],
    ['environment map with numbers, booleans and nulls', 'environment:\n  N: 1\n  T: true\n  FROM_ENV:\n  E: ""', { environment: { N: '1', T: 'true', FROM_ENV: 'env-value', E: '' } }],
    ['labels list with a bare key', 'labels: ["a=1", "b"]', { labels: { a: '1', b: '' } }],
    ['sysctls list', 'sysctls: ["net.core.somaxconn=1024"]', { sysctls: { 'net.core.somaxconn': '1024' } }],
    ['build string', 'build: ./app', { build: { context: './app' } }],
    ['build args list from env', 'build:\n  context: .\n  args: ["V=1", "PROXY"]', { build: { context: '.', args: { V: '1', PROXY: 'http://proxy' } } }],
    ['command string is shell-split', `command: sh -c 'echo "hi there"'`, { command: ['sh', '-c', 'echo "hi there"'] }],
    ['command list kept, numbers as text', 'command: [sleep, 10]', { command: ['sleep', '10'] }],
    ['entrypoint string', 'entrypoint: /bin/run --flag "a b"', { entrypoint: ['/bin/run', '--flag', 'a b'] }],
    ['healthcheck test string becomes CMD-SHELL', 'healthcheck:\n  test: curl -f http://x || exit 1\n  interval: 10s', { healthcheck: { test: ['CMD-SHELL', 'curl -f http://x || exit 1'], interval: '10s' } }],
    ['healthcheck test list kept', 'healthcheck:\n  test: [CMD, pg_isready]', { healthcheck: { test: ['CMD', 'pg_isready'] } }],
    ['depends_on list', 'depends_on: [db, cache]', { depends_on: { db: { condition: 'service_started', required: true, restart: false }, cache: { condition: 'service_started', required: true, restart: false } } }],
    ['depends_on map defaults', 'depends_on:\n  db:\n    condition: service_healthy\n  mq: {}', { depends_on: { db: { condition: 'service_healthy', required: true, restart: false }, mq: { condition: 'service_started', required: true, restart: false } } }],
    ['env_file string', 'env_file: .env.web', { env_file: [{ path: '.env.web', required: true }] }],
    ['env_file mixed list', 'env_file:\n  - a.env\n  - path: b.env\n    required: false\n    format: raw', { env_file: [{ path: 'a.env', required: true }, { path: 'b.env', required: false, format: 'raw' }] }],
    ['extra_hosts list with : and =, IPv6 in brackets', 'extra_hosts: ["db:10.0.0.2", "v6=[::1]", "db:10.0.0.3"]', { extra_hosts: { db: ['10.0.0.2', '10.0.0.3'], v6: ['::1'] } }],
    ['extra_hosts map', 'extra_hosts:\n  db: 10.0.0.2\n  multi: [1.1.1.1, 2.2.2.2]', { extra_hosts: { db: ['10.0.0.2'], multi: ['1.1.1.1', '2.2.2.2'] } }],
    ['networks list', 'networks: [front, back]', { networks: { front: null, back: null } }],
    ['networks map', 'networks:\n  front:\n    aliases: [w]\n  back:', { networks: { front: { aliases: ['w'] }, back: null } }],
    ['secrets and configs short names', 'secrets: [db_pass]\nconfigs: [app_cfg]', { secrets: [{ source: 'db_pass' }], configs: [{ source: 'app_cfg' }] }],
    ['ulimits int and object', 'ulimits:\n  nproc: 65535\n  nofile:\n    soft: 1024\n    hard: 2048', { ulimits: { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 1024, hard: 2048 } } }],
    ['devices', 'devices: ["/dev/ttyUSB0:/dev/ttyUSB1:r", "/dev/sda"]', { devices: [{ source: '/dev/ttyUSB0', target: '/dev/ttyUSB1', permissions: 'r' }, { source: '/dev/sda', target: '/dev/sda', permissions: 'rwm' }] }],
    ['tmpfs and dns strings become lists', 'tmpfs: /run\ndns: 8.8.8.8', { tmpfs: ['/run'], dns: ['8.8.8.8'] }],
    ['expose numbers as text', 'expose: [3000, "4000"]', { expose: ['3000', '4000'] }],
    ['extends string', 'extends: base', { extends: { service: 'base' } }],
    ['sizes in bytes', 'mem_limit: 512m\nshm_size: 1g', { mem_limit: 536870912, shm_size: 1073741824 }],
    ['durations kept as text', 'stop_grace_period: 1m30s', { stop_grace_period: '1m30s' }],
    ['deploy labels and memory', 'deploy:\n  labels: [a=b]\n  resources:\n    limits:\n      memory: 50M', { deploy: { labels: { a: 'b' }, resources: { limits: { memory: 52428800 } } } }],
    ['logging options as text', 'logging:\n  driver: json-file\n  options:\n    max-file: 3', { logging: { driver: 'json-file', options: { 'max-file': '3' } } }],
  ];
  for (const [name, yaml, expected] of cases) {
    it(name, () => assert.deepEqual(service(yaml), expected));
  }

  it('refuses an unknown depends_on condition at its position', () => {
    assert.throws(
      () => service('depends_on:\n  db:\n    condition: service_ready'),
      (e: unknown) => e instanceof ConfigError && e.keyPath === 's.depends_on.db.condition'.replace(/^/, 'services.') && e.position?.line === 5,
    );
  });

  it('refuses an invalid size', () => {
    assert.throws(() => service('mem_limit: lots'), /invalid size "lots"/);
  });

  it('normalises top-level resources: null to empty, legacy external name, labels list', () => {
    const doc = parseComposeText('networks:\n  a:\n  b:\n    external:\n      name: real\n    labels: [x=1]\n', 'c.yaml')[0]!;
    assert.deepEqual(canonicalizeTree(doc.tree, { lookup: () => undefined }), {
      networks: { a: {}, b: { external: true, name: 'real', labels: { x: '1' } } },
    });
  });
});

describe('service environment resolution', () => {
  it('reads env files in order, then environment on top', async () => {
    const { project } = await loadFiles({
      'compose.yaml': 'services:\n  a:\n    image: x\n    env_file: [one.env, two.env]\n    environment:\n      C: from-compose\n',
      'one.env': 'A=1\nB=one\nC=one\n',
      'two.env': 'B=two\nD=${A}-${B}\n',
    });
    assert.deepEqual(project.services['a']!.environment, { A: '1', B: 'two', C: 'from-compose', D: '1-two' });
  });

  it('looks up env file variables in the project environment first', async () => {
    const { project } = await loadFiles(
      { 'compose.yaml': 'services:\n  a:\n    image: x\n    env_file: e.env\n', 'e.env': 'X=file\nY=${X}\n' },
      { env: { X: 'os' } },
    );
    assert.deepEqual(project.services['a']!.environment, { X: 'file', Y: 'os' });
  });

  it('skips a missing optional env file and fails on a required one', async () => {
    const ok = await loadYaml('services:\n  a:\n    image: x\n    env_file:\n      - path: nope.env\n        required: false\n');
    assert.deepEqual(ok.project.services['a']!.environment, {});
    const error = await loadYaml('services:\n  a:\n    image: x\n    env_file: nope.env\n').catch((e: unknown) => e);
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /env file .*nope\.env not found/);
    assert.equal(error.keyPath, 'services.a.env_file[0]');
    assert.equal(error.position?.line, 4);
  });

  it('reads a raw env file literally', async () => {
    const { project } = await loadFiles({
      'compose.yaml': 'services:\n  a:\n    image: x\n    env_file:\n      - path: r.env\n        format: raw\n',
      'r.env': 'A="quoted $HOME"\n',
    });
    assert.deepEqual(project.services['a']!.environment, { A: '"quoted $HOME"' });
  });

  it('keeps the env file value for a bare key nobody sets', async () => {
    const { project } = await loadFiles({ 'compose.yaml': 'services:\n  a:\n    image: x\n    env_file: e.env\n    environment: [K, U]\n', 'e.env': 'K=file\n' });
    assert.deepEqual(project.services['a']!.environment, { K: 'file', U: null });
  });
});
