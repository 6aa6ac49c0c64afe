import assert from 'node:assert/strict';
import { BuildSteps } from '../../../src/engine/buildkit-status.js';
import { stepLine } from '../../../src/ui/progress-sinks.js';
import { ProgressBoard } from '../../../src/ui/progress-board.js';
import { buildStepEvent, progress } from '../../../src/model/events.js';

const at = (seconds: number) => ({ seconds, nanos: 0 });

describe('BuildKit status: steps as Compose prints them', () => {
  it('numbers vertexes in order of appearance; started, output, DONE with its time; CACHED', () => {
    const steps = new BuildSteps();
    const lines = [
      ...steps.apply({ vertexes: [{ digest: 'sha256:a', name: '[1/2] FROM base' }, { digest: 'sha256:b', name: '[2/2] RUN make' }] }),
      ...steps.apply({ vertexes: [{ digest: 'sha256:a', name: '[1/2] FROM base', cached: true, started: at(10) }] }),
      ...steps.apply({ vertexes: [{ digest: 'sha256:b', name: '[2/2] RUN make', started: at(10) }] }),
      ...steps.apply({ logs: [{ vertex: 'sha256:b', msg: Buffer.from('one\ntw'), timestamp: at(10.25) }] }),
      ...steps.apply({ logs: [{ vertex: 'sha256:b', msg: Buffer.from('o\n'), timestamp: at(10.5) }] }),
      ...steps.apply({ vertexes: [{ digest: 'sha256:b', name: '[2/2] RUN make', started: at(10), completed: at(10.75) }] }),
      // A repeated completion does not print twice.
      ...steps.apply({ vertexes: [{ digest: 'sha256:b', name: '[2/2] RUN make', started: at(10), completed: at(10.75) }] }),
    ].map(stepLine);
    assert.deepEqual(lines, [
      '#1 [1/2] FROM base',
      '#1 CACHED',
      '#2 [2/2] RUN make',
      '#2 0.250 one',
      '#2 0.500 two',
      '#2 DONE 0.8s',
    ]);
    assert.equal(steps.failedStep(), undefined);
  });

  it('keeps the failing step, its error and its last 20 lines (a partial last line too)', () => {
    const steps = new BuildSteps();
    steps.apply({ vertexes: [{ digest: 'd', name: '[2/2] RUN ./test.sh', started: at(1) }] });
    const out = Array.from({ length: 25 }, (_, i) => `line ${i}`).join('\n');
    steps.apply({ logs: [{ vertex: 'd', msg: Buffer.from(`${out}\nno newline`) }] });
    const updates = steps.apply({ vertexes: [{ digest: 'd', name: '[2/2] RUN ./test.sh', started: at(1), completed: at(2), error: 'exit code: 3' }] });
    assert.deepEqual(updates.map(stepLine), ['#1 ERROR: exit code: 3']);
    const failed = steps.failedStep();
    assert.equal(failed?.name, '[2/2] RUN ./test.sh');
    assert.equal(failed?.error, 'exit code: 3');
    assert.equal(failed?.tail.length, 21);
    assert.equal(failed?.tail[0], 'line 5');
    assert.equal(failed?.tail.at(-1), 'no newline');
  });

  it('the TTY board shows the running step under the image row', () => {
    const board = new ProgressBoard();
    board.apply({ ...progress('image', 'app', 'building', false), time: 0 });
    board.apply({ ...buildStepEvent('app', { id: 3, name: '[2/3] RUN make', state: 'started' }), time: 0 });
    assert.match(board.lines(1000)[0] ?? '', /Building #3 \[2\/3\] RUN make/);
    board.apply({ ...buildStepEvent('app', { id: 3, name: '[2/3] RUN make', state: 'log', log: '0.1 compiling' }), time: 0 });
    assert.match(board.lines(1000)[0] ?? '', /Building #3 0\.1 compiling/);
  });
});
