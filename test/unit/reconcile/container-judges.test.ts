import assert from 'node:assert/strict';
import type { ContainerDetails } from '../../../src/engine/engine.js';
import { judgeCondition, judgeReadiness, judgeStillRunning, judgeStopped, servicesThatMustComplete, type Verdict } from '../../../src/reconcile/container-judges.js';
import { project, service } from '../../helpers/project-fixture.js';

const container = (over: Partial<ContainerDetails>): ContainerDetails => ({
  id: 'x', name: 'p-x-1', state: 'running', running: true, exitCode: 0, startedAt: '', finishedAt: '', health: 'none', healthLog: [],
  restartCount: 0, labels: {}, image: '', tty: false, mounts: [], networks: {}, ports: {}, ...over,
});

describe('judgeReadiness (--wait)', () => {
  const cases: [Partial<ContainerDetails>, string][] = [
    [{}, 'met running'],
    [{ health: 'healthy' }, 'met healthy'],
    [{ health: 'starting' }, 'waiting'],
    [{ health: 'unhealthy' }, 'failed unhealthy'],
    [{ state: 'exited', running: false, exitCode: 0 }, 'met completed'],
    [{ state: 'exited', running: false, exitCode: 2 }, 'failed exited with code 2'],
    [{ state: 'restarting', running: false }, 'waiting'],
    [{ state: 'created', running: false }, 'waiting'],
    [{ state: 'paused' }, 'failed paused'],
  ];
  for (const [over, expected] of cases) {
    it(`${JSON.stringify(over)} -> ${expected}`, () => {
      const v = judgeReadiness(container(over));
      assert.equal([v.kind, v.kind === 'met' ? v.how : v.kind === 'failed' ? v.reason : ''].join(' ').trim(), expected);
    });
  }
});

describe('judgeReadiness for a job others wait on with service_completed_successfully', () => {
  const verdict = (over: Partial<ContainerDetails>): string => {
    const v = judgeReadiness(container(over), true);
    return [v.kind, v.kind === 'met' ? v.how : v.kind === 'failed' ? v.reason : ''].join(' ').trim();
  };
  it('is not ready while it runs', () => assert.equal(verdict({}), 'waiting'));
  it('is ready once it exited 0', () => assert.equal(verdict({ state: 'exited', running: false, exitCode: 0 }), 'met completed'));
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

const text = (v: Verdict): string => [v.kind, v.kind === 'failed' ? v.reason : ''].join(' ').trim();

describe('judgeCondition (depends_on)', () => {
  const cases: [Parameters<typeof judgeCondition>[0], Partial<ContainerDetails>, string][] = [
    ['service_started', { state: 'created', running: false }, 'met'],
    ['service_healthy', { health: 'healthy' }, 'met'],
    ['service_healthy', { health: 'starting' }, 'waiting'],
    ['service_healthy', { health: 'starting', state: 'created', running: false }, 'waiting'],
    ['service_healthy', {}, 'failed p-x-1 has no healthcheck, so it can never become healthy'],
    ['service_healthy', { health: 'unhealthy', healthLog: [{ exitCode: 1, output: 'refused\n' }] },
      'failed p-x-1 is unhealthy; last health check (exit 1): refused'],
    ['service_healthy', { health: 'starting', state: 'exited', running: false, exitCode: 3 }, 'failed p-x-1 exited with code 3 before becoming healthy'],
    ['service_completed_successfully', {}, 'waiting'],
    ['service_completed_successfully', { state: 'exited', running: false, exitCode: 0 }, 'met'],
    ['service_completed_successfully', { state: 'exited', running: false, exitCode: 2 }, 'failed p-x-1 exited with code 2'],
  ];
  for (const [condition, over, expected] of cases) {
    it(`${condition} ${JSON.stringify(over)} -> ${expected}`, () => assert.equal(text(judgeCondition(condition)(container(over))), expected));
  }
});

describe('judgeStopped (the wait command)', () => {
  it('waits while the container runs, is paused or restarts', () => {
    for (const state of ['running', 'paused', 'restarting'] as const) assert.equal(judgeStopped(container({ state })).kind, 'waiting');
  });
  it('is met once it exited, or when it never started', () => {
    for (const state of ['exited', 'dead', 'created'] as const) assert.equal(judgeStopped(container({ state, running: false })).kind, 'met');
  });
});

describe('judgeStillRunning (between readiness probes)', () => {
  it('holds while it runs or restarts', () => {
    assert.equal(judgeStillRunning(container({})).kind, 'met');
    assert.equal(judgeStillRunning(container({ state: 'restarting', running: false })).kind, 'met');
  });
  it('fails with the exit code once it exited', () => {
    assert.equal(text(judgeStillRunning(container({ state: 'exited', running: false, exitCode: 4 }))), 'failed the container exited with code 4');
    assert.equal(text(judgeStillRunning(container({ state: 'created', running: false }))), 'failed the container is created');
  });
});
