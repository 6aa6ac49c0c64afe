import { UsageError } from '../errors.js';
import { envInteger } from './env-bool.js';

/**
 * --parallel, else COMPOSE_PARALLEL_LIMIT, as Compose reads them: a positive whole number bounds
 * the steps in flight; 0 or a negative number (Compose's default is -1) means no bound.
 */
export function parallelLimit(flag: unknown, env: Readonly<Record<string, string | undefined>>): number {
  let value: number | undefined;
  if (typeof flag === 'number') {
    if (!Number.isInteger(flag)) throw new UsageError(`--parallel needs a whole number (got ${flag})`, 'use --parallel N, or -1 for no limit');
    value = flag;
  } else value = envInteger(env, 'COMPOSE_PARALLEL_LIMIT');
  return value === undefined || value <= 0 ? Infinity : value;
}
