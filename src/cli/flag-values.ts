import { envBool } from '../config/env-bool.js';
import { UsageError } from '../errors.js';
import type { ParsedFlags } from './command.js';

export function flagBoolean(flags: ParsedFlags, name: string): boolean {
  return flags[name] === true;
}

/** A boolean flag that falls back to a COMPOSE_* variable when not given (`--remove-orphans=false` beats the variable). */
export function flagOrEnvBoolean(flags: ParsedFlags, name: string, env: Readonly<Record<string, string | undefined>>, variable: string): boolean {
  const value = flags[name];
  return typeof value === 'boolean' ? value : envBool(env, variable);
}

export function flagString(flags: ParsedFlags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function flagNumber(flags: ParsedFlags, name: string): number | undefined {
  const value = flags[name];
  return typeof value === 'number' ? value : undefined;
}

export function flagList(flags: ParsedFlags, name: string): string[] {
  const value = flags[name];
  return Array.isArray(value) ? [...(value as string[])] : [];
}

export function flagChoice<T extends string>(flags: ParsedFlags, name: string, allowed: readonly T[], fallback: T): T {
  const value = flagString(flags, name) ?? fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`invalid value "${value}" for --${name}`, `use one of: ${allowed.join(', ')}`);
}

/** `--scale web=3` (repeatable) into a map. */
export function parseScale(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) {
    const match = /^([^=]+)=(\d+)$/.exec(value);
    if (match === null) throw new UsageError(`invalid --scale "${value}"`, 'use SERVICE=NUMBER, e.g. --scale web=3');
    out[match[1] as string] = Number(match[2]);
  }
  return out;
}
