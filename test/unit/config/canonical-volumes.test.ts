import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { canonicalizeTree } from '../../../src/config/canonical.js';
import { parseVolumeSpec, VolumeSyntaxError } from '../../../src/config/canonical-volumes.js';
import { parseComposeText } from '../../../src/config/parse.js';
import { loadYaml, plain } from './helpers.js';

describe('canonical volumes', () => {
  const cases: [string, unknown][] = [
    ['/data', { type: 'volume', target: '/data', volume: {} }],
    ['db:/var/lib/db', { type: 'volume', source: 'db', target: '/var/lib/db', volume: {} }],
    ['db:/var/lib/db:ro', { type: 'volume', source: 'db', target: '/var/lib/db', read_only: true, volume: {} }],
    ['db:/data:nocopy', { type: 'volume', source: 'db', target: '/data', volume: { nocopy: true } }],
    ['./src:/app', { type: 'bind', source: './src', target: '/app', bind: { create_host_path: true } }],
    ['/host:/ctr:rw', { type: 'bind', source: '/host', target: '/ctr', bind: { create_host_path: true } }],
    ['~/cfg:/cfg:ro,z', { type: 'bind', source: '~/cfg', target: '/cfg', read_only: true, bind: { create_host_path: true, selinux: 'z' } }],
    ['/a:/b:rshared', { type: 'bind', source: '/a', target: '/b', bind: { propagation: 'rshared', create_host_path: true } }],
    ['/a:/b:cached', { type: 'bind', source: '/a', target: '/b', consistency: 'cached', bind: { create_host_path: true } }],
    ['../up:/x//y/', { type: 'bind', source: '../up', target: '/x/y', bind: { create_host_path: true } }],
    ['a:/data', { type: 'volume', source: 'a', target: '/data', volume: {} }],
    ['C:/data:/data', { type: 'bind', source: 'C:/data', target: '/data', bind: { create_host_path: true } }],
    ['C:\\data:/data', { type: 'bind', source: 'C:\\data', target: '/data', bind: { create_host_path: true } }],
  ];
  for (const [spec, expected] of cases) {
    it(spec, () => assert.deepEqual(plain(parseVolumeSpec(spec)), expected));
  }

  const invalid: [string, RegExp][] = [
    ['a:b:c:d', /expected \[source:\]target\[:options\]/],
    ['db:/data:bogus', /unknown volume option "bogus"/],
    ['db:/data:z', /applies to bind mounts only/],
    [':/data', /expected/],
  ];
  for (const [spec, pattern] of invalid) {
    it(`refuses ${spec}`, () => assert.throws(() => parseVolumeSpec(spec), (e: unknown) => e instanceof VolumeSyntaxError && pattern.test(e.message)));
  }

  it('places an invalid volume at its item', () => {
    const doc = parseComposeText('services:\n  a:\n    volumes:\n      - "db:/data:bogus"\n', '/p/c.yaml')[0]!;
    assert.throws(
      () => canonicalizeTree(doc.tree, { lookup: () => undefined, locator: doc.locator }),
      (e: unknown) => e instanceof ConfigError && e.keyPath === 'services.a.volumes[0]' && e.position?.line === 4,
    );
  });

  it('resolves relative bind sources against the project directory and ~ against HOME', async () => {
    const { project, root } = await loadYaml(
      'services:\n  a:\n    image: x\n    volumes: ["./data:/data", "~/.cfg:/cfg", "../up:/up", "/abs:/abs"]\n',
      { env: { HOME: '/home/me' } },
    );
    assert.deepEqual(
      project.services['a']!.volumes.map((v) => v.source),
      [`${root}/data`, '/home/me/.cfg', `${root.slice(0, root.lastIndexOf('/'))}/up`, '/abs'],
    );
  });

  it('keeps relative paths with --no-path-resolution', async () => {
    const { project } = await loadYaml('services:\n  a:\n    image: x\n    volumes: ["./data:/data"]\n', { resolvePaths: false });
    assert.equal(project.services['a']!.volumes[0]!.source, './data');
  });

  it('converts a tmpfs size to bytes in the long syntax', async () => {
    const { project } = await loadYaml('services:\n  a:\n    image: x\n    volumes:\n      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 64m\n');
    assert.deepEqual(plain(project.services['a']!.volumes), [{ type: 'tmpfs', target: '/tmp', tmpfs: { size: 64 * 1024 * 1024 } }]);
  });
});
