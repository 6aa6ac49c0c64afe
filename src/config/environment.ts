import { parseEnvBool } from '../model/env-bool.js';
/**
 * The interpolation environment is layered: the OS environment beats `--env-file` files (a later
 * file beats an earlier one), which beat the `.env` of the working directory, which beats the `.env`
 * of the project directory.
 */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

/**
 * Looks a variable up among the record's own keys only: `${constructor}` or `${toString}` are
 * unset variables, never members of Object.prototype.
 */
export function lookupIn(record: EnvRecord): (name: string) => string | undefined {
  return (name) => (Object.hasOwn(record, name) ? record[name] : undefined);
}

/** Layers from the strongest to the weakest; the first layer that has a key gives its value. */
export function layerEnvironment(layers: readonly EnvRecord[]): Record<string, string> {
  // No prototype: a variable named __proto__ is a variable like any other.
  const out = Object.create(null) as Record<string, string>;
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    for (const key of Object.keys(layer)) {
      const value = layer[key];
      if (value !== undefined) out[key] = value;
    }
  }
  return out;
}

/** A boolean environment word (model/env-bool.ts); the name pipeline.ts imports. */
export function isTruthy(value: string | undefined): boolean {
  return parseEnvBool(value) === true;
}

/** `--env-file` values, else COMPOSE_ENV_FILES (comma-separated), resolved against `cwd`. Empty: use `.env`. */
export function selectEnvFiles(
  flags: readonly string[] | undefined,
  env: EnvRecord,
  resolve: (file: string) => string,
): string[] {
  if (flags !== undefined && flags.length > 0) return flags.map(resolve);
  const fromEnv = env['COMPOSE_ENV_FILES'];
  if (fromEnv === undefined || fromEnv.trim() === '') return [];
  return fromEnv
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .map(resolve);
}

/** `--profile` values, else COMPOSE_PROFILES (comma-separated). */
export function selectProfiles(flags: readonly string[] | undefined, env: EnvRecord): string[] {
  if (flags !== undefined && flags.length > 0) return [...new Set(flags.flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p !== ''))];
  const fromEnv = env['COMPOSE_PROFILES'];
  if (fromEnv === undefined) return [];
  return [...new Set(fromEnv.split(',').map((p) => p.trim()).filter((p) => p !== ''))];
}
