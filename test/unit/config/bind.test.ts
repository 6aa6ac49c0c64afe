import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { bindProject, type BindInput } from '../../../src/config/to-project.js';
import { loadYaml } from './helpers.js';

const input = (services: Record<string, unknown>, tree: Record<string, unknown> = {}): BindInput => ({
  tree,
  name: 'p',
  workingDir: '/p',
  configFiles: [],
  envFiles: [],
  environment: {},
  services,
  disabled: {},
  profiles: [],
});

describe('binding to the typed model', () => {
  it('checks each service against the model instead of casting it', () => {
    const bad = input({ web: { image: 'a', ports: [{ target: '80', protocol: 'tcp', mode: 'ingress' }] } });
    assert.throws(() => bindProject(bad), (e: unknown) => e instanceof ConfigError && e.keyPath === 'services.web.ports[0].target' && /expected a number/.test(e.message));
    const project = bindProject(input({ web: { image: 'a' } }));
    assert.deepEqual(project.services['web'], { image: 'a', environment: {}, labels: {}, ports: [], volumes: [], depends_on: {} });
  });

  it('checks resources: a network needs its engine name', () => {
    assert.throws(() => bindProject(input({}, { networks: { front: {} } })), (e: unknown) => e instanceof ConfigError && e.keyPath === 'networks.front.name');
  });

  it('accepts --no-interpolate text where a value of another type will stand', () => {
    const project = bindProject({ ...input({ web: { image: 'a', scale: '${N}' } }), templates: true });
    assert.equal(project.services['web']?.scale, '${N}');
  });

  it('valid Compose with numeric ids and options binds as the model types them', async () => {
    const { project } = await loadYaml(
      'services:\n  web:\n    image: a\n    group_add: [1000, wheel]\n    secrets: [{source: s, uid: 1000, gid: 1000}]\n' +
        '    networks: {back: {driver_opts: {mtu: 1400}}}\n    pid: null\n' +
        'secrets:\n  s: {environment: HOME}\nnetworks:\n  back: {}\n',
    );
    const web = project.services['web']!;
    assert.deepEqual(web.group_add, ['1000', 'wheel']);
    assert.deepEqual(web.secrets, [{ source: 's', target: '/run/secrets/s', uid: '1000', gid: '1000' }]);
    assert.deepEqual(web.networks?.['back']?.driver_opts, { mtu: '1400' });
  });
});
