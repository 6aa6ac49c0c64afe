import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { defaultUpPlanOptions, planInfrastructure, planUp, type UpPlanOptions } from '../../../src/reconcile/plan.js';
import { networkConfigHash } from '../../../src/reconcile/plan-up-networks.js';
import { formatPlan } from '../../../src/reconcile/plan-text.js';
import { project, runningContainer, service, snapshot } from '../../helpers/project-fixture.js';

const up = (options: Partial<UpPlanOptions> = {}): UpPlanOptions => ({ ...defaultUpPlanOptions, ...options });
const text = (lines: string[]): string => lines.join('\n');
const restartDep = { condition: 'service_started', required: true, restart: true } as const;

describe('planUp: the rules around a recreate', () => {
  it('stops dependents with restart: true before a dependency is replaced, and starts them after it', () => {
    const before = project('p', { db: service({ environment: { V: '1' } }), web: service({ depends_on: { db: restartDep } }) });
    const after = project('p', { db: service({ environment: { V: '2' } }), web: service({ depends_on: { db: restartDep } }) });
    const s = snapshot(before, [runningContainer(before, 'db', 1), runningContainer(before, 'web', 1)]);
    assert.equal(formatPlan(planUp(after, s, up())), text([
      'container:p-web-1  stop    dependency db is recreated (restart: true)',
      'container:p-db-1   create  changed: environment',
      'container:p-db-1   stop    replaced  after container:p-db-1#create, container:p-web-1#stop',
      'container:p-db-1   remove  replaced  after container:p-db-1#create, container:p-db-1#stop',
      'container:p-db-1   rename  replaced  after container:p-db-1#remove',
      'container:p-db-1   start   recreated  after container:p-db-1#rename',
      'container:p-web-1  start   restart after db was recreated  after container:p-web-1#stop, container:p-db-1#start',
    ]));
  });

  it('leaves dependents without restart: true running', () => {
    const before = project('p', { db: service({ environment: { V: '1' } }), web: service({ depends: ['db'] }) });
    const after = project('p', { db: service({ environment: { V: '2' } }), web: service({ depends: ['db'] }) });
    const s = snapshot(before, [runningContainer(before, 'db', 1), runningContainer(before, 'web', 1)]);
    assert.deepEqual([...new Set(planUp(after, s, up()).nodes.map((n) => n.resource))], ['container:p-db-1']);
  });

  it('recreates a service sharing the network namespace of a recreated one', () => {
    const side = service({ network_mode: 'service:app', networks: undefined, depends: ['app'] });
    const before = project('p', { app: service({ environment: { V: '1' } }), side });
    const after = project('p', { app: service({ environment: { V: '2' } }), side });
    const s = snapshot(before, [runningContainer(before, 'app', 1), runningContainer(before, 'side', 1, { networks: [] })]);
    const plan = planUp(after, s, up());
    const create = plan.nodes.find((n) => n.id === 'container:p-side-1#create');
    assert.equal(create?.cause, 'network_mode shares with recreated service app');
  });

  it('recreates a service using volumes_from a recreated one', () => {
    const reader = service({ volumes_from: ['store'], depends: ['store'] });
    const before = project('p', { store: service({ user: 'a' }), reader });
    const after = project('p', { store: service({ user: 'b' }), reader });
    const s = snapshot(before, [runningContainer(before, 'store', 1), runningContainer(before, 'reader', 1)]);
    assert.equal(planUp(after, s, up()).nodes.find((n) => n.id === 'container:p-reader-1#create')?.cause,
      'volumes_from shares with recreated service store');
  });

  it('unpauses a paused, up-to-date container', () => {
    const p = project('p', { web: service() });
    const s = snapshot(p, [runningContainer(p, 'web', 1, { state: 'paused' })]);
    assert.equal(formatPlan(planUp(p, s, up())), 'container:p-web-1  unpause paused');
  });

  it('a volume that exists with another driver is a clear error', () => {
    const p = project('p', { db: service({ volumes: [{ type: 'volume', source: 'data', target: '/data' }] }) },
      { volumes: { data: { name: 'p_data', driver: 'custom' } } });
    const s = snapshot(p, [], { volumes: [{ name: 'p_data', driver: 'local', labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.volume': 'data' } }] });
    assert.throws(() => planUp(p, s, up()), (e: unknown) =>
      e instanceof ConfigError && e.message === 'volume "p_data" already exists with driver "local", but the file asks for driver "custom"' &&
      /docker volume rm p_data/.test(e.hint ?? ''));
  });

  it('recreates a network whose definition changed: stop, disconnect, remove, create, reconnect, start', () => {
    const p = project('p', { web: service() }, { networks: { default: { name: 'p_default', internal: true } } });
    const labels = { 'com.docker.compose.project': 'p', 'com.docker.compose.network': 'default', 'com.docker.compose.config-hash': 'old' };
    const s = snapshot(p, [runningContainer(p, 'web', 1)], { networks: [{ id: 'n1', name: 'p_default', driver: 'bridge', labels }] });
    assert.equal(formatPlan(planUp(p, s, up())), text([
      'container:p-web-1  stop    network default is recreated',
      'container:p-web-1  disconnect network default is recreated  after container:p-web-1#stop',
      'network:default    remove  definition changed  after container:p-web-1#disconnect',
      'network:default    create  recreated  after network:default#remove',
      'container:p-web-1  connect network default was recreated  after network:default#create',
      'container:p-web-1  start   restart after network default was recreated  after container:p-web-1#disconnect, container:p-web-1#connect',
    ]));
    const same = { ...labels, 'com.docker.compose.config-hash': networkConfigHash(p.networks['default'] as never) };
    const unchanged = snapshot(p, [runningContainer(p, 'web', 1)], { networks: [{ id: 'n1', name: 'p_default', driver: 'bridge', labels: same }] });
    assert.equal(formatPlan(planUp(p, unchanged, up())), 'nothing to do');
  });

  it('only warns about a changed network that containers outside this run use', () => {
    const p = project('p', { web: service(), api: service() }, { networks: { default: { name: 'p_default', internal: true } } });
    const labels = { 'com.docker.compose.project': 'p', 'com.docker.compose.network': 'default', 'com.docker.compose.config-hash': 'old' };
    const s = snapshot(p, [runningContainer(p, 'web', 1), runningContainer(p, 'api', 1)], { networks: [{ id: 'n1', name: 'p_default', driver: 'bridge', labels }] });
    const plan = planUp(p, s, up({ services: ['web'] }));
    assert.equal(formatPlan(plan), 'nothing to do');
    assert.match(plan.warnings[0] ?? '', /^network p_default was created from a different definition, but p-api-1 \(not part of this run\) use it/);
  });

  it('copies environment and content secrets and configs in before the start', () => {
    const p = project('p', { app: service({ secrets: [{ source: 'tok' }], configs: [{ source: 'conf', target: '/etc/app.conf', mode: 0o400 }] }) }, {
      environment: { TOKEN: 's3cret' },
      secrets: { tok: { name: 'p_tok', environment: 'TOKEN' } },
      configs: { conf: { name: 'p_conf', content: 'x=1' } },
    });
    const plan = planUp(p, snapshot(p, []), up());
    assert.equal(formatPlan(plan), text([
      'container:p-app-1  create  not found  after network:default#create'.replace('  after network:default#create', ''),
      'container:p-app-1  copy    2 secret/config files  after container:p-app-1#create',
      'container:p-app-1  start   created  after container:p-app-1#copy',
    ]));
    const copy = plan.nodes[1]?.operation;
    assert.deepEqual(copy?.type === 'copy-files' ? copy.files : undefined, [
      { path: '/run/secrets/tok', content: 's3cret', mode: 0o444, uid: 0, gid: 0 },
      { path: '/etc/app.conf', content: 'x=1', mode: 0o400, uid: 0, gid: 0 },
    ]);
  });

  it('runs post_start hooks after the start, and pre_stop hooks before a replaced container stops', () => {
    const hooks = { post_start: [{ command: ['touch', '/ready'] }], pre_stop: [{ command: ['sh', '-c', 'echo bye'], user: 'root' }] };
    const before = project('p', { app: service({ ...hooks, user: 'a' }) });
    const after = project('p', { app: service({ ...hooks, user: 'b' }) });
    const s = snapshot(before, [runningContainer(before, 'app', 1)]);
    assert.equal(formatPlan(planUp(after, s, up())), text([
      'container:p-app-1  create  changed: user',
      'container:p-app-1  hook    pre_stop hook 1  after container:p-app-1#create',
      'container:p-app-1  stop    replaced  after container:p-app-1#create, container:p-app-1#hook',
      'container:p-app-1  remove  replaced  after container:p-app-1#create, container:p-app-1#stop',
      'container:p-app-1  rename  replaced  after container:p-app-1#remove',
      'container:p-app-1  start   recreated  after container:p-app-1#rename',
      'container:p-app-1  hook-2  post_start hook 1  after container:p-app-1#start',
    ]));
  });
});

describe('planUp: what an interrupted run left behind', () => {
  const before = project('p', { web: service({ user: 'a' }) });
  const after = project('p', { web: service({ user: 'b' }) });
  const old = runningContainer(before, 'web', 1, { id: 'a'.repeat(64) });
  const temporary = (p: typeof after, state: 'created' | 'running' = 'created') => ({
    ...runningContainer(p, 'web', 1, { id: 'b'.repeat(64), state, labels: { 'com.docker.compose.replace': 'p-web-1' } }),
    name: `${'a'.repeat(12)}_p-web-1`,
  });

  it('a recreate killed before the old container went: keeps the up-to-date replacement, removes the old one, renames', () => {
    assert.equal(formatPlan(planUp(after, snapshot(after, [old, temporary(after)]), up())), text([
      'container:p-web-1  stop    left by an interrupted run: a second container for replica 1',
      'container:p-web-1  remove  left by an interrupted run: a second container for replica 1  after container:p-web-1#stop',
      'container:p-web-1  rename  left by an interrupted run: the replacement gets its name back  after container:p-web-1#remove',
      'container:p-web-1  start   created, never started  after container:p-web-1#rename',
    ]));
  });

  it('a --force-recreate killed before the old container went: both are up to date, the one under its final name stays', () => {
    const current = runningContainer(after, 'web', 1, { id: 'a'.repeat(64) });
    // Listed first, as the engine lists the newest first: the order must not decide.
    assert.equal(formatPlan(planUp(after, snapshot(after, [temporary(after), current]), up())), text([
      'container:aaaaaaaaaaaa_p-web-1  remove  left by an interrupted run: a second container for replica 1',
    ]));
  });

  it('two replicas, each left twice by a --force-recreate: one container per number stays, under its final name', () => {
    const p = project('p', { web: service({ deploy: { replicas: 2 } }) });
    const final = [1, 2].map((n) => runningContainer(p, 'web', n, { id: String(n).repeat(64) }));
    const temps = final.map((c, i) => ({
      ...runningContainer(p, 'web', i + 1, { id: String(i + 7).repeat(64), state: 'created' }), name: `${c.id.slice(0, 12)}_${c.name}`,
    }));
    assert.equal(formatPlan(planUp(p, snapshot(p, [...temps, ...final]), up())), text([
      'container:222222222222_p-web-2  remove  left by an interrupted run: a second container for replica 2',
      'container:111111111111_p-web-1  remove  left by an interrupted run: a second container for replica 1',
    ]));
  });

  it('a recreate killed after the old container went: the replacement gets its name back and starts', () => {
    assert.equal(formatPlan(planUp(after, snapshot(after, [temporary(after)]), up())), text([
      'container:p-web-1  rename  left by an interrupted run: the replacement gets its name back',
      'container:p-web-1  start   created, never started  after container:p-web-1#rename',
    ]));
  });

  it('a container killed between create and start gets its secret and config files before it starts', () => {
    const p = project('p', { app: service({ configs: [{ source: 'conf', target: '/etc/app.conf' }] }) }, {
      configs: { conf: { name: 'p_conf', content: 'x=1' } },
    });
    const plan = planUp(p, snapshot(p, [runningContainer(p, 'app', 1, { state: 'created' })]), up());
    assert.equal(formatPlan(plan), text([
      'container:p-app-1  copy    1 secret/config file (created, never started)',
      'container:p-app-1  start   created, never started  after container:p-app-1#copy',
    ]));
  });

  it('a container killed before it joined its second network is recreated, not started without it', () => {
    const p = project('p', { app: service({ networks: { default: null, back: null } }) }, {
      networks: { default: { name: 'p_default' }, back: { name: 'p_back' } },
    });
    const back = { id: 'n2', name: 'p_back', driver: 'bridge', labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.network': 'back' } };
    const s = snapshot(p, [runningContainer(p, 'app', 1, { state: 'created' })]);
    const plan = planUp(p, { ...s, networks: [...s.networks, back] }, up());
    assert.match(formatPlan(plan), /create +not attached to network p_back \(left by an interrupted run\)/);
  });

  it('two networks of one name (two runs created it at once): the one with the lowest ID stays', () => {
    const p = project('p', { app: service() });
    const labels = { 'com.docker.compose.project': 'p', 'com.docker.compose.network': 'default' };
    const s = snapshot(p, [runningContainer(p, 'app', 1, { state: 'created' })], {
      networks: [{ id: 'n2', name: 'p_default', driver: 'bridge', labels }, { id: 'n1', name: 'p_default', driver: 'bridge', labels }],
    });
    const plan = planUp(p, s, up());
    assert.equal(formatPlan(plan), text([
      'network:default    remove  a second network of this name, made by a concurrent run',
      'container:p-app-1  start   created, never started  after network:default#remove',
    ]));
    const remove = plan.nodes[0]?.operation;
    assert.equal(remove?.type === 'remove-network' ? remove.id : undefined, 'n2');
  });

  it('a container that joined the copy that goes is stopped and disconnected from it first, then joins the copy that stays', () => {
    const p = project('p', { db: service(), app: service() });
    const labels = { 'com.docker.compose.project': 'p', 'com.docker.compose.network': 'default' };
    const s = snapshot(p, [runningContainer(p, 'db', 1, { networkIds: { p_default: 'n2' } }), runningContainer(p, 'app', 1, { state: 'created' })], {
      networks: [{ id: 'n2', name: 'p_default', driver: 'bridge', labels }, { id: 'n1', name: 'p_default', driver: 'bridge', labels }],
    });
    const plan = planUp(p, s, up());
    assert.equal(formatPlan(plan), text([
      'container:p-db-1   stop    network default exists twice: leaving the copy made by a concurrent run',
      'container:p-db-1   disconnect network default exists twice: leaving the copy made by a concurrent run  after container:p-db-1#stop',
      'network:default    remove  a second network of this name, made by a concurrent run  after container:p-db-1#disconnect',
      'container:p-app-1  start   created, never started  after network:default#remove',
      'container:p-db-1   connect network default: joins the copy that stays  after network:default#remove',
      'container:p-db-1   start   restart after network default was recreated  after container:p-db-1#disconnect, container:p-db-1#connect',
    ]));
    const disconnect = plan.nodes.find((n) => n.operation.type === 'disconnect-network')?.operation;
    assert.equal(disconnect?.type === 'disconnect-network' ? disconnect.network : undefined, 'n2', 'by ID: the name is ambiguous');
  });

  it('the copy\'s own endpoints count too (a container whose list entry does not name the copy yet); an unknown one keeps the copy', () => {
    const p = project('p', { db: service() });
    const labels = { 'com.docker.compose.project': 'p', 'com.docker.compose.network': 'default' };
    const db = runningContainer(p, 'db', 1, { state: 'created' });
    const copies = (endpoints: string[]) => [{ id: 'n2', name: 'p_default', driver: 'bridge', labels, endpoints }, { id: 'n1', name: 'p_default', driver: 'bridge', labels, endpoints: [] }];
    const plan = planUp(p, snapshot(p, [db], { networks: copies([db.id]) }), up());
    assert.match(formatPlan(plan), /container:p-db-1 +disconnect .*\nnetwork:default +remove +a second network of this name, made by a concurrent run +after container:p-db-1#disconnect/);
    const foreign = planUp(p, snapshot(p, [db], { networks: copies(['f'.repeat(64)]) }), up());
    assert.ok(foreign.nodes.every((n) => n.operation.type !== 'remove-network'));
    assert.match(foreign.warnings.join('\n'), /exists twice .* ffffffffffff \(not part of this run\)/);
  });
});

describe('planInfrastructure: what a one-off container needs', () => {
  const labels = { 'com.docker.compose.project': 'p', 'com.docker.compose.network': 'default', 'com.docker.compose.config-hash': 'old' };
  const networks = [{ id: 'n1', name: 'p_default', driver: 'bridge', labels }];
  const p = project('p', { web: service(), api: service() }, { networks: { default: { name: 'p_default', internal: true } } });

  it('removes a changed network before creating it again, and plans no container', () => {
    const plan = planInfrastructure(p, snapshot(p, [], { networks }), up({ services: ['web'], noDeps: true, noStart: true }));
    assert.equal(formatPlan(plan), text([
      'network:default  remove  definition changed',
      'network:default  create  recreated  after network:default#remove',
    ]));
  });

  it('keeps a changed network that a service container uses, with a warning', () => {
    const s = snapshot(p, [runningContainer(p, 'web', 1)], { networks });
    const plan = planInfrastructure(p, s, up({ services: ['web'], noDeps: true, noStart: true }));
    assert.equal(formatPlan(plan), 'nothing to do');
    assert.match(plan.warnings[0] ?? '', /^network p_default was created from a different definition, but p-web-1 \(not part of this run\) use it/);
  });
});
