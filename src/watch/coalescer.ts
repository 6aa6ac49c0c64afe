/** Timers as the coalescer sees them, so tests can drive time by hand. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

export const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

export interface CoalescerOptions {
  /** A batch is handed over once no change came for this long. */
  readonly quietMs: number;
  /** ...or once its first change is this old, so an endless stream of changes still syncs. */
  readonly maxWaitMs: number;
  /**
   * The quiet period inside a burst: once a batch holds `burstSize` paths (or the last one did and
   * ended under a second ago), a short pause in the writes (a slow disk, a `git checkout` between
   * files) does not cut it into many batches. Single edits keep the short quiet period.
   */
  readonly burstQuietMs?: number;
  readonly burstSize?: number;
  readonly timers?: Timers;
}

/**
 * Gathers changed paths into batches: a burst (an editor's save, a `git checkout`) becomes one
 * batch. One batch is handled at a time; changes that come while it is handled wait for the next
 * one, so none is lost.
 */
export class ChangeCoalescer {
  private pending = new Set<string>();
  private firstAt: number | undefined;
  private timer: unknown;
  private busy = false;
  private closed = false;
  private readonly timers: Timers;
  private idleWaiters: (() => void)[] = [];
  private lastBatch = { size: 0, endedAt: Number.NEGATIVE_INFINITY };

  constructor(
    private readonly options: CoalescerOptions,
    private readonly handle: (batch: ReadonlySet<string>) => Promise<void>,
  ) {
    this.timers = options.timers ?? realTimers;
  }

  add(paths: Iterable<string>): void {
    if (this.closed) return;
    let added = false;
    for (const p of paths) {
      this.pending.add(p);
      added = true;
    }
    if (!added) return;
    this.firstAt ??= this.timers.now();
    if (!this.busy) this.schedule();
  }

  /** Resolves once nothing is pending or being handled. */
  idle(): Promise<void> {
    if (!this.busy && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.notifyIdle();
  }

  private schedule(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    const now = this.timers.now();
    const waited = now - (this.firstAt ?? now);
    const burstSize = this.options.burstSize ?? Number.POSITIVE_INFINITY;
    const inBurst = this.pending.size >= burstSize || (this.lastBatch.size >= burstSize && now - this.lastBatch.endedAt < 1000);
    const quiet = inBurst ? (this.options.burstQuietMs ?? this.options.quietMs) : this.options.quietMs;
    const delay = Math.max(0, Math.min(quiet, this.options.maxWaitMs - waited));
    this.timer = this.timers.set(() => void this.flush(), delay);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    if (this.closed || this.busy || this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Set();
    this.firstAt = undefined;
    this.busy = true;
    try {
      await this.handle(batch);
    } finally {
      this.busy = false;
      this.lastBatch = { size: batch.size, endedAt: this.timers.now() };
      if (this.pending.size > 0 && !this.closed) {
        this.firstAt = this.timers.now();
        this.schedule();
      } else {
        this.notifyIdle();
      }
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
