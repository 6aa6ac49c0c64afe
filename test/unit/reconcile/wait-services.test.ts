import assert from 'node:assert/strict';
import type { ContainerDetails } from '../../../src/engine/engine.js';
import { judgeReadiness, servicesThatMustComplete } from '../../../src/reconcile/wait-services.js';
import { project, service } from '../../helpers/project-fixture.js';

const container = (over: Partial<ContainerDetails>): ContainerDetails => ({
  id: 'x', name: 'p-x-1', state: 'running', running: true, exitCode: 0, startedAt: '', finishedAt: '', health: 'none', healthLog: [],
  restartCount: 0, labels: {}, image: '', tty: false, mounts: [], networks: {}, ports: {}, ...over,
});

describe('judgeReadiness (--wait)', () => {
  const cases: [Partial<ContainerDetails>, string][] = [
    [{}, 'ready running'],
    [{ health: 'healthy' }, 'ready healthy'],
    [{ health: 'starting' }, 'waiting'],
    [{ health: 'unhealthy' }, 'failed unhealthy'],
    [{ state: 'exited', running: false, exitCode: 0 }, 'ready completed'],
    [{ state: 'exited', running: false, exitCode: 2 }, 'failed exited with code 2'],
    [{ state: 'restarting', running: false }, 'waiting'],
    [{ state: 'created', running: false }, 'waiting'],
    [{ state: 'paused' }, 'failed paused'],
  ];
  for (const [over, expected] of cases) {
    it(`${JSON.stringify(over)} -> ${expected}`, () => {
      const v = judgeReadiness(container(over));
      assert.equal([v.kind, v.kind === 'ready' ? v.how : v.kind === 'failed' ? v.reason : ''].join(' ').trim(), expected);
    });
  }
});

describe('judgeReadiness for a job others wait on with service_completed_successfully', () => {
  const verdict = (over: Partial<ContainerDetails>): string => {
    const v = judgeReadiness(container(over), true);
    return [v.kind, v.kind === 'ready' ? v.how : v.kind === 'failed' ? v.reason : ''].join(' ').trim();
  };
  it('is not ready while it runs', () => assert.equal(verdict({}), 'waiting'));
  it('is ready once it exited 0', () => assert.equal(verdict({ state: 'exited', running: false, exitCode: 0 }), 'ready completed'));
  it('fails when it exits non-zero', () => assert.equal(verdict({ state: 'exited', running: false, exitCode: 3 }), 'failed exited with code 3'));
});

describe('servicesThatMustComplete', () => {
  it('lists the services some other service waits on with service_completed_successfully', () => {
    const p = project('p', {
      migrate: service(),
      db: service(),
      api: service({ depends_on: {
        migrate: { condition: 'service_completed_successfully', required: true, restart: false },
        db: { condition: 'service_healthy', required: true, restart: false },
      } }),
    });
    assert.deepEqual([...servicesThatMustComplete(p)], ['migrate']);
  });
});
