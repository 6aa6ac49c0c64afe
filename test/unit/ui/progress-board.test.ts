import assert from 'node:assert/strict';
import { ProgressBoard } from '../../../src/ui/progress-board.js';
import type { ProgressEvent } from '../../../src/model/events.js';

const ev = (name: string, status: ProgressEvent['status'], done: boolean, time: number, detail?: string): ProgressEvent =>
  ({ kind: name.endsWith('default') ? 'network' : 'container', name, status, done, time, ...(detail === undefined ? {} : { detail }) });

describe('ProgressBoard (the live view\'s state)', () => {
  it('keeps one row per resource in order of appearance, each with its latest status and time', () => {
    const board = new ProgressBoard();
    board.apply(ev('p_default', 'creating', false, 0));
    board.apply(ev('p-web-1', 'creating', false, 100));
    board.apply(ev('p_default', 'created', true, 200));
    board.apply(ev('p-web-1', 'created', true, 300));
    board.apply(ev('p-web-1', 'starting', false, 400, 'created'));
    assert.equal(board.summary(), '1/2 done');
    assert.deepEqual(board.lines(1000), [
      '✔ Network   p_default  Created  0.2s',
      '… Container p-web-1    Starting created  0.6s',
    ]);
    board.apply(ev('p-web-1', 'error', true, 1500, 'port is already allocated'));
    board.warn('found orphan containers');
    assert.equal(board.summary(), '1/2 done, 1 failed');
    assert.deepEqual(board.lines(2000), [
      '✔ Network   p_default  Created  0.2s',
      '✘ Container p-web-1    Error port is already allocated  1.1s',
      '! found orphan containers',
    ]);
  });
});
