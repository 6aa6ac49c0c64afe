import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { API_SOCKET_CONFIG, withApiSocket } from '../../../src/reconcile/api-socket.js';
import { defaultUpPlanOptions, planUp } from '../../../src/reconcile/plan.js';
import { planStart } from '../../../src/reconcile/plan-lifecycle.js';
import { formatPlan } from '../../../src/reconcile/plan-text.js';
import { preflight } from '../../../src/reconcile/preflight.js';
import { runningContainer, snapshot } from '../../helpers/project-fixture.js';
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
  const hooks = { pre_start: [{ command: ['sh', '-c', 'echo ready > /data/flag'] }, { command: ['true'], image: 'tools:1', environment: { STEP: '2' } }] };

  it('plans the hooks once, after the first replica is ready and before any replica starts', () => {
    const p = project('p', { db: service(), web: service({ ...hooks, depends_on: { db: { condition: 'service_started', required: true, restart: false } }, deploy: { replicas: 2 } }) });
    const plan = planUp(p, snapshot(p, []), { ...defaultUpPlanOptions, services: [] });
    const text = formatPlan(plan);
    assert.match(text, /container:p-web-pre_start +pre_start +pre_start hook 1 of 2: before the first replica starts +after container:p-web-1#create, container:p-db-1#start/);
    assert.match(text, /container:p-web-pre_start +pre_start-2 pre_start hook 2 of 2: before the first replica starts +after container:p-web-pre_start#pre_start\n/);
    for (const replica of ['p-web-1', 'p-web-2']) {
      assert.match(text, new RegExp(`container:${replica} +start +created +after .*container:p-web-pre_start#pre_start-2$`, 'm'), text);
    }
    const [first, second] = plan.nodes.filter((n) => n.operation.type === 'run-pre-start-hook').map((n) => n.operation);
    assert.ok(first?.type === 'run-pre-start-hook' && second?.type === 'run-pre-start-hook');
    assert.deepEqual(first.awaits.map((a) => a.service), ['db'], 'the first hook waits for the dependencies, as the starts do');
    const body = first.spec.body as unknown as { Image: string; Cmd: string[]; Labels: Record<string, string>; HostConfig: { VolumesFrom: string[] } };
    assert.equal(body.Image, 'tscompose/busybox:1');
    assert.deepEqual(body.Cmd, ['sh', '-c', 'echo ready > /data/flag']);
    assert.deepEqual(body.HostConfig.VolumesFrom, ['p-web-1']);
    assert.equal(body.Labels['com.docker.compose.hook'], 'pre_start');
    assert.equal(body.Labels['com.docker.compose.container-number'], undefined, 'no replica');
    const other = second.spec.body as unknown as { Image: string; Env: string[] };
    assert.equal(other.Image, 'tools:1');
    assert.ok(other.Env.includes('STEP=2'));
  });

  it('plans none while a replica stays running, and none for up --no-start', () => {
    const p = project('p', { web: service(hooks) });
    assert.equal(formatPlan(planUp(p, snapshot(p, [runningContainer(p, 'web', 1)]), { ...defaultUpPlanOptions, services: [] })), 'nothing to do');
    const created = planUp(p, snapshot(p, []), { ...defaultUpPlanOptions, services: [], noStart: true });
    assert.ok(created.nodes.every((n) => n.operation.type !== 'run-pre-start-hook'));
  });

  it('runs them again when every replica starts anew (a stopped service), removing a failed hook\'s container first', () => {
    const p = project('p', { web: service(hooks) });
    const failed = runningContainer(p, 'web', 0, { id: 'hook0', state: 'exited', labels: { 'com.docker.compose.hook': 'pre_start', 'com.docker.compose.container-number': '' } });
    const plan = planUp(p, snapshot(p, [runningContainer(p, 'web', 1, { state: 'exited' }), failed]), { ...defaultUpPlanOptions, services: [] });
    assert.match(formatPlan(plan), /container:p-web-pre_start +remove +left by a failed pre_start hook/);
    assert.equal(plan.nodes.filter((n) => n.operation.type === 'run-pre-start-hook').length, 2);
    assert.ok(!formatPlan(plan).includes('p-web-0'), 'the hook container is no replica');
  });

  it('start runs them when every replica is stopped, before the starts; not while one runs', () => {
    const p = project('p', { web: service(hooks) });
    const stopped = [runningContainer(p, 'web', 1, { state: 'exited' }), runningContainer(p, 'web', 2, { state: 'exited' })];
    const plan = planStart(p, snapshot(p, stopped), { services: [] });
    const text = formatPlan(plan);
    assert.match(text, /container:p-web-1 +start +exited +after container:p-web-pre_start#pre_start-2/);
    const first = plan.nodes.find((n) => n.operation.type === 'run-pre-start-hook')?.operation;
    assert.deepEqual(first?.type === 'run-pre-start-hook' ? (first.spec.body['HostConfig'] as { VolumesFrom: string[] }).VolumesFrom : undefined, [stopped[0]?.id]);
    const oneRunning = [runningContainer(p, 'web', 1), runningContainer(p, 'web', 2, { state: 'exited' })];
    assert.ok(planStart(p, snapshot(p, oneRunning), { services: [] }).nodes.every((n) => n.operation.type !== 'run-pre-start-hook'));
  });

  it('per_replica: true is refused before any change, at its key', async () => {
    const { project: loaded, root } = await loadYaml('services:\n  web:\n    image: x\n    pre_start:\n      - command: ["true"]\n        per_replica: true\n');
    try {
      assert.throws(
        () => preflight({ project: loaded, services: ['web'], apiVersion: '1.41', readFile: () => undefined }),
        (e) => e instanceof ConfigError && e.keyPath === 'services.web.pre_start[0].per_replica' && e.position?.line === 6,
      );
    } finally {
      removeDir(root);
    }
  });
});
