import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { API_SOCKET_CONFIG, withApiSocket } from '../../../src/reconcile/api-socket.js';
import { preflight } from '../../../src/reconcile/preflight.js';
import { project, service } from '../../helpers/project-fixture.js';
import { loadYaml, removeDir } from '../config/helpers.js';

describe('use_api_socket', () => {
  const CONFIG = '{"auths":{}}\n';
  const engine = { socketPath: '/var/run/docker.sock', clientConfig: CONFIG };

  it('becomes the socket bind mount, DOCKER_CONFIG and a config holding the credentials, for the services that ask', () => {
    const p = project('app', { tool: service({ use_api_socket: true }), web: service() });
    const out = withApiSocket(p, ['tool', 'web'], engine);
    const tool = out.services['tool']!;
    assert.deepEqual(tool.volumes, [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' }]);
    assert.deepEqual(tool.environment, { DOCKER_CONFIG: '/run/secrets/docker' });
    assert.deepEqual(tool.configs, [{ source: API_SOCKET_CONFIG, target: '/run/secrets/docker/config.json' }]);
    assert.equal(out.configs[API_SOCKET_CONFIG]?.content, CONFIG);
    assert.equal(out.services['web'], p.services['web']);
  });

  it('leaves a DOCKER_CONFIG the service sets, and the project alone when no service asks', () => {
    const p = project('app', { tool: service({ use_api_socket: true, environment: { DOCKER_CONFIG: '/mine' } }) });
    assert.deepEqual(withApiSocket(p, ['tool'], engine).services['tool']?.environment, { DOCKER_CONFIG: '/mine' });
    const plain = project('app', { web: service() });
    assert.equal(withApiSocket(plain, ['web'], engine), plain);
  });

  it('over tcp or ssh, mounts the engine host\'s /var/run/docker.sock, as Compose does, and is not refused', async () => {
    const p = project('app', { tool: service({ use_api_socket: true }) });
    assert.deepEqual(withApiSocket(p, ['tool'], { socketPath: undefined, clientConfig: CONFIG }).services['tool']?.volumes,
      [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' }]);
    assert.deepEqual(withApiSocket(p, ['tool'], { socketPath: '/run/user/1000/docker.sock', clientConfig: CONFIG }).services['tool']?.volumes,
      [{ type: 'bind', source: '/run/user/1000/docker.sock', target: '/var/run/docker.sock' }], 'a local socket: the one we reach the engine through');
    const { project: loaded, root } = await loadYaml('services:\n  tool:\n    image: x\n    use_api_socket: true\n');
    try {
      assert.doesNotThrow(() => preflight({ project: loaded, services: ['tool'], apiVersion: '1.41', readFile: () => undefined }));
    } finally {
      removeDir(root);
    }
  });
});

describe('pre_start', () => {
  it('is refused before any change, saying what Compose does with it', async () => {
    const { project: loaded, root } = await loadYaml('services:\n  web:\n    image: x\n    pre_start:\n      - command: ["true"]\n');
    try {
      assert.throws(
        () => preflight({ project: loaded, services: ['web'], apiVersion: '1.41', readFile: () => undefined }),
        (e) => e instanceof ConfigError && e.keyPath === 'services.web.pre_start' && e.position?.line === 4
          && /Docker Compose runs each as a one-off container/.test(e.message),
      );
    } finally {
      removeDir(root);
    }
  });
});
