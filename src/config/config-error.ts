import { ConfigError } from '../errors.js';
import { formatKeyPath, type KeyPath, type Locator } from './locator.js';

/** A ConfigError placed at `path`: file:line:column, the key path and the source line. */
export function configErrorAt(
  locator: Locator | undefined,
  path: KeyPath,
  message: string,
  hint?: string,
): ConfigError {
  const position = locator?.position(path);
  const sourceLine = position === undefined ? undefined : locator?.line(position.line);
  const details: ConstructorParameters<typeof ConfigError>[1] = { keyPath: formatKeyPath(path) };
  return new ConfigError(message, {
    ...details,
    ...(position === undefined ? {} : { position }),
    ...(sourceLine === undefined ? {} : { sourceLine }),
    ...(hint === undefined ? {} : { hint }),
  });
}

/** The closest candidate by edit distance, when it is close enough to be a likely typo. */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const list = [...candidates];
  const prefixed = list.filter((c) => c.length >= 3 && name.length >= 3 && (c.startsWith(name) || name.startsWith(c)));
  if (prefixed.length === 1) return prefixed[0];
  for (const candidate of list) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
