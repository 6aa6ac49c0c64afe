import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Our own version, read from package.json (found above this file, in src/ or dist/src/). */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tscompose' && pkg.version !== undefined) return (cached = pkg.version);
    } catch {
      // try the next place
    }
  }
  return (cached = 'unknown');
}
