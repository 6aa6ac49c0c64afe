import assert from 'node:assert/strict';
import { ChangeCoalescer, type Timers } from '../../../src/watch/coalescer.js';

/** Time that moves only when the test says so. */
class ManualTimers implements Timers {
  private time = 0;
  private next = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  set(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.time + ms, callback });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  now(): number {
    return this.time;
  }
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (due === undefined) break;
      this.pending.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.time = end;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('ChangeCoalescer: bursts become batches, nothing is lost', () => {
  it('a burst inside the quiet period is one batch, with each path once', async () => {
    const timers = new ManualTimers();
    const batches: string[][] = [];
    const c = new ChangeCoalescer({ quietMs: 50, maxWaitMs: 1000, timers }, async (b) => void batches.push([...b].sort()));
    for (let i = 0; i < 1000; i++) {
      c.add([`/f${i % 10}`]);
      await timers.advance(i % 100 === 0 ? 10 : 0);
    }
    await timers.advance(49);
    assert.equal(batches.length, 0, 'still inside the quiet period');
    await timers.advance(1);
    assert.equal(batches.length, 1);
    assert.equal(batches[0]?.length, 10);
  });

  it('an endless stream is still handed over once its first change is maxWait old', async () => {
    const timers = new ManualTimers();
    const batches: number[] = [];
    const c = new ChangeCoalescer({ quietMs: 50, maxWaitMs: 200, timers }, async (b) => void batches.push(b.size));
    for (let i = 0; i < 30; i++) {
      c.add([`/f${i}`]);
      await timers.advance(20);
    }
    assert.ok(batches.length >= 2 && batches.length <= 4, `${batches.length} batches`);
    await timers.advance(100);
    assert.equal(batches.reduce((a, b) => a + b, 0), 30);
  });

  it('changes made while a batch is handled make the next batch', async () => {
    const timers = new ManualTimers();
    const batches: string[][] = [];
    let release!: () => void;
    const c = new ChangeCoalescer({ quietMs: 10, maxWaitMs: 100, timers }, async (b) => {
      batches.push([...b]);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    c.add(['/a']);
    await timers.advance(10);
    assert.deepEqual(batches, [['/a']]);
    c.add(['/b']);
    c.add(['/a']);
    await timers.advance(500);
    assert.equal(batches.length, 1, 'one batch at a time');
    release();
    await new Promise((resolve) => setImmediate(resolve));
    await timers.advance(10);
    assert.deepEqual(batches[1]?.sort(), ['/a', '/b']);
    await c.idle();
  });

  it('inside a burst, short pauses between writes do not cut it into many batches', async () => {
    const timers = new ManualTimers();
    const batches: number[] = [];
    const c = new ChangeCoalescer({ quietMs: 25, maxWaitMs: 1000, burstQuietMs: 250, burstSize: 10, timers }, async (b) => void batches.push(b.size));
    // 300 writes, a 40 ms stall after every 10: with the short quiet period alone, that is 30 batches.
    for (let i = 0; i < 300; i++) {
      c.add([`/f${i}`]);
      await timers.advance(i % 10 === 9 ? 40 : 1);
    }
    await timers.advance(1000);
    assert.equal(batches.reduce((a, b) => a + b, 0), 300);
    assert.ok(batches.length <= 3, `${batches.length} batches`);
    // A single edit after the burst has settled goes out after the short quiet period again.
    await timers.advance(2000);
    c.add(['/single']);
    await timers.advance(25);
    assert.equal(batches.at(-1), 1);
  });

  it('close drops what is pending', async () => {
    const timers = new ManualTimers();
    const batches: number[] = [];
    const c = new ChangeCoalescer({ quietMs: 10, maxWaitMs: 100, timers }, async (b) => void batches.push(b.size));
    c.add(['/a']);
    c.close();
    await timers.advance(100);
    assert.deepEqual(batches, []);
  });
});
