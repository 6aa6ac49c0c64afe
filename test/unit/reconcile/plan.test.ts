import assert from 'node:assert/strict';
import { planUp, defaultUpPlanOptions, type UpPlanOptions } from '../../../src/reconcile/plan.js';
import { planDown } from '../../../src/reconcile/plan-down.js';
import { formatPlan } from '../../../src/reconcile/plan-text.js';
import { project, runningContainer, service, snapshot } from '../../helpers/project-fixture.js';
import { ConfigError, DependencyCycleError, UsageError } from '../../../src/errors.js';

const up = (options: Partial<UpPlanOptions> = {}): UpPlanOptions => ({ ...defaultUpPlanOptions, ...options });
const text = (lines: string[]): string => lines.join('\n');

describe('planUp', () => {
  it('creates the network, then containers, then starts them in dependency order', () => {
    const p = project('shop', { web: service({ depends: ['db'] }), db: service() });
    const s = snapshot(p, [], { networks: [] });
    assert.equal(formatPlan(planUp(p, s, up())), text([
      'network:default       create  not found',
      'container:shop-db-1   create  not found  after network:default#create',
      'container:shop-db-1   start   created  after container:shop-db-1#create',
      'container:shop-web-1  create  not found  after network:default#create',
      'container:shop-web-1  start   created  after container:shop-web-1#create, container:shop-db-1#start',
    ]));
  });

  it('does nothing when everything is up to date and running', () => {
    const p = project('shop', { web: service({ depends: ['db'] }), db: service() });
    const s = snapshot(p, [runningContainer(p, 'web', 1), runningContainer(p, 'db', 1)]);
    const plan = planUp(p, s, up());
    assert.equal(formatPlan(plan), 'nothing to do');
    assert.deepEqual(plan.warnings, []);
  });

  it('recreates only the service whose environment changed, and says which key', () => {
    const before = project('shop', { web: service({ environment: { A: '1' } }), db: service() });
    const after = project('shop', { web: service({ environment: { A: '2' } }), db: service() });
    const s = snapshot(before, [runningContainer(before, 'web', 1, { id: 'a'.repeat(64) }), runningContainer(before, 'db', 1)]);
    assert.equal(formatPlan(planUp(after, s, up())), text([
      'container:shop-web-1  create  changed: environment',
      `container:shop-web-1  stop    replaced  after container:shop-web-1#create`,
      `container:shop-web-1  remove  replaced  after container:shop-web-1#create, container:shop-web-1#stop`,
      `container:shop-web-1  rename  replaced  after container:shop-web-1#remove`,
      `container:shop-web-1  start   recreated  after container:shop-web-1#rename`,
    ]));
    const create = planUp(after, s, up()).nodes[0];
    assert.equal(create?.operation.type === 'create-container' && create.operation.spec.name, `${'a'.repeat(12)}_shop-web-1`);
  });

  it('names every changed key, sorted', () => {
    const before = project('p', { web: service({ environment: { A: '1' }, user: 'root' }) });
    const after = project('p', { web: service({ environment: { A: '2' }, user: 'nobody', labels: { x: 'y' } }) });
    const s = snapshot(before, [runningContainer(before, 'web', 1)]);
    assert.equal(planUp(after, s, up()).nodes[0]?.cause, 'changed: environment, labels, user');
  });

  it('recreates once, saying so, a container made by another tool', () => {
    const p = project('p', { web: service() });
    const c = runningContainer(p, 'web', 1, { labels: { 'io.tscompose.key-digests': '', 'com.docker.compose.config-hash': 'go-hash' } });
    const foreign = { ...c, keyDigests: undefined };
    assert.equal(planUp(p, snapshot(p, [foreign]), up()).nodes[0]?.cause, 'config hash differs (container made by another tool)');
  });

  it('does not recreate for keys left out of the hash (depends_on, scale, build)', () => {
    const before = project('p', { web: service(), db: service() });
    const after = project('p', { web: service({ depends: ['db'], scale: 1 }), db: service() });
    const s = snapshot(before, [runningContainer(before, 'web', 1), runningContainer(before, 'db', 1)]);
    assert.equal(formatPlan(planUp(after, s, up())), 'nothing to do');
  });

  it('starts a stopped container instead of recreating it', () => {
    const p = project('p', { job: service() });
    const s = snapshot(p, [runningContainer(p, 'job', 1, { state: 'exited' })]);
    assert.equal(formatPlan(planUp(p, s, up())), 'container:p-job-1  start   exited');
  });

  it('replaces a stopped container the engine refused to start for a stale task, and starts only the new one', () => {
    const p = project('p', { job: service() });
    const s = snapshot(p, [runningContainer(p, 'job', 1, { state: 'exited', id: 'b'.repeat(64) })]);
    const plan = planUp(p, s, up({ unstartable: new Set(['b'.repeat(64)]) }));
    assert.equal(plan.nodes[0]?.operation.type, 'create-container');
    assert.equal(plan.nodes[0]?.cause, 'the engine cannot start it: a task of it outlived an engine restart (moby/moby#50040)');
    assert.ok(plan.nodes.some((n) => n.operation.type === 'remove-container' && n.operation.container === 'b'.repeat(64)));
    const starts = plan.nodes.filter((n) => n.operation.type === 'start-container');
    assert.deepEqual(starts.map((n) => n.operation.type === 'start-container' && n.operation.container), ['p-job-1']);
    assert.equal(formatPlan(planUp(p, s, up({ unstartable: new Set(['b'.repeat(64)]), noRecreate: true }))), 'container:p-job-1  start   exited');
  });

  it('--force-recreate recreates named services only; --always-recreate-deps their dependencies too', () => {
    const p = project('p', { web: service({ depends: ['db'] }), db: service() });
    const s = snapshot(p, [runningContainer(p, 'web', 1), runningContainer(p, 'db', 1)]);
    const forced = planUp(p, s, up({ services: ['web'], forceRecreate: true }));
    assert.deepEqual([...new Set(forced.nodes.map((n) => n.resource))], ['container:p-web-1']);
    const all = planUp(p, s, up({ services: ['web'], forceRecreate: true, alwaysRecreateDeps: true }));
    assert.deepEqual([...new Set(all.nodes.map((n) => n.resource))], ['container:p-db-1', 'container:p-web-1']);
  });

  it('--no-recreate leaves a changed container alone', () => {
    const before = project('p', { web: service({ environment: { A: '1' } }) });
    const after = project('p', { web: service({ environment: { A: '2' } }) });
    assert.equal(formatPlan(planUp(after, snapshot(before, [runningContainer(before, 'web', 1)]), up({ noRecreate: true }))), 'nothing to do');
  });

  it('scales up with the next numbers and down from the highest', () => {
    const p = project('p', { web: service() });
    const s = snapshot(p, [runningContainer(p, 'web', 1), runningContainer(p, 'web', 3)]);
    assert.equal(formatPlan(planUp(p, s, up({ scale: { web: 3 } }))), text([
      'container:p-web-4  create  not found',
      'container:p-web-4  start   created  after container:p-web-4#create',
    ]));
    assert.equal(formatPlan(planUp(p, s, up({ scale: { web: 1 } }))), text([
      'container:p-web-3  stop    scale down to 1',
      'container:p-web-3  remove  scale down to 1  after container:p-web-3#stop',
    ]));
  });

  it('with up SERVICE, acts on that service and its dependencies only; --no-deps on the service alone', () => {
    const p = project('p', { web: service({ depends: ['db'] }), db: service(), other: service() });
    const s = snapshot(p, []);
    const resources = (o: Partial<UpPlanOptions>) => [...new Set(planUp(p, s, up(o)).nodes.map((n) => n.resource))];
    assert.deepEqual(resources({ services: ['web'] }), ['container:p-db-1', 'container:p-web-1']);
    assert.deepEqual(resources({ services: ['web'], noDeps: true }), ['container:p-web-1']);
  });

  it('an unknown service on the command line is a usage error naming the known ones', () => {
    const p = project('p', { web: service() });
    assert.throws(() => planUp(p, snapshot(p, []), up({ services: ['wbe'] })),
      (e: unknown) => e instanceof UsageError && /no such service: wbe/.test(e.message) && /web/.test(e.hint ?? ''));
  });

  it('warns about orphans, and removes them with --remove-orphans', () => {
    const old = project('p', { web: service(), gone: service() });
    const now = project('p', { web: service() });
    const s = snapshot(old, [runningContainer(old, 'web', 1), runningContainer(old, 'gone', 1)]);
    const warned = planUp(now, s, up());
    assert.equal(warned.nodes.length, 0);
    assert.match(warned.warnings[0] ?? '', /orphan containers \(p-gone-1\)/);
    assert.equal(formatPlan(planUp(now, s, up({ removeOrphans: true }))), text([
      'container:p-gone-1  stop    orphan',
      'container:p-gone-1  remove  orphan  after container:p-gone-1#stop',
    ]));
  });

  it('creates named volumes with labels, and reuses one that exists without them, with a warning', () => {
    const p = project('p', { db: service({ volumes: [{ type: 'volume', source: 'data', target: '/data' }] }) }, {
      volumes: { data: { name: 'p_data' } },
    });
    const plan = planUp(p, snapshot(p, []), up());
    const create = plan.nodes.find((n) => n.id === 'volume:data#create');
    assert.deepEqual(create?.operation.type === 'create-volume' && create.operation.spec.labels, {
      'com.docker.compose.project': 'p',
      'com.docker.compose.volume': 'data',
      'com.docker.compose.version': '2.40.0',
    });
    const reused = planUp(p, snapshot(p, [], { volumes: [{ name: 'p_data', driver: 'local', labels: {} }] }), up());
    assert.equal(reused.nodes.some((n) => n.resource === 'volume:data'), false);
    assert.match(reused.warnings[0] ?? '', /volume named p_data exists but was not created by this project/);
  });

  it('an external network that does not exist is a clear error before anything is done', () => {
    const p = project('p', { web: service({ networks: { shared: null } }) }, {
      networks: { shared: { name: 'shared', external: true } },
    });
    assert.throws(() => planUp(p, snapshot(p, []), up()),
      (e: unknown) => e instanceof ConfigError && /external network "shared" not found/.test(e.message));
  });

  it('pulls a missing image once, before the containers that need it', () => {
    const p = project('p', { a: service({ image: 'x/y' }), b: service({ image: 'x/y:latest' }) });
    const plan = planUp(p, snapshot(p, []), up());
    assert.deepEqual(plan.nodes.filter((n) => n.operation.type === 'pull-image').map((n) => n.id), ['image:x/y#pull']);
  });

  it('a dependency cycle fails before any step is planned', () => {
    const p = project('p', { a: service({ depends: ['b'] }), b: service({ depends: ['a'] }) });
    assert.throws(() => planUp(p, snapshot(p, []), up()), DependencyCycleError);
  });

  it('serialises only the starts that pick a host port from a published range', () => {
    const p = project('p', {
      fixed: service({ ports: [{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }] }),
      ephemeral: service({ ports: [{ target: 80, protocol: 'tcp', mode: 'ingress' }] }),
      ranged: service({ ports: [{ target: 80, published: '8000-8010', protocol: 'tcp', mode: 'ingress' }] }),
    });
    const starts = planUp(p, snapshot(p, []), up()).nodes.filter((n) => n.operation.type === 'start-container');
    assert.deepEqual(starts.map((n) => [n.resource, n.operation.type === 'start-container' && n.operation.allocatesPorts]), [
      ['container:p-ephemeral-1', false],
      ['container:p-fixed-1', false],
      ['container:p-ranged-1', true],
    ]);
  });

  it('carries anonymous volumes over to the replacement, unless -V', () => {
    const before = project('p', { db: service({ volumes: [{ type: 'volume', target: '/var/lib/data' }], environment: { A: '1' } }) });
    const after = project('p', { db: service({ volumes: [{ type: 'volume', target: '/var/lib/data' }], environment: { A: '2' } }) });
    const c = runningContainer(before, 'db', 1);
    const withMount = { ...c, summary: { ...c.summary, mounts: [{ type: 'volume', name: 'anon123', source: '/x', destination: '/var/lib/data' }] } };
    const mountsOf = (o: Partial<UpPlanOptions>) => {
      const create = planUp(after, snapshot(before, [withMount]), up(o)).nodes[0];
      return create?.operation.type === 'create-container' ? (create.operation.spec.body['HostConfig'] as { Mounts: unknown[] }).Mounts : [];
    };
    assert.deepEqual(mountsOf({}), [{ Type: 'volume', Target: '/var/lib/data', Source: 'anon123' }]);
    assert.deepEqual(mountsOf({ renewAnonVolumes: true }), [{ Type: 'volume', Target: '/var/lib/data' }]);
  });
});

