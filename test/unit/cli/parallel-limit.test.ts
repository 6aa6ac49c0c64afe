import assert from 'node:assert/strict';
import { UsageError } from '../../../src/errors.js';
import { parallelLimit } from '../../../src/config/parallel-limit.js';

describe('--parallel and COMPOSE_PARALLEL_LIMIT, as Compose reads them', () => {
  it('unset: 64, Compose v1\'s default (dockerd 20.10 deadlocks under hundreds of stops at once)', () => {
    assert.equal(parallelLimit(undefined, {}), 64);
    assert.equal(parallelLimit(undefined, { COMPOSE_PARALLEL_LIMIT: '' }), 64);
  });
  it('a positive number bounds; 0 and -1 (Compose\'s default) do not', () => {
    assert.equal(parallelLimit(3, {}), 3);
    assert.equal(parallelLimit(-1, {}), Infinity);
    assert.equal(parallelLimit(0, {}), Infinity);
    assert.equal(parallelLimit(undefined, { COMPOSE_PARALLEL_LIMIT: '2' }), 2);
    assert.equal(parallelLimit(undefined, { COMPOSE_PARALLEL_LIMIT: '-1' }), Infinity);
  });
  it('the flag wins over the variable, either way', () => {
    assert.equal(parallelLimit(1, { COMPOSE_PARALLEL_LIMIT: '8' }), 1);
    assert.equal(parallelLimit(-1, { COMPOSE_PARALLEL_LIMIT: '1' }), Infinity);
  });
  it('not a whole number: a usage error naming the source', () => {
    assert.throws(() => parallelLimit(undefined, { COMPOSE_PARALLEL_LIMIT: 'lots' }), (e: unknown) => e instanceof UsageError && /COMPOSE_PARALLEL_LIMIT must be an integer/.test(e.message));
    assert.throws(() => parallelLimit(1.5, {}), (e: unknown) => e instanceof UsageError && /--parallel needs a whole number/.test(e.message));
  });
});
