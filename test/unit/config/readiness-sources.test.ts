import assert from 'node:assert/strict';
import { combineReadiness } from '../../../src/config/readiness-sources.js';
import { UsageError } from '../../../src/errors.js';

describe('combineReadiness', () => {
  const files = [{ service: 'api', checks: [{ kind: 'port', port: 80 }] as const, timeoutMs: 5000 }];

  it('adds command-line checks to a service\'s own, keeping its timeout', () => {
    assert.deepEqual(combineReadiness(files, [
      { service: 'api', check: { kind: 'log', pattern: 'up', times: 1 } },
      { service: 'db', check: { kind: 'port', port: 5432 } },
    ], ['api', 'db']), [
      { service: 'api', checks: [{ kind: 'port', port: 80 }, { kind: 'log', pattern: 'up', times: 1 }], timeoutMs: 5000 },
      { service: 'db', checks: [{ kind: 'port', port: 5432 }] },
    ]);
  });

  it('keeps the files\' checks when nothing is added', () => {
    assert.deepEqual(combineReadiness(files, [], ['api']), files);
  });

  it('refuses a check for a service the project does not have', () => {
    assert.throws(() => combineReadiness([], [{ service: 'apx', check: { kind: 'port', port: 1 } }], ['api']),
      (e: unknown) => e instanceof UsageError && /unknown service: apx/.test(e.message) && /known services: api/.test(e.hint ?? ''));
  });
});
