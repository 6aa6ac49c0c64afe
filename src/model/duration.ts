/** Compose durations (`1m30s`, `500ms`, `2h`, a bare number of seconds) in nanoseconds. */
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
};

const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

export function parseDurationNs(text: string | number): number | undefined {
  if (typeof text === 'number') return text * 1e9;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1e9;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(PART)) {
    total += Number(match[1]) * (UNIT_NS[match[2] as string] ?? 0);
    consumed += match[0].length;
  }
  return consumed === trimmed.length && consumed > 0 ? Math.round(total) : undefined;
}

export function parseDurationSeconds(text: string | number): number | undefined {
  const ns = parseDurationNs(text);
  return ns === undefined ? undefined : Math.round(ns / 1e9);
}
