import assert from 'node:assert/strict';
import { envBool, envInteger } from '../../../src/config/env-bool.js';
import { UsageError } from '../../../src/errors.js';

describe('envBool (COMPOSE_* booleans as Go reads them)', () => {
  for (const on of ['1', 't', 'T', 'TRUE', 'true', 'True']) {
    it(`reads ${on} as true`, () => assert.equal(envBool({ X: on }, 'X'), true));
  }
  for (const off of ['0', 'f', 'F', 'FALSE', 'false', 'False']) {
    it(`reads ${off} as false`, () => assert.equal(envBool({ X: off }, 'X', true), false));
  }
  it('unset or empty is the fallback', () => {
    assert.equal(envBool({}, 'X'), false);
    assert.equal(envBool({ X: '' }, 'X', true), true);
  });
  it('anything else (yes, on) is a usage error naming the variable', () => {
    assert.throws(() => envBool({ X: 'yes' }, 'X'), /invalid boolean X="yes"/);
    assert.throws(() => envBool({ COMPOSE_REMOVE_ORPHANS: 'yes please' }, 'COMPOSE_REMOVE_ORPHANS'),
      (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /COMPOSE_REMOVE_ORPHANS="yes please"/.test(e.message));
  });
  it('reads inherited names as unset', () => assert.equal(envBool({}, 'constructor'), false));
});

describe('envInteger', () => {
  it('reads integers and rejects the rest', () => {
    assert.equal(envInteger({ N: '4' }, 'N'), 4);
    assert.equal(envInteger({}, 'N'), undefined);
    assert.throws(() => envInteger({ COMPOSE_PARALLEL_LIMIT: 'many' }, 'COMPOSE_PARALLEL_LIMIT'), /COMPOSE_PARALLEL_LIMIT must be an integer/);
  });
});
