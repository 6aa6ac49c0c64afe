import assert from 'node:assert/strict';
import { lineMatchCounter } from '../../../src/reconcile/log-match.js';

describe('lineMatchCounter', () => {
  it('counts matching lines across chunks that split them', () => {
    const count = lineMatchCounter(/ready/);
    assert.equal(count('starting\nrea'), 0);
    assert.equal(count('dy to serve\nnot yet\n'), 1);
    assert.equal(count('ready again\n'), 2);
  });

  it('counts a last line that has no newline yet', () => {
    const count = lineMatchCounter(/listening on \d+/);
    assert.equal(count('listening on 80'), 1);
  });

  it('is not confused by a global pattern\'s lastIndex', () => {
    const count = lineMatchCounter(/x/g);
    assert.equal(count('x\nx\nx\n'), 3);
  });
});
