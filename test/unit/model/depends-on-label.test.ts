import assert from 'node:assert/strict';
import { formatDependsOnLabel, parseDependsOnLabel } from '../../../src/model/depends-on-label.js';

describe('the depends_on label', () => {
  it('is written as Compose writes it: name:condition:restart, sorted by name', () => {
    assert.equal(formatDependsOnLabel({
      web: { condition: 'service_healthy', restart: true, required: true },
      db: { condition: 'service_started', restart: false, required: false },
    }), 'db:service_started:false,web:service_healthy:true');
  });

  it('reads back what it wrote; an unknown condition reads as service_started; a fourth field says required', () => {
    const deps = parseDependsOnLabel('db:service_started:false,web:service_healthy:true,job:nonsense:false:false');
    assert.deepEqual({ ...deps }, {
      db: { condition: 'service_started', restart: false, required: true },
      web: { condition: 'service_healthy', restart: true, required: true },
      job: { condition: 'service_started', restart: false, required: false },
    });
    assert.deepEqual(Object.keys(parseDependsOnLabel('')), []);
  });

  it('keeps a service named __proto__ as its own entry', () => {
    const deps = parseDependsOnLabel('__proto__:service_started:false');
    assert.ok(Object.hasOwn(deps, '__proto__'));
  });
});
