import assert from 'node:assert/strict';
import { TEST_IMAGE, engine } from '../helpers/cli-harness.js';

describe('engine events', function () {
  this.timeout(30_000);
  const name = `tsct-events-${process.pid}`;
  after(async () => {
    await engine.containers.remove(name, { force: true, volumes: true });
  });

  it('include what happened between the call and the first read (no lost die event)', async () => {
    const controller = new AbortController();
    const stream = engine.system.events({ type: ['container'], event: ['die'], container: [name] }, controller.signal);
    // The container lives and dies before anyone reads the stream.
    const id = await engine.containers.create(name, { Image: TEST_IMAGE, Cmd: ['sh', '-c', 'exit 7'], Labels: {} });
    await engine.containers.start(id);
    await engine.containers.wait(id, 'not-running');
    const timer = setTimeout(() => controller.abort(), 10_000);
    let seen: string | undefined;
    for await (const event of stream) {
      seen = event.attributes['exitCode'];
      break;
    }
    clearTimeout(timer);
    controller.abort();
    assert.equal(seen, '7');
  });
});
