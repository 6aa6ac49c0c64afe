import assert from 'node:assert/strict';
import type { ContainerDetails } from '../../../src/engine/engine.js';
import { judgeReadiness } from '../../../src/reconcile/wait-services.js';

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
