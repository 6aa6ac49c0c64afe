import assert from 'node:assert/strict';
import { UsageError } from '../../../src/errors.js';
import { planKill, planPause, planRemove, planRestart, planStart, planStop, restartDependents, serviceDependencies } from '../../../src/reconcile/plan-lifecycle.js';
import { formatPlan } from '../../../src/reconcile/plan-text.js';
import { project, runningContainer, service, snapshot } from '../../helpers/project-fixture.js';

const text = (lines: string[]): string => lines.join('\n');
const healthy = { condition: 'service_healthy', required: true, restart: true } as const;

describe('lifecycle plans', () => {
  const p = project('p', { db: service(), web: service({ depends_on: { db: healthy } }), other: service() });

  it('start: stopped containers in dependency order, waiting on conditions; paused ones are unpaused', () => {
    const s = snapshot(p, [
      runningContainer(p, 'db', 1, { state: 'exited' }),
      runningContainer(p, 'web', 1, { state: 'created' }),
      runningContainer(p, 'other', 1, { state: 'paused' }),
    ]);
    const plan = planStart(p, s, { services: [] });
    assert.equal(formatPlan(plan), text([
      'container:p-db-1     start   exited',
      'container:p-other-1  unpause paused',
      'container:p-web-1    start   created  after container:p-db-1#start',
    ]));
    const web = plan.nodes[2]?.operation;
    assert.deepEqual(web?.type === 'start-container' ? web.awaits : undefined,
      [{ service: 'db', condition: 'service_healthy', required: true, containers: ['p-db-1'] }]);
  });

  it('start SERVICE brings its dependencies along', () => {
    const s = snapshot(p, [runningContainer(p, 'db', 1, { state: 'exited' }), runningContainer(p, 'web', 1, { state: 'exited' }), runningContainer(p, 'other', 1, { state: 'exited' })]);
    assert.deepEqual(planStart(p, s, { services: ['web'] }).nodes.map((n) => n.resource), ['container:p-db-1', 'container:p-web-1']);
  });

  it('stop: dependents first, with -t', () => {
    const s = snapshot(p, [runningContainer(p, 'db', 1), runningContainer(p, 'web', 1), runningContainer(p, 'other', 1, { state: 'exited' })]);
    const plan = planStop(p, s, { services: [], timeout: 3 });
    assert.equal(formatPlan(plan), text([
      'container:p-web-1  stop    stop',
      'container:p-db-1   stop    stop  after container:p-web-1#stop',
    ]));
    assert.equal(plan.nodes[0]?.operation.type === 'stop-container' && plan.nodes[0].operation.timeout, 3);
  });

  it('stop runs pre_stop hooks first', () => {
    const q = project('q', { app: service({ pre_stop: [{ command: ['sh', '-c', 'echo bye'] }] }) });
    assert.equal(formatPlan(planStop(q, snapshot(q, [runningContainer(q, 'app', 1)]), { services: [] })), text([
      'container:q-app-1  hook    pre_stop hook 1',
      'container:q-app-1  stop    stop  after container:q-app-1#hook',
    ]));
  });

  it('restart SERVICE also restarts dependents declaring restart: true, after it; --no-deps does not', () => {
    const s = snapshot(p, [runningContainer(p, 'db', 1), runningContainer(p, 'web', 1), runningContainer(p, 'other', 1)]);
    assert.equal(formatPlan(planRestart(p, s, { services: ['db'], noDeps: false })), text([
      'container:p-db-1   restart restart',
      'container:p-web-1  restart depends on a restarted service (restart: true)  after container:p-db-1#restart',
    ]));
    assert.equal(formatPlan(planRestart(p, s, { services: ['db'], noDeps: true })), 'container:p-db-1   restart restart'.replace('   ', '  '));
  });

  it('restartDependents follows restart: true transitively', () => {
    const deps = { a: {}, b: { a: healthy }, c: { b: healthy }, d: { a: { ...healthy, restart: false } } };
    assert.deepEqual([...restartDependents(deps, ['a'])].sort(), ['a', 'b', 'c']);
  });

  it('kill: running containers only, with the signal', () => {
    const s = snapshot(p, [runningContainer(p, 'db', 1), runningContainer(p, 'web', 1, { state: 'exited' })]);
    assert.equal(formatPlan(planKill(p, s, { services: [], signal: 'SIGTERM', removeOrphans: false })), 'container:p-db-1  kill    kill -s SIGTERM');
  });

  it('kill --remove-orphans removes containers of services no longer in the file', () => {
    const old = project('p', { db: service(), gone: service() });
    const s = snapshot(old, [runningContainer(old, 'db', 1), runningContainer(old, 'gone', 1)]);
    const q = project('p', { db: service() });
    assert.equal(formatPlan(planKill(q, s, { services: [], signal: undefined, removeOrphans: true })), text([
      'container:p-db-1    kill    kill',
      'container:p-gone-1  remove  orphan',
    ]));
  });

  it('rm: stopped containers only; -s stops the running ones first', () => {
    const s = snapshot(p, [runningContainer(p, 'db', 1), runningContainer(p, 'web', 1, { state: 'exited' })]);
    assert.equal(formatPlan(planRemove(p, s, { services: [], stop: false, removeVolumes: false })), 'container:p-web-1  remove  rm');
    assert.equal(formatPlan(planRemove(p, s, { services: [], stop: true, removeVolumes: true })), text([
      'container:p-db-1   stop    stop',
      'container:p-db-1   remove  rm  after container:p-db-1#stop',
      'container:p-web-1  remove  rm',
    ]));
  });

  it('pause and unpause', () => {
    const s = snapshot(p, [runningContainer(p, 'db', 1), runningContainer(p, 'web', 1, { state: 'paused' })]);
    assert.equal(formatPlan(planPause(p, s, { services: [], pause: true })), 'container:p-db-1  pause   pause');
    assert.equal(formatPlan(planPause(p, s, { services: [], pause: false })), 'container:p-web-1  unpause unpause');
  });

  it('works from labels alone: the depends_on label gives conditions and restart flags', () => {
    const s = snapshot(p, [runningContainer(p, 'db', 1), runningContainer(p, 'web', 1)]);
    const deps = serviceDependencies(undefined, s);
    assert.deepEqual(deps['web'], { db: { condition: 'service_healthy', restart: true, required: true } });
    assert.equal(formatPlan(planStop(undefined, s, { services: [] })), text([
      'container:p-web-1  stop    stop',
      'container:p-db-1   stop    stop  after container:p-web-1#stop',
    ]));
  });

  it('an unknown service is a usage error', () => {
    assert.throws(() => planStop(p, snapshot(p, []), { services: ['nope'] }), (e: unknown) => e instanceof UsageError && /no such service: nope/.test(e.message));
  });
});

describe('planDown hooks', () => {
  it('runs pre_stop hooks of running containers before stopping them', async () => {
    const { planDown } = await import('../../../src/reconcile/plan-down.js');
    const q = project('q', { app: service({ pre_stop: [{ command: ['sh', '-c', 'echo bye'] }] }) });
    const plan = planDown(q, snapshot(q, [runningContainer(q, 'app', 1)]), { removeVolumes: false, removeOrphans: false, timeout: undefined, removeImages: 'none' });
    assert.deepEqual(plan.nodes.slice(0, 3).map((n) => `${n.id} ${n.cause} [${n.dependsOn.join(',')}]`), [
      'container:q-app-1#hook pre_stop hook 1 []',
      'container:q-app-1#stop down [container:q-app-1#hook]',
      'container:q-app-1#remove down [container:q-app-1#stop]',
    ]);
  });
});
