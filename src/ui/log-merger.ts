import type { ContainerLogWriter, LogPrinter, LogStream } from './log-printer.js';

interface Entry {
  readonly key: string;
  readonly seq: number;
  readonly name: string;
  readonly stream: LogStream;
  readonly text: string;
  readonly arrived: number;
}

/** `2024-05-01T10:00:00.1234Z` → a key that sorts as time does (the engine trims trailing zeros). */
export function timestampKey(stamp: string): string {
  const dot = stamp.indexOf('.');
  if (dot === -1) return `${stamp.replace(/Z$/, '')}.000000000`;
  const fraction = stamp.slice(dot + 1).replace(/Z$/, '');
  return `${stamp.slice(0, dot)}.${fraction.padEnd(9, '0').slice(0, 9)}`;
}

/**
 * Puts lines from several containers in the order of the engine's own timestamps. Every container's
 * lines arrive in order, so only the interleaving is decided here: everything at the end for a
 * one-shot dump, or, when following, lines held back for a short window and released in time order.
 */
export class LogMerger {
  private pending: Entry[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly printer: LogPrinter,
    private readonly showTimestamps: boolean,
    private readonly clock: () => number = Date.now,
  ) {}

  writer(name: string): ContainerLogWriter {
    this.printer.register([name]);
    const partial: Record<LogStream, string> = { stdout: '', stderr: '' };
    const add = (stream: LogStream, line: string): void => {
      const space = line.indexOf(' ');
      const stamp = space === -1 ? line : line.slice(0, space);
      const text = space === -1 ? '' : line.slice(space + 1);
      this.pending.push({
        key: timestampKey(stamp), seq: this.seq++, name, stream, text: this.showTimestamps ? line : text, arrived: this.clock(),
      });
    };
    return {
      push: (stream, data) => {
        const lines = (partial[stream] + data.toString('utf8')).split('\n');
        partial[stream] = lines.pop() ?? '';
        for (const line of lines) add(stream, line);
      },
      flush: () => {
        for (const stream of ['stdout', 'stderr'] as const) {
          if (partial[stream] !== '') add(stream, partial[stream]);
          partial[stream] = '';
        }
      },
    };
  }

  /** Prints every held line, in time order. */
  flushAll(): void {
    this.release(this.pending);
    this.pending = [];
  }

  /** While following: every 100 ms, release the lines that have waited `windowMs`. */
  startWindow(windowMs: number): void {
    this.timer = setInterval(() => {
      const cutoff = this.clock() - windowMs;
      const ready = this.pending.filter((e) => e.arrived <= cutoff);
      if (ready.length === 0) return;
      this.pending = this.pending.filter((e) => e.arrived > cutoff);
      this.release(ready);
    }, 100);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.flushAll();
  }

  private release(entries: Entry[]): void {
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.seq - b.seq));
    for (const e of entries) this.printer.line(e.name, e.stream, e.text);
  }
}
