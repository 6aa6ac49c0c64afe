/**
 * The engine multiplexes stdout and stderr of a container without a TTY into frames: one header
 * byte for the stream (1 stdout, 2 stderr), three zero bytes, a big-endian 32-bit length, then the
 * payload. A TTY container's output is the raw bytes.
 */
export interface DemuxedOutput {
  readonly stdout: string;
  readonly stderr: string;
}

export function demuxFrames(data: Buffer): DemuxedOutput {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let at = 0;
  while (at + 8 <= data.length) {
    const stream = data[at];
    const size = data.readUInt32BE(at + 4);
    const payload = data.subarray(at + 8, at + 8 + size);
    (stream === 2 ? err : out).push(payload);
    at += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Frames in arrival order as lines, stderr ones included: what `logs` would print. */
export function demuxLines(data: Buffer, tty: boolean): string[] {
  if (tty) return splitLines(data.toString('utf8'));
  const lines: string[] = [];
  let at = 0;
  let pending = '';
  while (at + 8 <= data.length) {
    const size = data.readUInt32BE(at + 4);
    pending += data.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  lines.push(...splitLines(pending));
  return lines;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => l.replace(/\r$/, ''));
}
