import assert from 'node:assert/strict';
import type { SwarmService } from '../../../src/engine/swarm-api.js';
import { loadProject } from '../../../src/config/load.js';
import { withDetails } from '../../../src/engine/swarm-api.js';
import { ConfigError, EngineError } from '../../../src/errors.js';
import { externalNetworkProblem } from '../../../src/swarm/observe-stack.js';
import { taskLogNames } from '../../../src/swarm/stack-views.js';
import type { Project } from '../../../src/model/project.js';
import { desiredStack } from '../../../src/swarm/desired-stack.js';
import { chooseImage } from '../../../src/swarm/deploy-stack.js';
import { changedFields, formatStackPlan, planDeploy, type ActualStack } from '../../../src/swarm/plan-deploy.js';
import { serviceSpec } from '../../../src/swarm/service-spec.js';
import { checkStackSupport } from '../../../src/swarm/unsupported.js';
import { serviceProgress } from '../../../src/swarm/converge.js';
import { project, service } from '../../helpers/project-fixture.js';

const text = (lines: string[]): string => lines.join('\n');
const none: ActualStack = { services: [], networks: [], configs: [], secrets: [] };

function shop(env = '1', conf = 'v1'): { p: Project; contents: Map<string, Buffer> } {
  const p = project('shop', {
    web: service({ environment: { A: env }, deploy: { replicas: 2 } }),
    app: service({
      configs: [{ source: 'conf', target: '/etc/app.conf' }],
      secrets: [{ source: 'pw' }],
      depends_on: { init: { condition: 'service_completed_successfully', required: true, restart: false } },
    }),
    init: service({ deploy: { mode: 'replicated-job' } }),
  }, { configs: { conf: { name: 'shop_conf', file: '/x/app.conf' } }, secrets: { pw: { name: 'shop_pw', file: '/x/pw' } } });
  return { p, contents: new Map([['config:conf', Buffer.from(conf)], ['secret:pw', Buffer.from('s3cret')]]) };
}

/** The cluster after a deploy of `p`: what the engine would list (the spec we sent, IDs made up). */
function deployed(p: Project, contents: Map<string, Buffer>): ActualStack {
  const d = desiredStack(p, 'shop', contents, new Map());
  return {
    services: d.services.map((s, i): SwarmService => ({ id: `svc${i}`, version: 10 + i, spec: s.spec, createdAt: '', updatedAt: '' })),
    networks: d.networks.map((n, i) => ({ id: `net${i}`, name: n.name, driver: 'overlay', scope: 'swarm', labels: {} })),
    configs: d.objects.filter((o) => o.kind === 'config').map((o, i) => ({ id: `cfg${i}`, name: o.name, labels: o.spec?.Labels ?? {}, createdAt: '' })),
    secrets: d.objects.filter((o) => o.kind === 'secret').map((o, i) => ({ id: `sec${i}`, name: o.name, labels: o.spec?.Labels ?? {}, createdAt: '' })),
  };
}

