import { UsageError } from '../errors.js';
import { envInteger } from './env-bool.js';

/**
 * The bound when neither is given: Compose v1's default. Compose v2 has none, but dockerd 20.10
 * deadlocked in its network code under 279 container stops at once (`down` of 300 services,
 * bench/scale.mjs); with 64 the same `down` completes.
 */
export const DEFAULT_PARALLEL_LIMIT = 64;

/**
 * --parallel, else COMPOSE_PARALLEL_LIMIT, as Compose reads them: a positive whole number bounds
 * the steps in flight; 0 or a negative number means no bound.
 */
export function parallelLimit(flag: unknown, env: Readonly<Record<string, string | undefined>>): number {
  let value: number | undefined;
  if (typeof flag === 'number') {
    if (!Number.isInteger(flag)) throw new UsageError(`--parallel needs a whole number (got ${flag})`, 'use --parallel N, or -1 for no limit');
    value = flag;
  } else value = envInteger(env, 'COMPOSE_PARALLEL_LIMIT');
  if (value === undefined) return DEFAULT_PARALLEL_LIMIT;
  return value <= 0 ? Infinity : value;
}
