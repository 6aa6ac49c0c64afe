import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { canonicalizeTree } from '../../../src/config/canonical.js';
import { parsePortSpec, PortSyntaxError } from '../../../src/config/canonical-ports.js';
import { parseComposeText } from '../../../src/config/parse.js';
import { plain } from './helpers.js';

describe('canonical ports', () => {
  const cases: [string | number, unknown[]][] = [
    [80, [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    ['80', [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    ['8080:80', [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]],
    ['8080:80/udp', [{ mode: 'ingress', target: 80, published: '8080', protocol: 'udp' }]],
    ['53:53/sctp', [{ mode: 'ingress', target: 53, published: '53', protocol: 'sctp' }]],
    ['127.0.0.1:8080:80', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }]],
    ['127.0.0.1::80', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, protocol: 'tcp' }]],
    ['[::1]:8080:80', [{ mode: 'ingress', host_ip: '::1', target: 80, published: '8080', protocol: 'tcp' }]],
    ['::1:8080:80', [{ mode: 'ingress', host_ip: '::1', target: 80, published: '8080', protocol: 'tcp' }]],
    ['[::]:53:53/udp', [{ mode: 'ingress', host_ip: '::', target: 53, published: '53', protocol: 'udp' }]],
    [
      '8000-8001:9000-9001',
      [
        { mode: 'ingress', target: 9000, published: '8000', protocol: 'tcp' },
        { mode: 'ingress', target: 9001, published: '8001', protocol: 'tcp' },
      ],
    ],
    [
      '3000-3001',
      [
        { mode: 'ingress', target: 3000, protocol: 'tcp' },
        { mode: 'ingress', target: 3001, protocol: 'tcp' },
      ],
    ],
    ['9000-9010:80', [{ mode: 'ingress', target: 80, published: '9000-9010', protocol: 'tcp' }]],
  ];
  for (const [spec, expected] of cases) {
    it(`${JSON.stringify(spec)}`, () => assert.deepEqual(plain(parsePortSpec(spec)), expected));
  }

  const invalid: [string, RegExp][] = [
    ['abc', /invalid container port "abc"/],
    ['8080:80/xyz', /unknown protocol "xyz"/],
    ['70000:80', /port 70000 .* out of range/],
    ['0', /port 0 .* out of range/],
    ['8000-8002:9000-9001', /differ in length/],
    ['9001-9000', /invalid container port range/],
  ];
  for (const [spec, pattern] of invalid) {
    it(`refuses ${spec}`, () => assert.throws(() => parsePortSpec(spec), (e: unknown) => e instanceof PortSyntaxError && pattern.test(e.message)));
  }

  const canon = (yaml: string): unknown => {
    const doc = parseComposeText(yaml, '/p/c.yaml')[0]!;
    return canonicalizeTree(doc.tree, { lookup: () => undefined, locator: doc.locator });
  };

  it('fills defaults of the long syntax and prints published as text', () => {
    const tree = canon('services:\n  a:\n    ports:\n      - target: 80\n        published: 8080\n        app_protocol: http\n        name: web\n');
    assert.deepEqual(plain(tree), {
      services: { a: { ports: [{ target: 80, published: '8080', app_protocol: 'http', name: 'web', protocol: 'tcp', mode: 'ingress' }] } },
    });
  });

  it('places an invalid short port at its list item', () => {
    assert.throws(
      () => canon('services:\n  a:\n    image: x\n    ports:\n      - "80"\n      - "99999:80"\n'),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.keyPath === 'services.a.ports[1]' &&
        e.position?.line === 6 &&
        e.position.column === 9 &&
        /out of range/.test(e.message) &&
        /host_ip/.test(e.hint ?? ''),
    );
  });

  it('keeps a port with ${...} as written when templates are kept', () => {
    const doc = parseComposeText('services:\n  a:\n    ports: ["${P}:80"]\n', 'c.yaml')[0]!;
    assert.deepEqual(canonicalizeTree(doc.tree, { lookup: () => undefined, keepTemplates: true }), { services: { a: { ports: ['${P}:80'] } } });
  });
});
