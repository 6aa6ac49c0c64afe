import assert from 'node:assert/strict';
import { silentSink } from '../../../src/model/events.js';
import { ApplyError, walkPlan } from '../../../src/reconcile/apply.js';
import { planPull } from '../../../src/reconcile/plan-image-commands.js';
import { planStop } from '../../../src/reconcile/plan-lifecycle.js';
import type { Plan, PlanNode } from '../../../src/reconcile/plan-types.js';
import { project, runningContainer, service, snapshot } from '../../helpers/project-fixture.js';

/** A step runner that does no work but count: the most steps in flight, and the order they finished. */
function countingRunner(fail: ReadonlySet<string> = new Set()) {
  let running = 0;
  const seen = { peak: 0, finished: [] as string[] };
  const run = async (node: PlanNode): Promise<void> => {
    running++;
    seen.peak = Math.max(seen.peak, running);
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    if (fail.has(node.display)) throw new Error('refused');
    seen.finished.push(node.display);
  };
  return { run, seen };
}

const names = ['a', 'b', 'c', 'd', 'e', 'f'];
const images = project('p', Object.fromEntries(names.map((n) => [n, service({ image: `example/${n}:1` })])));
const pulls: Plan = planPull(images, [], snapshot(images, []), { includeDeps: false, ignoreBuildable: false, policy: 'always' });

describe('walkPlan: the bound on steps in flight (--parallel, COMPOSE_PARALLEL_LIMIT)', () => {
  it('without a bound, every independent pull runs at once', async () => {
    const { run, seen } = countingRunner();
    await walkPlan(pulls, run, { sink: silentSink });
    assert.equal(pulls.nodes.length, 6);
    assert.equal(seen.peak, 6);
  });

  for (const limit of [1, 2, 4]) {
    it(`concurrency ${limit}: never more than ${limit} pulls in flight, and all of them run`, async () => {
      const { run, seen } = countingRunner();
      await walkPlan(pulls, run, { sink: silentSink, concurrency: limit });
      assert.equal(seen.peak, limit);
      assert.deepEqual([...seen.finished].sort(), names.map((n) => `example/${n}:1`));
    });
  }

  it('Infinity is no bound', async () => {
    const { run, seen } = countingRunner();
    await walkPlan(pulls, run, { sink: silentSink, concurrency: Infinity });
    assert.equal(seen.peak, 6);
  });

  it('a bound keeps dependency order: stops of dependents before their dependencies', async () => {
    const p = project('q', { db: service(), api: service({ depends: ['db'] }), web: service({ depends: ['api'] }), job: service() });
    const s = snapshot(p, ['db', 'api', 'web', 'job'].map((n) => runningContainer(p, n, 1)));
    const { run, seen } = countingRunner();
    await walkPlan(planStop(p, s, { services: [], timeout: undefined }), run, { sink: silentSink, concurrency: 2 });
    assert.equal(seen.peak, 2);
    const at = (name: string): number => seen.finished.indexOf(`q-${name}-1`);
    assert.ok(at('web') < at('api') && at('api') < at('db'), seen.finished.join(' '));
  });

  it('keeping going past failures (down, --ignore-pull-failures) still holds the bound', async () => {
    const { run, seen } = countingRunner(new Set(['example/b:1', 'example/e:1']));
    await assert.rejects(walkPlan(pulls, run, { sink: silentSink, concurrency: 2, continueOnError: true }),
      (error: unknown) => error instanceof ApplyError && error.failures.map((f) => f.node.display).join(',') === 'example/b:1,example/e:1');
    assert.equal(seen.peak, 2);
    assert.equal(seen.finished.length, 4);
  });
});
