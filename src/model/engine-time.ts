import { parseDurationNs } from './duration.js';

/**
 * A time the way Docker's CLI takes it for --since / --until (Unix seconds, an RFC 3339 date, or a
 * Go duration counted back from `nowMs`), as the `seconds.nanoseconds` string the engine reads.
 * `undefined` when it is none of those.
 */
export function engineTimestamp(value: string, nowMs: number): string | undefined {
  const text = value.trim();
  if (/^\d+(\.\d{1,9})?$/.test(text)) return text;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const match = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)?$/.exec(text);
    const base = Date.parse(`${match?.[1] ?? text}${match?.[3] ?? 'Z'}`);
    if (Number.isNaN(base)) return undefined;
    const seconds = Math.floor(base / 1000);
    return match?.[2] === undefined ? String(seconds) : `${seconds}.${match[2].padEnd(9, '0')}`;
  }
  // A bare number was taken above as seconds; durations need a unit here.
  if (!/[a-zµ]$/.test(text)) return undefined;
  const ns = parseDurationNs(text);
  if (ns === undefined) return undefined;
  const at = nowMs * 1e6 - ns;
  const seconds = Math.floor(at / 1e9);
  return `${seconds}.${String(Math.round(at - seconds * 1e9)).padStart(9, '0')}`;
}
