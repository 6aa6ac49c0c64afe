import type { OutputHandler, OutputStream } from './engine.js';

/**
 * Splits the engine's multiplexed stdio stream (8-byte headers: stream id, 3 zero bytes, big-endian
 * length) back into stdout and stderr. Consecutive payloads of one stream within a chunk are
 * handed over as one buffer: a million one-line frames must not become a million callbacks.
 */
export class Demultiplexer {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  private current: OutputStream = 'stdout';

  constructor(private readonly onOutput: OutputHandler) {}

  push(chunk: Buffer): void {
    const parts: Buffer[] = [];
    let partsStream: OutputStream = 'stdout';
    const flush = (): void => {
      if (parts.length === 0) return;
      this.onOutput(partsStream, parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts));
      parts.length = 0;
    };
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerFill, chunk.length - i);
        chunk.copy(this.header, this.headerFill, i, i + take);
        this.headerFill += take;
        i += take;
        if (this.headerFill < 8) break;
        this.headerFill = 0;
        this.current = this.header[0] === 2 ? 'stderr' : 'stdout';
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - i);
      if (parts.length > 0 && partsStream !== this.current) flush();
      partsStream = this.current;
      parts.push(chunk.subarray(i, i + take));
      this.remaining -= take;
      i += take;
    }
    flush();
  }
}

/** A consumer for a container's raw output: framed unless the container has a TTY. */
export function outputReader(tty: boolean, onOutput: OutputHandler): (chunk: Buffer) => void {
  if (tty) return (chunk) => onOutput('stdout', chunk);
  const demux = new Demultiplexer(onOutput);
  return (chunk) => demux.push(chunk);
}

export interface DemuxedOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** A whole framed (or TTY) body split into its two streams. */
export function demuxFrames(data: Buffer, tty = false): DemuxedOutput {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  outputReader(tty, (stream, chunk) => (stream === 'stderr' ? err : out).push(chunk))(data);
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Text as lines: a final newline ends the last line, and a TTY's \r before \n goes. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => l.replace(/\r$/, ''));
}

/** A whole body as lines in arrival order, stderr ones included: what `logs` would print. */
export function demuxLines(data: Buffer, tty: boolean): string[] {
  const chunks: Buffer[] = [];
  outputReader(tty, (_stream, chunk) => chunks.push(chunk))(data);
  return splitLines(Buffer.concat(chunks).toString('utf8'));
}
