import type { StatusMessage, TimestampMessage, VertexMessage } from './buildkit-status.js';

/**
 * Decodes BuildKit's `moby.buildkit.v1.StatusResponse` (protobuf wire format) into the fields the
 * progress uses: vertexes (digest, name, cached, started, completed, error) and logs (vertex,
 * timestamp, msg). Written out by hand because loading protobufjs and the .proto costs a build a
 * few hundred milliseconds of start-up, more than the builds it reports on when they are cached;
 * the message layout is BuildKit's stable API (the same .proto dockerode ships).
 */
export function decodeStatus(bytes: Uint8Array): StatusMessage {
  const vertexes: VertexMessage[] = [];
  const logs: { vertex?: string; msg?: Uint8Array; timestamp?: TimestampMessage }[] = [];
  for (const field of fields(bytes)) {
    if (field.number === 1 && field.bytes !== undefined) vertexes.push(decodeVertex(field.bytes));
    else if (field.number === 3 && field.bytes !== undefined) logs.push(decodeLog(field.bytes));
  }
  return { vertexes, logs };
}

function decodeVertex(bytes: Uint8Array): VertexMessage {
  const out: { -readonly [K in keyof VertexMessage]: VertexMessage[K] } = {};
  for (const field of fields(bytes)) {
    if (field.number === 1 && field.bytes !== undefined) out.digest = text(field.bytes);
    else if (field.number === 3 && field.bytes !== undefined) out.name = text(field.bytes);
    else if (field.number === 4 && field.varint !== undefined) out.cached = field.varint !== 0;
    else if (field.number === 5 && field.bytes !== undefined) out.started = decodeTimestamp(field.bytes);
    else if (field.number === 6 && field.bytes !== undefined) out.completed = decodeTimestamp(field.bytes);
    else if (field.number === 7 && field.bytes !== undefined) out.error = text(field.bytes);
  }
  return out;
}

function decodeLog(bytes: Uint8Array): { vertex?: string; msg?: Uint8Array; timestamp?: TimestampMessage } {
  const out: { vertex?: string; msg?: Uint8Array; timestamp?: TimestampMessage } = {};
  for (const field of fields(bytes)) {
    if (field.number === 1 && field.bytes !== undefined) out.vertex = text(field.bytes);
    else if (field.number === 2 && field.bytes !== undefined) out.timestamp = decodeTimestamp(field.bytes);
    else if (field.number === 4 && field.bytes !== undefined) out.msg = field.bytes;
  }
  return out;
}

function decodeTimestamp(bytes: Uint8Array): TimestampMessage {
  const out: { seconds?: number; nanos?: number } = {};
  for (const field of fields(bytes)) {
    if (field.number === 1 && field.varint !== undefined) out.seconds = field.varint;
    else if (field.number === 2 && field.varint !== undefined) out.nanos = field.varint;
  }
  return out;
}

const decoder = new TextDecoder();
function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

interface Field {
  readonly number: number;
  /** Wire type 0. Exact up to 2^53, which covers timestamps and booleans. */
  readonly varint?: number;
  /** Wire type 2: strings, bytes and nested messages. */
  readonly bytes?: Uint8Array;
}

/** The fields of one message in order; fixed-width ones are skipped (none of ours use them). */
function* fields(bytes: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new Error('truncated BuildKit status message');
      const byte = bytes[at++] as number;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) yield { number, varint: varint() };
    else if (wire === 2) {
      const length = varint();
      if (at + length > bytes.length) throw new Error('truncated BuildKit status message');
      yield { number, bytes: bytes.subarray(at, at + length) };
      at += length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unexpected protobuf wire type ${wire} in a BuildKit status message`);
  }
}