describe('planDeploy (stack deploy)', () => {
  it('creates networks, content-addressed objects, then services in depends_on order, awaiting a job that must complete', () => {
    const { p, contents } = shop();
    const plan = planDeploy(desiredStack(p, 'shop', contents, new Map()), none, { prune: false });
    assert.equal(formatStackPlan(plan), text([
      'network:default              create  not found',
      'config:shop_conf-3bfc269594  create  not found',
      'secret:shop_pw-1ec1c26b50    create  not found',
      'service:init                 create  not found  after network:default#create',
      'service:init                 await   service_completed_successfully for app  after service:init#create',
      'service:app                  create  not found  after config:shop_conf-3bfc269594#create, network:default#create, secret:shop_pw-1ec1c26b50#create, service:init#await',
      'service:web                  create  not found  after network:default#create',
    ]));
  });

  it('does nothing when the cluster has exactly this stack', () => {
    const { p, contents } = shop();
    assert.equal(formatStackPlan(planDeploy(desiredStack(p, 'shop', contents, new Map()), deployed(p, contents), { prune: false })), 'nothing to do');
  });

  it('updates only the service whose environment changed, and names the field', () => {
    const before = shop('1');
    const after = shop('2');
    const plan = planDeploy(desiredStack(after.p, 'shop', after.contents, new Map()), deployed(before.p, before.contents), { prune: false });
    assert.equal(formatStackPlan(plan), 'service:web  update  changed: environment');
    const op = plan.nodes[0]?.operation;
    assert.ok(op?.type === 'update-service' && op.version === 12 && op.id === 'svc2');
  });

  it('a changed config is a new object; the service points at it; the old one goes once unused', () => {
    const before = shop('1', 'v1');
    const after = shop('1', 'v2');
    const plan = planDeploy(desiredStack(after.p, 'shop', after.contents, new Map()), deployed(before.p, before.contents), { prune: false });
    assert.equal(formatStackPlan(plan), text([
      'config:shop_conf-fb04dcb697  create  content of conf changed',
      'service:app                  update  changed: configs  after config:shop_conf-fb04dcb697#create',
      'config:shop_conf-3bfc269594  remove  no longer used  after service:app#update',
    ]));
  });

  it('keeps a service that left the file (with a warning) unless --prune; prune removes it', () => {
    const { p, contents } = shop();
    const actual = deployed(p, contents);
    const { web: _web, ...rest } = p.services;
    const smaller = { ...p, services: rest };
    const kept = planDeploy(desiredStack(smaller, 'shop', contents, new Map()), actual, { prune: false });
    assert.equal(formatStackPlan(kept), 'nothing to do');
    assert.deepEqual(kept.warnings, ['service web is no longer in the compose file; --prune removes it']);
    assert.equal(formatStackPlan(planDeploy(desiredStack(smaller, 'shop', contents, new Map()), actual, { prune: true })),
      'service:web  remove  not in the compose file (--prune)');
  });

  it('compares what the engine echoes back (network IDs, defaults it adds) with what we sent', () => {
    const { p, contents } = shop();
    const spec = desiredStack(p, 'shop', contents, new Map()).services.find((s) => s.key === 'web')?.spec as SwarmService['spec'];
    const echoed = JSON.parse(JSON.stringify(spec)) as Record<string, any>;
    echoed['TaskTemplate']['Networks'][0]['Target'] = 'net0';
    echoed['TaskTemplate']['ForceUpdate'] = 0;
    echoed['TaskTemplate']['Runtime'] = 'container';
    echoed['TaskTemplate']['ContainerSpec']['Isolation'] = 'default';
    assert.deepEqual(changedFields(echoed, spec, new Map([['net0', 'shop_default']])), []);
    echoed['TaskTemplate']['ContainerSpec']['Image'] = 'other:1';
    assert.deepEqual(changedFields(echoed, spec, new Map([['net0', 'shop_default']])), ['image']);
  });
});

