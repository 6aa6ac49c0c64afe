import assert from 'node:assert/strict';
import { progress, type ProgressEvent } from '../../../src/model/events.js';
import { quietImageSink } from '../../../src/ui/progress-sinks.js';

describe('quietImageSink (--quiet-pull, --quiet-build)', () => {
  const events = [
    progress('image', 'busybox', 'pulling', false),
    progress('image', 'busybox', 'pulled', true),
    progress('image', 'app', 'building', false),
    progress('image', 'app', 'error', true, 'build failed'),
    progress('container', 'p-web-1', 'started', true),
  ];
  const through = (quiet: { pull: boolean; build: boolean }): string[] => {
    const seen: ProgressEvent[] = [];
    const sink = quietImageSink({ emit: (e) => seen.push(e), warn() {} }, quiet);
    for (const e of events) sink.emit(e);
    return seen.map((e) => `${e.name} ${e.status}`);
  };
  it('drops pull progress only with pull', () => {
    assert.deepEqual(through({ pull: true, build: false }), ['app building', 'app error', 'p-web-1 started']);
  });
  it('drops build progress only with build, never failures', () => {
    assert.deepEqual(through({ pull: false, build: true }), ['busybox pulling', 'busybox pulled', 'app error', 'p-web-1 started']);
  });
});
