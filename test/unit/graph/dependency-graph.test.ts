import assert from 'node:assert/strict';
import { findCycle, startOrder, stopOrder, withDependencies, withDependents } from '../../../src/graph/dependency-graph.js';
import { DependencyCycleError } from '../../../src/errors.js';
import { walkGraph } from '../../../src/graph/walk.js';

describe('dependency graph', () => {
  it('orders dependencies before dependents, ties by name', () => {
    assert.deepEqual(startOrder({ web: ['db', 'cache'], db: [], cache: [], worker: ['db'] }), ['cache', 'db', 'web', 'worker']);
  });

  it('reverses for stop order', () => {
    assert.deepEqual(stopOrder({ web: ['db'], db: [] }), ['web', 'db']);
  });

  it('ignores dependencies on services it does not know', () => {
    assert.deepEqual(startOrder({ web: ['gone'] }), ['web']);
  });

  it('names a whole cycle, the same way every time', () => {
    const deps = { c: ['a'], a: ['b'], b: ['c'], d: [] };
    assert.deepEqual(findCycle(deps), ['a', 'b', 'c', 'a']);
    assert.throws(() => startOrder(deps), (e: unknown) =>
      e instanceof DependencyCycleError && e.message.includes('a -> b -> c -> a') && e.exitCode === 3);
  });

  it('finds a self-dependency', () => {
    assert.deepEqual(findCycle({ a: ['a'] }), ['a', 'a']);
  });

  it('collects transitive dependencies and dependents', () => {
    const deps = { web: ['api'], api: ['db'], db: [], other: [] };
    assert.deepEqual([...withDependencies(deps, ['web'])].sort(), ['api', 'db', 'web']);
    assert.deepEqual([...withDependents(deps, ['db'])].sort(), ['api', 'db', 'web']);
  });
});

describe('walkGraph', () => {
  it('runs independent nodes at the same time and dependents after', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const graph = new Map<string, string[]>([['a', []], ['b', []], ['c', ['a', 'b']]]);
    await walkGraph(graph, async (id) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10));
      log.push(id);
      running--;
    });
    assert.equal(peak, 2);
    assert.equal(log.at(-1), 'c');
  });

  it('stops new work after the first failure and rethrows it', async () => {
    const visited: string[] = [];
    const graph = new Map<string, string[]>([['a', []], ['b', ['a']]]);
    await assert.rejects(
      walkGraph(graph, async (id) => {
        visited.push(id);
        if (id === 'a') throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(visited, ['a']);
  });

  it('respects a concurrency limit', async () => {
    let running = 0;
    let peak = 0;
    const graph = new Map<string, string[]>(['a', 'b', 'c', 'd'].map((id) => [id, []]));
    await walkGraph(graph, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    }, { concurrency: 2 });
    assert.equal(peak, 2);
  });
});

describe('deep graphs', () => {
  it('orders and searches a 12,000-service chain without overflowing the stack', () => {
    const deps: Record<string, string[]> = {};
    for (let i = 0; i < 12_000; i++) deps[`s${i}`] = i === 0 ? [] : [`s${i - 1}`];
    const order = startOrder(deps);
    assert.equal(order.length, 12_000);
    assert.deepEqual(order.slice(0, 3), ['s0', 's1', 's2']);
    assert.equal(findCycle(deps), undefined);
    deps['s0'] = ['s11999'];
    assert.equal(findCycle(deps)?.length, 12_001);
    assert.equal(withDependencies({ ...deps, s0: [] }, ['s11999']).size, 12_000);
    assert.equal(withDependents({ ...deps, s0: [] }, ['s0']).size, 12_000);
  });
});
