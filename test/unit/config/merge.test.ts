import assert from 'node:assert/strict';
import { canonicalizeTree } from '../../../src/config/canonical.js';
import { mergeTrees } from '../../../src/config/merge.js';
import { parseComposeText } from '../../../src/config/parse.js';
import { loadFiles, plain } from './helpers.js';

/** Canonical form of each text, merged in order, as compose-go's merge tests: base, override, expected. */
function merge(...texts: string[]): unknown {
  let tree = {};
  for (const text of texts) {
    const doc = parseComposeText(text, 'c.yaml')[0]!;
    tree = mergeTrees(tree, { tree: canonicalizeTree(doc.tree, { lookup: () => undefined }), resets: doc.resets, overrides: doc.overrides });
  }
  return plain(tree);
}

const svc = (body: string): string => `services:\n  s:\n${body.replace(/^/gm, '    ')}\n`;
const expectService = (value: unknown): unknown => ({ services: { s: value } });

describe('merge', () => {
  const cases: [string, string, string, unknown][] = [
    ['a later scalar wins', 'image: a\nrestart: always', 'image: b', { image: 'b', restart: 'always' }],
    ['command is replaced', 'command: [a, b]', 'command: c', { command: ['c'] }],
    ['entrypoint is replaced', 'entrypoint: [a, b]', 'entrypoint: [x]', { entrypoint: ['x'] }],
    ['healthcheck test is replaced, the rest merged', 'healthcheck:\n  test: [CMD, a]\n  retries: 3', 'healthcheck:\n  test: [CMD, b]', { healthcheck: { test: ['CMD', 'b'], retries: 3 } }],
    ['environment merges by key across list and map forms', 'environment: [A=1, B=2]', 'environment:\n  B: 3\n  C: 4', { environment: { A: '1', B: '3', C: '4' } }],
    ['labels merge by key', 'labels: {a: "1"}', 'labels: [b=2, a=3]', { labels: { a: '3', b: '2' } }],
    ['ports append and de-duplicate', 'ports: ["8080:80", "9090:90"]', 'ports: ["8080:80", "7070:70"]', {
      ports: [
        { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
        { mode: 'ingress', target: 90, published: '9090', protocol: 'tcp' },
        { mode: 'ingress', target: 70, published: '7070', protocol: 'tcp' },
      ],
    }],
    ['same port over another protocol is kept', 'ports: ["53:53"]', 'ports: ["53:53/udp"]', {
      ports: [
        { mode: 'ingress', target: 53, published: '53', protocol: 'tcp' },
        { mode: 'ingress', target: 53, published: '53', protocol: 'udp' },
      ],
    }],
    ['volumes de-duplicate by target, the later one replacing in place', 'volumes: ["a:/data", "/b:/logs"]', 'volumes: ["/host:/data:ro"]', {
      volumes: [
        { type: 'bind', source: '/host', target: '/data', read_only: true, bind: { create_host_path: true } },
        { type: 'bind', source: '/b', target: '/logs', bind: { create_host_path: true } },
      ],
    }],
    ['depends_on list and map merge by key', 'depends_on: [db]', 'depends_on:\n  cache:\n    condition: service_healthy', {
      depends_on: {
        db: { condition: 'service_started', required: true, restart: false },
        cache: { condition: 'service_healthy', required: true, restart: false },
      },
    }],
    ['networks list and map merge by key', 'networks: [a]', 'networks:\n  a:\n    aliases: [x]\n  b:', { networks: { a: { aliases: ['x'] }, b: null } }],
    ['a null network entry does not erase an earlier config', 'networks:\n  a:\n    aliases: [x]', 'networks: [a]', { networks: { a: { aliases: ['x'] } } }],
    ['build string merges with an object', 'build: ./a', 'build:\n  target: prod', { build: { context: './a', target: 'prod' } }],
    ['env_file appends, de-duplicated by path', 'env_file: [a.env, b.env]', 'env_file: [b.env, c.env]', {
      env_file: [{ path: 'a.env', required: true }, { path: 'b.env', required: true }, { path: 'c.env', required: true }],
    }],
    ['extra_hosts append without exact duplicates', 'extra_hosts: ["h:1.1.1.1"]', 'extra_hosts: ["h:1.1.1.1", "h:2.2.2.2"]', { extra_hosts: { h: ['1.1.1.1', '2.2.2.2'] } }],
    ['dns, cap_add, expose, profiles de-duplicate values', 'dns: [1.1.1.1]\ncap_add: [NET_ADMIN]\nprofiles: [a]', 'dns: [1.1.1.1, 8.8.8.8]\ncap_add: [NET_ADMIN, SYS_TIME]\nprofiles: [a, b]', {
      dns: ['1.1.1.1', '8.8.8.8'],
      cap_add: ['NET_ADMIN', 'SYS_TIME'],
      profiles: ['a', 'b'],
    }],
    ['secrets de-duplicate by target', 'secrets: [a, {source: b, target: /x}]', 'secrets: [{source: c, target: /run/secrets/a}]', {
      secrets: [{ source: 'c', target: '/run/secrets/a' }, { source: 'b', target: '/x' }],
    }],
    ['ulimits entries are replaced whole', 'ulimits:\n  nofile: {soft: 1, hard: 2}', 'ulimits:\n  nofile: {soft: 5}', { ulimits: { nofile: { soft: 5 } } }],
    ['logging options merge under the same driver', 'logging:\n  driver: json-file\n  options: {max-size: 1m}', 'logging:\n  options: {max-file: 3}', {
      logging: { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '3' } },
    }],
    ['a new logging driver replaces the block', 'logging:\n  driver: json-file\n  options: {max-size: 1m}', 'logging:\n  driver: syslog', { logging: { driver: 'syslog' } }],
    ['other sequences append', 'security_opt: [a]\npost_start: [{command: [x]}]', 'post_start: [{command: [y]}]', { security_opt: ['a'], post_start: [{ command: ['x'] }, { command: ['y'] }] }],
    ['!reset removes an inherited value', 'ports: ["80:80"]\nimage: x', 'ports: !reset []', { image: 'x' }],
    ['!reset on a mapping entry', 'environment: {A: "1", B: "2"}', 'environment:\n  A: !reset null', { environment: { B: '2' } }],
    ['!override replaces instead of merging', 'environment: {A: "1"}\nports: ["80:80"]', 'environment: !override {B: "2"}\nports: !override ["81:81"]', {
      environment: { B: '2' },
      ports: [{ mode: 'ingress', target: 81, published: '81', protocol: 'tcp' }],
    }],
  ];
  for (const [name, base, override, expected] of cases) {
    it(name, () => assert.deepEqual(merge(svc(base), svc(override)), expectService(expected)));
  }

  it('merges networks.*.ipam.config by subnet', () => {
    const base = 'networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          gateway: 10.0.0.1\n';
    const over = 'networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          gateway: 10.0.0.254\n        - subnet: 10.1.0.0/24\n';
    assert.deepEqual(merge(base, over), { networks: { n: { ipam: { config: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.254' }, { subnet: '10.1.0.0/24' }] } } } });
  });

  it('adds services and resources from later files', () => {
    assert.deepEqual(merge('services:\n  a: {image: a}\n', 'services:\n  b: {image: b}\nvolumes:\n  v:\n'), {
      services: { a: { image: 'a' }, b: { image: 'b' } },
      volumes: { v: {} },
    });
  });

  it('does not change its inputs', () => {
    const doc = parseComposeText(svc('environment: {A: "1"}'), 'c.yaml')[0]!;
    const base = canonicalizeTree(doc.tree, { lookup: () => undefined });
    const before = JSON.stringify(base);
    mergeTrees(base, { tree: { services: { s: { environment: { B: '2' } } } } });
    assert.equal(JSON.stringify(base), before);
  });

  it('loads several -f files in order, relative paths against the first file’s directory', async () => {
    const { project, root } = await loadFiles(
      {
        'compose.yaml': 'services:\n  web:\n    image: web:1\n    ports: ["80:80"]\n',
        'ci/override.yaml': 'services:\n  web:\n    image: web:2\n    volumes: ["./src:/src"]\n',
      },
      { files: ['compose.yaml', 'ci/override.yaml'] },
    );
    assert.equal(project.services['web']!.image, 'web:2');
    assert.equal(project.services['web']!.ports.length, 1);
    assert.equal(project.services['web']!.volumes[0]!.source, `${root}/src`);
    assert.deepEqual(project.config_files, [`${root}/compose.yaml`, `${root}/ci/override.yaml`]);
  });

  it('merges the documents of a multi-document file in order', async () => {
    const { project } = await loadFiles({ 'compose.yaml': 'services:\n  a:\n    image: one\n---\nservices:\n  a:\n    image: two\n' });
    assert.equal(project.services['a']!.image, 'two');
  });
});
