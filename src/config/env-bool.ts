import { UsageError } from '../errors.js';
import { BOOL_WORDS, parseEnvBool } from '../model/env-bool.js';

/**
 * A boolean COMPOSE_* variable: unset or empty is `fallback`; a value Go cannot read as a boolean
 * is an error naming the variable (Compose would silently read it as false).
 * Words as in model/env-bool.ts.
 */
export function envBool(env: Readonly<Record<string, string | undefined>>, name: string, fallback = false): boolean {
  const raw = Object.hasOwn(env, name) ? env[name] : undefined;
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = parseEnvBool(raw);
  if (value === undefined) throw new UsageError(`invalid boolean ${name}="${raw}"`, `use ${BOOL_WORDS}`);
  return value;
}

/** A whole-number variable such as COMPOSE_PARALLEL_LIMIT; unset or empty is undefined. */
export function envInteger(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const raw = Object.hasOwn(env, name) ? env[name] : undefined;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw new UsageError(`${name} must be an integer (found "${raw}")`);
  return Number(raw);
}