describe('service spec (docker stack names and labels, the Swarm mapping)', () => {
  it('scopes names, labels the namespace and image, aliases the service on its networks', () => {
    const p = project('shop', { web: service({ ports: [{ target: 80, published: '8080', protocol: 'tcp', mode: 'host' }], restart: 'no' }) });
    const spec = serviceSpec({ project: p, stack: 'shop', key: 'web', image: 'tscompose/busybox:1', configNames: new Map(), secretNames: new Map() }) as Record<string, any>;
    assert.equal(spec['Name'], 'shop_web');
    assert.deepEqual(spec['Labels'], { 'com.docker.stack.namespace': 'shop', 'com.docker.stack.image': 'tscompose/busybox:1' });
    assert.deepEqual(spec['TaskTemplate']['ContainerSpec']['Labels'], { 'com.docker.stack.namespace': 'shop' });
    assert.deepEqual(spec['TaskTemplate']['Networks'], [{ Target: 'shop_default', Aliases: ['web'] }]);
    assert.deepEqual(spec['EndpointSpec'], { Mode: 'vip', Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }] });
    // `restart: "no"` means no restart (docker stack deploy leaves Swarm's default, any).
    assert.deepEqual(spec['TaskTemplate']['RestartPolicy'], { Condition: 'none' });
  });

  it('maps jobs, global mode and a service tmpfs key', () => {
    const p = project('s', {
      job: service({ deploy: { mode: 'replicated-job', replicas: 3 } }),
      agent: service({ deploy: { mode: 'global' }, tmpfs: ['/run:size=1m'] }),
    });
    const spec = (key: string): Record<string, any> => serviceSpec({ project: p, stack: 's', key, image: 'i', configNames: new Map(), secretNames: new Map() }) as Record<string, any>;
    assert.deepEqual(spec('job')['Mode'], { ReplicatedJob: { MaxConcurrent: 3, TotalCompletions: 3 } });
    assert.deepEqual(spec('job')['TaskTemplate']['RestartPolicy'], { Condition: 'on-failure' });
    assert.deepEqual(spec('agent')['Mode'], { Global: {} });
    assert.deepEqual(spec('agent')['TaskTemplate']['ContainerSpec']['Mounts'], [{ Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 1048576 } }]);
  });
});

describe('checkStackSupport', () => {
  it('lists what Swarm ignores, one line per key', () => {
    const p = project('s', { web: service({ container_name: 'x', privileged: true }) });
    assert.deepEqual(checkStackSupport(p).warnings, [
      'services.web.container_name: ignored (Swarm names task containers itself)',
      'services.web.privileged: ignored (Swarm services cannot run privileged)',
    ]);
  });

  it('refuses what would run differently: no image, network_mode service:, a port bound to one address', () => {
    const { image: _i, ...noImage } = service();
    assert.throws(() => checkStackSupport(project('s', { web: noImage as ReturnType<typeof service> })), (e: unknown) => e instanceof ConfigError && e.keyPath === 'services.web.image');
    assert.throws(() => checkStackSupport(project('s', { web: service({ network_mode: 'service:db' }) })), ConfigError);
    assert.throws(() => checkStackSupport(project('s', { web: service({ ports: [{ target: 80, published: '80', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }] }) })), ConfigError);
  });
});

describe('chooseImage (--resolve-image)', () => {
  const actual = (image: string, label: string): SwarmService => ({
    id: 'x', version: 1, createdAt: '', updatedAt: '',
    spec: { Name: 's_web', Labels: { 'com.docker.stack.image': label }, TaskTemplate: { ContainerSpec: { Image: image } } },
  });
  it('keeps a digest pinned by an earlier deploy while the compose image is the same', () => {
    assert.equal(chooseImage('app:1', actual('app:1@sha256:aa', 'app:1'), 'never', undefined), 'app:1@sha256:aa');
    assert.equal(chooseImage('app:2', actual('app:1@sha256:aa', 'app:1'), 'never', undefined), 'app:2');
    assert.equal(chooseImage('app:1', actual('app:1@sha256:aa', 'app:1'), 'always', 'sha256:bb'), 'app:1@sha256:bb');
    assert.equal(chooseImage('app:1', actual('app:1@sha256:aa', 'app:1'), 'changed', 'sha256:bb'), 'app:1@sha256:aa');
  });
});

describe('serviceProgress', () => {
  const svc: SwarmService = { id: 's', version: 1, createdAt: '', updatedAt: '', spec: { Name: 'x_job', Labels: {}, Mode: { ReplicatedJob: { TotalCompletions: 1 } }, TaskTemplate: { ContainerSpec: { Image: 'i' } } } };
  const task = (state: string, desired = 'complete') => ({
    id: 't', serviceId: 's', slot: 1, nodeId: 'n', desiredState: desired, state, message: '', error: '', containerId: '', timestamp: new Date(0).toISOString(),
    image: 'i', labels: {}, spec: { ContainerSpec: { Image: 'i' } },
  }) as Parameters<typeof serviceProgress>[1][number];
  it('counts a completed job as converged', () => {
    assert.equal(serviceProgress(svc, [task('complete')], 0, 0).state, 'converged');
    assert.equal(serviceProgress(svc, [task('running')], 0, 0).state, 'pending');
  });
});

