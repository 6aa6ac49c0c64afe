import assert from 'node:assert/strict';
import { UsageError } from '../../../src/errors.js';
import { assertEnabledServices, noSuchService } from '../../../src/reconcile/known-services.js';
import { planUp, defaultUpPlanOptions } from '../../../src/reconcile/plan.js';
import { formatPlan } from '../../../src/reconcile/plan-text.js';
import { project, service, snapshot } from '../../helpers/project-fixture.js';

/** Issue 17: a name the user chose is looked up as an own property, outside the loader too. */
describe('user-chosen names outside the loader', () => {
  it('"toString" or "constructor" is not a service because Object.prototype has it', () => {
    const p = project('p', { web: service() });
    for (const name of ['toString', 'constructor', 'hasOwnProperty']) {
      assert.throws(() => assertEnabledServices(p, [name]), (e: unknown) => e instanceof UsageError && /no such service/.test(e.message), name);
      assert.match(noSuchService(p, name).hint ?? '', /known services: web/);
    }
  });

  it('a service named "constructor" gets its replicas from the file, not from Object', () => {
    const p = project('p', { constructor: service() });
    const text = formatPlan(planUp(p, snapshot(p, []), { ...defaultUpPlanOptions, scale: {} }));
    assert.match(text, /p-constructor-1/);
  });
});
