import assert from 'node:assert/strict';
import { buildContainerSpec, isCdiDeviceName } from '../../../src/reconcile/container-spec.js';
import { apiAtLeast, preflight } from '../../../src/reconcile/preflight.js';
import { ConfigError } from '../../../src/errors.js';
import { project, service } from '../../helpers/project-fixture.js';
import type { Project, Service } from '../../../src/model/project.js';
import { loadYaml, removeDir } from '../config/helpers.js';

function spec(s: Partial<Service>, extra: Partial<Project> = {}) {
  const p = project('app', { web: service(s) }, extra);
  return buildContainerSpec({ project: p, service: 'web', number: 1, name: 'app-web-1', imageId: undefined, serviceContainer: (x) => `app-${x}-1` });
}
const host = (s: Partial<Service>, extra: Partial<Project> = {}) => spec(s, extra).body['HostConfig'] as Record<string, unknown>;

describe('container create request: keys Compose applies', () => {
  it('external_links follow links, a bare name is its own alias', () => {
    assert.deepEqual(host({ links: ['db:database'], external_links: ['redis', 'cache_1:cache'] })['Links'],
      ['app-db-1:database', 'redis:redis', 'cache_1:cache']);
  });

  it('bind recursive: disabled, writable and readonly need the mount API with the engine\'s flags', () => {
    const mounts = (recursive: 'disabled' | 'writable' | 'readonly') =>
      host({ volumes: [{ type: 'bind', source: '/h', target: '/c', bind: { recursive } }] })['Mounts'];
    assert.deepEqual(mounts('disabled'), [{ Type: 'bind', Target: '/c', Source: '/h', BindOptions: { NonRecursive: true } }]);
    assert.deepEqual(mounts('writable'), [{ Type: 'bind', Target: '/c', Source: '/h', BindOptions: { ReadOnlyNonRecursive: true } }]);
    assert.deepEqual(mounts('readonly'), [{ Type: 'bind', Target: '/c', Source: '/h', BindOptions: { ReadOnlyForceRecursive: true } }]);
  });

  it('volume labels and image subpath go into the mount options', () => {
    assert.deepEqual(host({ volumes: [{ type: 'volume', source: 'v', target: '/v', volume: { labels: { a: '1' } } }] },
      { volumes: { v: { name: 'app_v' } } })['Mounts'], [{ Type: 'volume', Target: '/v', Source: 'app_v', VolumeOptions: { Labels: { a: '1' } } }]);
    assert.deepEqual(host({ volumes: [{ type: 'image', source: 'alpine', target: '/i', image: { subpath: 'etc' } }] })['Mounts'],
      [{ Type: 'image', Target: '/i', Source: 'alpine', ImageOptions: { Subpath: 'etc' } }]);
  });

  it('interface_name becomes the endpoint ifname driver option; gw_priority is sent', () => {
    const body = spec({ networks: { default: { interface_name: 'eth7', gw_priority: 3 } } }).body;
    const endpoint = (body['NetworkingConfig'] as { EndpointsConfig: Record<string, Record<string, unknown>> }).EndpointsConfig['app_default'];
    assert.deepEqual(endpoint?.['DriverOpts'], { 'com.docker.network.endpoint.ifname': 'eth7' });
    assert.equal(endpoint?.['GwPriority'], 3);
  });

  it('CDI names are device requests for the cdi driver, not host paths', () => {
    assert.equal(isCdiDeviceName('nvidia.com/gpu=all'), true);
    assert.equal(isCdiDeviceName('/dev/sda'), false);
    const h = host({ devices: [{ source: 'nvidia.com/gpu=all', target: 'nvidia.com/gpu=all', permissions: 'rwm' }] });
    assert.deepEqual(h['Devices'], []);
    assert.deepEqual(h['DeviceRequests'], [{ Driver: 'cdi', Count: 0, DeviceIDs: ['nvidia.com/gpu=all'] }]);
  });

  it('an empty entrypoint or command is sent empty, clearing the image\'s', () => {
    const body = spec({ entrypoint: [], command: [] }).body;
    assert.deepEqual(body['Entrypoint'], []);
    assert.deepEqual(body['Cmd'], []);
  });

  it('platform, else DOCKER_DEFAULT_PLATFORM, is the create request\'s platform', () => {
    assert.equal(spec({ platform: 'linux/arm64' }).platform, 'linux/arm64');
    assert.equal(spec({}, { environment: { DOCKER_DEFAULT_PLATFORM: 'linux/amd64' } }).platform, 'linux/amd64');
    assert.equal(spec({}).platform, undefined);
  });

  it('mem_swappiness 0 is left out as Compose does; cpu_percent is sent times 100', () => {
    assert.equal(host({ mem_swappiness: 0 })['MemorySwappiness'], undefined);
    assert.equal(host({ cpu_percent: 50 })['CpuPercent'], 5000);
  });
});

