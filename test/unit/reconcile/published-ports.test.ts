import assert from 'node:assert/strict';
import type { ContainerSummary } from '../../../src/engine/engine.js';
import { Label } from '../../../src/model/labels.js';
import { addressEnvironment, findPublishedPort, publishedPortsOf } from '../../../src/reconcile/published-ports.js';

function container(name: string, service: string, number: number, ports: ContainerSummary['ports'], extra: Record<string, string> = {}): ContainerSummary {
  return {
    id: name, name, image: 'i', imageId: 'sha', command: '', created: 0, state: 'running', status: 'Up',
    labels: { [Label.project]: 'p', [Label.service]: service, [Label.containerNumber]: String(number), ...extra },
    ports, networks: [], networkIds: {}, mounts: [],
  };
}

describe('published ports', () => {
  const containers = [
    container('p-web-2', 'web', 2, [{ ip: '0.0.0.0', privatePort: 80, publicPort: 49160, type: 'tcp' }]),
    container('p-web-1', 'web', 1, [
      { ip: '::', privatePort: 80, publicPort: 49155, type: 'tcp' },
      { ip: '0.0.0.0', privatePort: 80, publicPort: 49154, type: 'tcp' },
      { privatePort: 443, type: 'tcp' },
      { ip: '127.0.0.1', privatePort: 53, publicPort: 5353, type: 'udp' },
    ]),
    container('p-my-db-1', 'my-db', 1, [{ ip: '0.0.0.0', privatePort: 5432, publicPort: 49200, type: 'tcp' }]),
    container('p-web-run-abc', 'web', 1, [{ ip: '0.0.0.0', privatePort: 80, publicPort: 49999, type: 'tcp' }], { [Label.oneoff]: 'True' }),
  ];
  const ports = publishedPortsOf(containers);

  it('lists one reachable address per published container port, IPv4 first, one-offs and unpublished ports left out', () => {
    assert.deepEqual(ports.map((p) => `${p.service}.${p.index} ${p.containerPort}/${p.protocol} ${p.host}:${p.port}`), [
      'my-db.1 5432/tcp 127.0.0.1:49200',
      'web.1 53/udp 127.0.0.1:5353',
      'web.1 80/tcp 127.0.0.1:49154',
      'web.2 80/tcp 127.0.0.1:49160',
    ]);
  });

  it('finds the lowest replica unless an index is given', () => {
    assert.equal(findPublishedPort(ports, 'web', 80)?.port, 49154);
    assert.equal(findPublishedPort(ports, 'web', 80, { index: 2 })?.port, 49160);
    assert.equal(findPublishedPort(ports, 'web', 53, { protocol: 'udp' })?.port, 5353);
    assert.equal(findPublishedPort(ports, 'web', 8080), undefined);
  });

  it('names environment variables after the service and port, for the first replica', () => {
    assert.deepEqual(addressEnvironment(ports), {
      TSCOMPOSE_MY_DB_5432: '127.0.0.1:49200',
      TSCOMPOSE_WEB_53_UDP: '127.0.0.1:5353',
      TSCOMPOSE_WEB_80: '127.0.0.1:49154',
    });
  });
});
