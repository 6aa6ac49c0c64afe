import assert from 'node:assert/strict';
import type { ContainerSummary } from '../../../src/engine/engine.js';
import { UsageError } from '../../../src/errors.js';
import { Label } from '../../../src/model/labels.js';
import { selectReapTargets } from '../../../src/reconcile/reap.js';

const NOW = 10_000_000_000;
const HOUR = 3_600_000;

function container(project: string, ageMs: number, ours = true): ContainerSummary {
  return {
    id: project, name: `${project}-web-1`, image: 'i', imageId: 'sha', command: '', created: (NOW - ageMs) / 1000, state: 'running', status: 'Up',
    labels: { [Label.project]: project, ...(ours ? { [Label.engine]: 'tscompose' } : {}) },
    ports: [], networks: [], networkIds: {}, mounts: [],
  };
}
const labelled = (project: string) => ({ id: project, name: `${project}_default`, driver: 'local', labels: { [Label.project]: project } });

describe('selectReapTargets', () => {
  const inventory = {
    containers: [container('tsct-old', 2 * HOUR), container('tsct-new', 60_000), container('app', 3 * HOUR), container('tsct-compose', 5 * HOUR, false)],
    networks: [labelled('tsct-old'), labelled('tsct-gone')],
    volumes: [labelled('tsct-old')],
  };

  it('picks projects matching every criterion given, made by tscompose', () => {
    assert.deepEqual(selectReapTargets(inventory, { prefix: 'tsct-', olderThanMs: HOUR, allTools: false }, NOW), [
      { project: 'tsct-old', containers: 1, networks: 1, volumes: 1, reason: 'name starts with tsct-, newest container 2h old' },
    ]);
  });

  it('by age alone, any name', () => {
    assert.deepEqual(selectReapTargets(inventory, { olderThanMs: HOUR, allTools: false }, NOW).map((t) => t.project), ['app', 'tsct-old']);
  });

  it('by prefix alone; projects without containers or made by another tool only with allTools', () => {
    assert.deepEqual(selectReapTargets(inventory, { prefix: 'tsct-', allTools: false }, NOW).map((t) => t.project), ['tsct-new', 'tsct-old']);
    assert.deepEqual(selectReapTargets(inventory, { prefix: 'tsct-', allTools: true }, NOW).map((t) => t.project),
      ['tsct-compose', 'tsct-gone', 'tsct-new', 'tsct-old']);
  });

  it('never ages a project with no containers left', () => {
    assert.deepEqual(selectReapTargets(inventory, { prefix: 'tsct-gone', olderThanMs: 1, allTools: true }, NOW), []);
  });

  it('refuses to run without any criterion', () => {
    assert.throws(() => selectReapTargets(inventory, { allTools: true }, NOW), UsageError);
  });
});
