const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
};

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/;

/** `512m`, `1g`, `1024` → bytes (binary units, as Docker reads them); undefined when not a size. */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SIZE.exec(value);
  if (match === null) return undefined;
  const unit = UNITS[match[2]!.toLowerCase()];
  return unit === undefined ? undefined : Math.floor(Number.parseFloat(match[1]!) * unit);
}
