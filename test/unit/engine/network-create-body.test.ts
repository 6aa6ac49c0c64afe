import assert from 'node:assert/strict';
import { networkCreateBody } from '../../../src/engine/docker-networks.js';

describe('networkCreateBody', () => {
  it('turns our network spec into the Engine API create body, IPAM pools included', () => {
    const body = networkCreateBody({
      name: 'p_front',
      driver: 'bridge',
      driverOpts: { 'com.docker.network.bridge.name': 'br-front' },
      labels: { 'com.docker.compose.project': 'p' },
      internal: true,
      enableIpv6: false,
      ipam: { driver: 'default', pools: [{ subnet: '172.28.0.0/16', gateway: '172.28.0.1', auxAddresses: { host: '172.28.1.5' } }], options: {} },
    });
    assert.deepEqual(body, {
      Name: 'p_front',
      CheckDuplicate: true,
      Driver: 'bridge',
      Options: { 'com.docker.network.bridge.name': 'br-front' },
      Labels: { 'com.docker.compose.project': 'p' },
      Internal: true,
      EnableIPv6: false,
      IPAM: {
        Driver: 'default',
        Config: [{ Subnet: '172.28.0.0/16', IPRange: undefined, Gateway: '172.28.0.1', AuxiliaryAddresses: { host: '172.28.1.5' } }],
        Options: {},
      },
    });
  });

  it('leaves out what the spec does not set', () => {
    assert.deepEqual(networkCreateBody({ name: 'p_default', driver: 'bridge', labels: {} }), {
      Name: 'p_default', CheckDuplicate: true, Driver: 'bridge', Labels: {},
    });
  });
});
