import assert from 'node:assert/strict';
import { EngineError, StaleTaskError } from '../../../src/errors.js';
import { ApplyError } from '../../../src/reconcile/apply.js';
import type { PlanOperation } from '../../../src/reconcile/plan-types.js';
import { isConcurrentChange, replanOnRecoverableFailure, staleTaskContainers, type RunLearned } from '../../../src/reconcile/project-run.js';

function failed(operation: PlanOperation, message: string, statusCode?: number): ApplyError {
  const node = { id: 'x#y', resource: 'x', display: 'x', operation, dependsOn: [], cause: '' };
  return new ApplyError([{ node, error: new EngineError(message, statusCode === undefined ? {} : { statusCode }) }]);
}

describe('isConcurrentChange: which failures mean another run changed the project meanwhile', () => {
  const removeNetwork: PlanOperation = { type: 'remove-network', name: 'p_default', id: 'n2' };
  const start: PlanOperation = { type: 'start-container', service: 'app', container: 'c1', awaits: [], allocatesPorts: false };
  const cases: [string, ApplyError | Error, boolean][] = [
    ['a name taken between read and create', failed({ type: 'create-network', name: 'p_default', spec: { name: 'p_default', driver: 'bridge', labels: {} } }, 'already exists', 409), true],
    ['a network name made ambiguous by a second copy', failed(start, 'network p_default is ambiguous (2 matches found on name)', 400), true],
    ['a copy we remove, joined by the other run\'s container', failed(removeNetwork, 'error while removing network: network p_default id n2 has active endpoints', 403), true],
    ['the same, as dockerd 20.10 words it', failed(removeNetwork, 'network p_default is still in use by p-db-1', 403), true],
    ['a start that fails for its own reason', failed(start, 'OCI runtime create failed: exec: "nope": not found', 400), false],
    ['an error that is not an apply failure', new Error('network p_default is ambiguous'), false],
  ];
  for (const [name, error, expected] of cases) {
    it(`${name}: ${expected ? 'read again' : 'fail'}`, () => assert.equal(isConcurrentChange(error), expected));
  }
});

describe('a container the engine can no longer start (a task that outlived an engine restart)', () => {
  const start: PlanOperation = { type: 'start-container', service: 'db', container: 'c1', awaits: [], allocatesPorts: false };
  const node = { id: 'x#y', resource: 'x', display: 'x', operation: start, dependsOn: [], cause: '' };
  const message = 'failed to start shim: mkdir /run/containerd/io.containerd.runtime.v2.task/moby/c1: file exists: unknown';
  const stale = new ApplyError([{ node, error: new StaleTaskError(message, { statusCode: 500 }) }]);

  it('is recognised only when every failure is such a start', () => {
    assert.deepEqual(staleTaskContainers(stale), ['c1']);
    const restart: PlanOperation = { type: 'restart-container', service: 'db', container: 'c2', timeout: undefined, awaits: [] };
    const restarted = new ApplyError([{ node: { ...node, operation: restart }, error: new StaleTaskError(message, { statusCode: 500 }) }]);
    assert.deepEqual(staleTaskContainers(restarted), ['c2']);
    const mixed = new ApplyError([...stale.failures, { node, error: new EngineError('OCI runtime create failed', { statusCode: 400 }) }]);
    assert.equal(staleTaskContainers(mixed), undefined);
    assert.equal(staleTaskContainers(new Error(message)), undefined);
  });

  it('the run plans again knowing the container, says so, and fails if the same container fails again', async () => {
    const warnings: string[] = [];
    const options = { sink: { warn: (w: string) => warnings.push(w) } } as unknown as Parameters<typeof replanOnRecoverableFailure>[0];
    const seen: string[][] = [];
    const result = await replanOnRecoverableFailure(options, 'p', async (learned: RunLearned) => {
      seen.push([...learned.unstartable]);
      if (learned.unstartable.size === 0) throw stale;
      return 'done';
    });
    assert.equal(result, 'done');
    assert.deepEqual(seen, [[], ['c1']]);
    assert.match(warnings.join('\n'), /cannot start c1: .*moby\/moby#50040.*volumes kept/);
    await assert.rejects(replanOnRecoverableFailure(options, 'p', async () => { throw stale; }), ApplyError);
  });
});
