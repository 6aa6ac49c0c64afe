import assert from 'node:assert/strict';
import { isRunning, needsStop } from '../../../src/model/container-state.js';

describe('container states', () => {
  const states = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
  it('running and restarting containers run; paused ones need a stop too; the rest neither', () => {
    assert.deepEqual(states.filter(isRunning), ['running', 'restarting']);
    assert.deepEqual(states.filter(needsStop), ['running', 'paused', 'restarting']);
  });
});