describe('Swarm refusals point at the file', () => {
  const load = (yaml: string) => loadProject({ cwd: '/nonexistent-tscompose-test', env: {}, files: ['-'], readStdin: async () => yaml });
  const refusal = async (yaml: string): Promise<ConfigError> => {
    const { project: p } = await load(yaml);
    try {
      checkStackSupport(p);
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error;
    }
    assert.fail('not refused');
  };
  it('network_mode service: refused at its line and column', async () => {
    const e = await refusal('services:\n  web:\n    image: x\n    network_mode: "service:db"\n  db:\n    image: y\n');
    assert.equal(e.keyPath, 'services.web.network_mode');
    assert.deepEqual(e.position && [e.position.line, e.position.column], [4, 5]);
  });
  it('a service without an image (built only): refused at the service', async () => {
    const e = await refusal('services:\n  web:\n    build: .\n');
    assert.equal(e.keyPath, 'services.web.image');
    assert.match(e.message, /has no image/);
    assert.equal(e.position?.line, 2);
  });
  it('a built image that names no registry: refused at image', async () => {
    const e = await refusal('services:\n  app:\n    build: .\n    image: app:1\n');
    assert.equal(e.keyPath, 'services.app.image');
    assert.match(e.message, /names no registry/);
    assert.equal(e.position?.line, 4);
  });
  it('a built image with a registry host passes', async () => {
    const { project: p } = await load('services:\n  app:\n    build: .\n    image: 127.0.0.1:5000/app:1\n');
    assert.deepEqual(checkStackSupport(p).warnings, []);
  });
});

describe('externalNetworkProblem', () => {
  const net = (scope: string) => ({ id: 'n', name: 'shared', driver: scope === 'swarm' ? 'overlay' : 'bridge', scope, labels: {} });
  it('a swarm-scoped network is fine', () => assert.equal(externalNetworkProblem('shared', net('swarm')), undefined));
  it('a local-scoped (bridge) network is refused with exit 1 and a hint', () => {
    const e = externalNetworkProblem('shared', net('local'));
    assert.ok(e instanceof EngineError);
    assert.match(e.message, /shared is declared external but is local-scoped/);
    assert.equal(e.exitCode, 1);
    assert.match(e.hint ?? '', /--driver overlay/);
  });
  it('a missing network is refused', () => assert.match(externalNetworkProblem('shared', undefined)?.message ?? '', /does not exist/));
});

describe('stack logs helpers', () => {
  it('withDetails keeps the task ID and drops the other attributes', () => {
    assert.deepEqual(withDetails('com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1 hello world', false), { taskId: 't1', text: 'hello world' });
    assert.deepEqual(withDetails('2024-01-01T00:00:00.1Z com.docker.swarm.task.id=t2 a=b c', true), { taskId: 't2', text: '2024-01-01T00:00:00.1Z a=b c' });
    assert.deepEqual(withDetails('com.docker.swarm.task.id=t3', false), { taskId: 't3', text: '' });
    assert.deepEqual(withDetails('plain line', false), { taskId: '', text: 'plain line' });
  });
  it('taskLogNames: service key and slot, without the stack name', () => {
    const svc = (id: string, name: string): SwarmService => ({ id, version: 1, createdAt: '', updatedAt: '', spec: { Name: name, Labels: {} } });
    const t = (id: string, serviceId: string, slot: number) => ({ id, serviceId, slot, nodeId: 'node0123456789abc' }) as Parameters<typeof taskLogNames>[2][number];
    const names = taskLogNames('shop', [svc('a', 'shop_web'), svc('b', 'shop_agent')], [t('t1', 'a', 2), t('t2', 'b', 0), t('t3', 'zz', 1)]);
    assert.deepEqual([...names], [['t1', 'web.2'], ['t2', 'agent.node01234567']]);
  });
});
