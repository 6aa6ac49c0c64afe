import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { loadError, loadYaml } from './helpers.js';

// What Compose's loader refuses though the schema lets it through: each must fail the load.
describe('loaded-but-Compose-refuses', () => {
  const cases: [string, string, RegExp][] = [
    ['two services with the same container_name',
      'services:\n  a: {image: x, container_name: same}\n  b: {image: x, container_name: same}\n', /both set container_name "same"/],
    ['external volume with a driver', 'services:\n  a: {image: x}\nvolumes:\n  v:\n    external: true\n    driver: local\n',
      /volumes\.v is external: "driver" cannot be set/],
    ['external network with labels', 'services:\n  a: {image: x}\nnetworks:\n  n:\n    external: true\n    labels: {a: b}\n',
      /networks\.n is external: "labels" cannot be set/],
    ['name beside external.name', 'services:\n  a: {image: x}\nvolumes:\n  v:\n    name: one\n    external:\n      name: two\n',
      /external\.name and name conflict/],
    ['a bind mount without source', 'services:\n  a:\n    image: x\n    volumes:\n      - type: bind\n        target: /c\n',
      /a bind mount needs a source/],
    ['a fractional byte size', 'services:\n  a:\n    image: x\n    mem_limit: 0.5\n', /a number of bytes must be whole/],
    ['a device reservation with count and device_ids',
      'services:\n  a:\n    image: x\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - {count: 1, device_ids: ["0"], capabilities: [gpu]}\n',
      /sets both count and device_ids/],
    ['a device reservation without capabilities',
      'services:\n  a:\n    image: x\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - {driver: nvidia, count: 1}\n',
      /needs capabilities/],
  ];
  for (const [what, yaml, pattern] of cases) {
    it(what, async () => {
      const error = await loadError(yaml);
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, pattern);
    });
  }
});

describe('the schema takes the current specification\'s keys', () => {
  it('build.no_cache_filter, develop.watch[].initial_sync, pre_start[].image and per_replica', async () => {
    const { project } = await loadYaml(`
services:
  a:
    image: x
    build: {context: ., no_cache_filter: [base]}
    develop:
      watch:
        - {path: ./src, action: sync, target: /src, initial_sync: true}
    pre_start:
      - {command: ["true"], image: busybox, per_replica: false}
`);
    assert.deepEqual(project.services['a']?.['pre_start'], [{ command: ['true'], image: 'busybox', per_replica: false }]);
  });
});

describe('config prints what Compose prints', () => {
  const yaml = [
    'services:',
    '  a:',
    '    image: x',
    '    env_file: [a.env]',
    '    environment: { PRICE: "$$5" }',
    '    secrets: [s]',
    'secrets:',
    '  s: { file: ./s }',
    '',
  ].join('\n');

  it('a literal $ as $$ (so it loads again the same), env_file folded into environment, a secret\'s default target', async () => {
    const { renderConfig } = await import('../../../src/cli/commands/config.js');
    const { loadFiles } = await import('./helpers.js');
    const { parse } = await import('yaml');
    const { project } = await loadFiles({ 'compose.yaml': yaml, 'a.env': 'FROM_FILE=1\n', s: 'x' });
    const printed = parse(renderConfig(project, { format: 'yaml', list: undefined, hash: undefined })) as {
      services: { a: Record<string, unknown> };
    };
    assert.deepEqual(printed.services.a['environment'], { FROM_FILE: '1', PRICE: '$$5' });
    assert.equal(printed.services.a['env_file'], undefined);
    assert.deepEqual(printed.services.a['secrets'], [{ source: 's', target: '/run/secrets/s' }]);
    const kept = parse(renderConfig(project, { format: 'yaml', list: undefined, hash: undefined, envResolution: false })) as {
      services: { a: Record<string, unknown> };
    };
    assert.ok(Array.isArray(kept.services.a['env_file']));
  });
});

describe('label_file', () => {
  it('is read into labels, in order, labels: winning; a missing file is an error', async () => {
    const { loadFiles } = await import('./helpers.js');
    const { project } = await loadFiles({
      'compose.yaml': 'services:\n  a:\n    image: x\n    label_file: [one.labels, two.labels]\n    labels: { c: from-yaml }\n',
      'one.labels': 'a=1\nb=1\nc=1\n',
      'two.labels': 'b=2\n',
    });
    assert.deepEqual(project.services['a']?.labels, { a: '1', b: '2', c: 'from-yaml' });
    assert.equal(project.services['a']?.['label_file'], undefined);
    const error = await loadError('services:\n  a:\n    image: x\n    label_file: nope.labels\n');
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /label file .*nope\.labels not found/);
  });
});
