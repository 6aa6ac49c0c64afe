import assert from 'node:assert/strict';
import { buildContainerSpec } from '../../../src/reconcile/container-spec.js';
import { project, service } from '../../helpers/project-fixture.js';
import type { Service } from '../../../src/model/project.js';

function spec(s: Partial<Service>, extra: Parameters<typeof project>[2] = {}) {
  const p = project('app', { web: service(s) }, extra);
  return buildContainerSpec({ project: p, service: 'web', number: 1, name: 'app-web-1', imageId: 'sha256:abc', serviceContainer: (x) => `app-${x}-1` });
}

describe('buildContainerSpec', () => {
  it('writes the labels Docker Compose writes', () => {
    const labels = spec({ labels: { team: 'a' } }).body.Labels;
    for (const [key, value] of Object.entries({
      'com.docker.compose.project': 'app',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.project.working_dir': '/work/app',
      'com.docker.compose.project.config_files': '/work/app/compose.yaml',
      'com.docker.compose.image': 'sha256:abc',
      team: 'a',
    })) assert.equal(labels[key], value, key);
    assert.match(labels['com.docker.compose.config-hash'] ?? '', /^[0-9a-f]{64}$/);
    assert.ok(labels['com.docker.compose.version']);
  });

  it('maps ports, environment, command and the default network with the service alias', () => {
    const { body } = spec({
      command: ['sh', '-c', 'x'],
      environment: { B: '2', A: '1', UNSET: null },
      ports: [{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' },
        { target: 53, protocol: 'udp', mode: 'ingress' }],
    });
    assert.deepEqual(body['Cmd'], ['sh', '-c', 'x']);
    assert.deepEqual(body['Env'], ['A=1', 'B=2', 'UNSET']);
    assert.deepEqual(body['ExposedPorts'], { '80/tcp': {}, '53/udp': {} });
    const host = body['HostConfig'] as Record<string, unknown>;
    assert.deepEqual(host['PortBindings'], { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': [{ HostIp: '', HostPort: '' }] });
    assert.equal(host['NetworkMode'], 'app_default');
    assert.deepEqual(body['NetworkingConfig'], { EndpointsConfig: { app_default: { Aliases: ['web'] } } });
  });

  it('mounts named volumes by their engine name, binds as Binds, tmpfs as mounts', () => {
    const { body } = spec({
      volumes: [
        { type: 'volume', source: 'data', target: '/data' },
        { type: 'bind', source: '/srv/site', target: '/www', read_only: true, bind: { create_host_path: true } },
        { type: 'tmpfs', target: '/run', tmpfs: { size: 1024 } },
      ],
    }, { volumes: { data: { name: 'app_data' } } });
    const host = body['HostConfig'] as Record<string, unknown>;
    assert.deepEqual(host['Binds'], ['/srv/site:/www:ro']);
    assert.deepEqual(host['Mounts'], [
      { Type: 'volume', Target: '/data', Source: 'app_data' },
      { Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 1024 } },
    ]);
  });

  it('turns healthcheck durations into nanoseconds and restart into a policy', () => {
    const { body } = spec({
      healthcheck: { test: ['CMD', 'true'], interval: '1m30s', timeout: '500ms', retries: 3 },
      restart: 'on-failure:5',
      stop_grace_period: '1m',
    });
    assert.deepEqual(body['Healthcheck'], { Test: ['CMD', 'true'], Interval: 90e9, Timeout: 500e6, Retries: 3 });
    assert.deepEqual((body['HostConfig'] as Record<string, unknown>)['RestartPolicy'], { Name: 'on-failure', MaximumRetryCount: 5 });
    assert.equal(body['StopTimeout'], 60);
  });

  it('joins the first network at create and the others afterwards, by priority', () => {
    const s = spec({ networks: { back: null, front: { priority: 10, aliases: ['www'] } } }, {
      networks: { front: { name: 'app_front' }, back: { name: 'app_back' } },
    });
    assert.deepEqual(s.body['NetworkingConfig'], { EndpointsConfig: { app_front: { Aliases: ['web', 'www'] } } });
    assert.deepEqual(s.extraNetworks, [{ network: 'app_back', config: { Aliases: ['web'] } }]);
  });

  it('points network_mode: service:x at that service\'s container', () => {
    const host = spec({ network_mode: 'service:db', networks: undefined }).body['HostConfig'] as Record<string, unknown>;
    assert.equal(host['NetworkMode'], 'container:app-db-1');
  });
});