describe('preflight', () => {
  const run = (p: Project, api = '1.41') => preflight({ project: p, services: Object.keys(p.services), apiVersion: api, readFile: () => undefined });

  it('compares API versions by number', () => {
    assert.equal(apiAtLeast('1.41', '1.43'), false);
    assert.equal(apiAtLeast('1.43', '1.43'), true);
    assert.equal(apiAtLeast('1.100', '1.43'), true);
  });

  it('lets a newer engine take what an older one refuses', () => {
    const p = project('app', { web: service({ annotations: { a: '1' } }) });
    assert.throws(() => run(p), (e) => e instanceof ConfigError && /annotations needs Docker Engine 24\.0/.test(e.message));
    assert.doesNotThrow(() => run(p, '1.43'));
  });

  it('an unreadable seccomp profile stops the run', () => {
    const p = project('app', { web: service({ security_opt: ['seccomp=./nope.json'] }) });
    assert.throws(() => run(p), /cannot read the seccomp profile \.\/nope\.json/);
  });

  it('warns once about uid/gid/mode on file-sourced secrets', () => {
    const p = project('app', { web: service({ secrets: [{ source: 'a', mode: 0o400 }, { source: 'b', uid: '1' }] }) },
      { secrets: { a: { name: 'app_a', file: '/f' }, b: { name: 'app_b', file: '/g' } } });
    assert.equal(run(p).warnings.length, 1);
  });

  it('errors carry the file and line of the key', async () => {
    const { project: loaded, root } = await loadYaml('services:\n  web:\n    image: x\n    annotations:\n      a: "1"\n');
    try {
      assert.throws(() => run(loaded), (e) => e instanceof ConfigError && e.position?.line === 4 && e.keyPath === 'services.web.annotations');
    } finally {
      removeDir(root);
    }
  });
});

describe('octal modes, read as Compose reads them', () => {
  const load = async (yaml: string) => {
    const { project: p, root } = await loadYaml(yaml);
    removeDir(root);
    return p;
  };

  it('secret and config modes: 0440 and "0440" are octal', async () => {
    const p = await load('services:\n  s:\n    image: x\n    secrets:\n      - source: a\n        mode: 0440\n      - source: b\n        mode: "0440"\n'
      + 'secrets:\n  a: {file: ./a}\n  b: {file: ./b}\n');
    assert.deepEqual(p.services['s']?.secrets?.map((r) => r.mode), [0o440, 0o440]);
  });

  it('tmpfs mode 01777 is octal', async () => {
    const p = await load('services:\n  s:\n    image: x\n    volumes:\n      - type: tmpfs\n        target: /t\n        tmpfs: {mode: 01777}\n');
    assert.equal(p.services['s']?.volumes[0]?.tmpfs?.mode, 0o1777);
  });

  it('memswap_limit -1 means unlimited', async () => {
    const p = await load('services:\n  s:\n    image: x\n    memswap_limit: -1\n');
    assert.equal(p.services['s']?.memswap_limit, -1);
  });
});