describe('planDown', () => {
  it('stops dependents first, removes containers, then the network; volumes only with -v', () => {
    const p = project('p', { web: service({ depends: ['db'] }), db: service() }, { volumes: { data: { name: 'p_data' } } });
    const s = snapshot(p, [runningContainer(p, 'web', 1), runningContainer(p, 'db', 1)], {
      volumes: [{ name: 'p_data', driver: 'local', labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.volume': 'data' } }],
    });
    const options = { removeVolumes: false, removeOrphans: false, timeout: undefined, removeImages: 'none' as const };
    assert.equal(formatPlan(planDown(p, s, options)), text([
      'container:p-web-1  stop    down',
      'container:p-web-1  remove  down  after container:p-web-1#stop',
      'container:p-db-1   stop    down  after container:p-web-1#stop',
      'container:p-db-1   remove  down  after container:p-db-1#stop',
      'network:default    remove  down  after container:p-web-1#remove, container:p-db-1#remove',
    ]));
    const withVolumes = planDown(p, s, { ...options, removeVolumes: true });
    assert.equal(withVolumes.nodes.at(-1)?.id, 'volume:data#remove');
    assert.deepEqual(withVolumes.nodes.at(-1)?.dependsOn, ['container:p-web-1#remove', 'container:p-db-1#remove']);
  });

  it('without a compose file, works from labels (depends_on label gives the order)', () => {
    const p = project('p', { web: service({ depends: ['db'] }), db: service() });
    const s = snapshot(p, [runningContainer(p, 'db', 1), runningContainer(p, 'web', 1)]);
    const plan = planDown(undefined, s, { removeVolumes: false, removeOrphans: false, timeout: 3, removeImages: 'none' });
    assert.deepEqual(plan.nodes.filter((n) => n.operation.type === 'stop-container').map((n) => n.resource),
      ['container:p-web-1', 'container:p-db-1']);
  });

  it('down SERVICE: only that service\'s containers; a network another container still uses stays', () => {
    const p = project('p', { web: service({ depends: ['db'] }), db: service() });
    const s = snapshot(p, [runningContainer(p, 'web', 1), runningContainer(p, 'db', 1)]);
    const options = { removeVolumes: false, removeOrphans: false, timeout: undefined, removeImages: 'none' as const };
    const plan = planDown(p, s, { ...options, services: ['web'] });
    assert.equal(formatPlan(plan), text([
      'container:p-web-1  stop    down',
      'container:p-web-1  remove  down  after container:p-web-1#stop',
    ]));
    assert.deepEqual(plan.warnings, ['network p_default is still in use: kept']);
    assert.throws(() => planDown(p, s, { ...options, services: ['nosuch'] }), (e) => e instanceof UsageError && /no such service: nosuch/.test(e.message));
    // From labels alone, a name with no container is not an error: there is nothing to take off.
    assert.equal(formatPlan(planDown(undefined, s, { ...options, services: ['gone'] })), 'nothing to do');
  });

  it('never lists a network or volume of another project', () => {
    const p = project('p', { web: service() });
    const s = snapshot(p, [], {
      networks: [{ id: 'x', name: 'other_default', driver: 'bridge', labels: { 'com.docker.compose.project': 'other', 'com.docker.compose.network': 'default' } },
        { id: 'y', name: 'p_default', driver: 'bridge', labels: {} }],
      volumes: [{ name: 'p_data', driver: 'local', labels: {} }],
    });
    assert.equal(formatPlan(planDown(p, s, { removeVolumes: true, removeOrphans: true, timeout: undefined, removeImages: 'none' })), 'nothing to do');
  });
});
