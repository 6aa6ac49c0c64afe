import type { KeyPath, Locator } from './locator.js';
import { configErrorAt } from './config-error.js';
import { parseDotenv } from './dotenv.js';
import type { Lookup } from './template.js';
import { isMapping, type Mapping } from './tree.js';

export interface ServiceEnvironmentOptions {
  /** The project environment (OS, env files). */
  readonly lookup: Lookup;
  /** Reads an env file named at `at`; undefined when it does not exist. */
  readonly readFile: (path: string, at: KeyPath) => string | undefined;
  readonly locator?: Locator;
  /** `--no-interpolate`: env files are read as raw text. */
  readonly interpolate?: boolean;
}

/**
 * The container environment of one service: its env files in order (a later file wins), then
 * `environment:` on top. A variable inside an env file is looked up in the project environment,
 * then in the service's `environment:`, then in earlier lines.
 */
export function resolveServiceEnvironment(
  service: Mapping,
  servicePath: KeyPath,
  options: ServiceEnvironmentOptions,
): Record<string, string | null> {
  const declared: Record<string, string | null> = isMapping(service['environment'])
    ? (service['environment'] as Record<string, string | null>)
    : {};
  const envFiles = Array.isArray(service['env_file']) ? service['env_file'] : [];
  if (envFiles.length === 0) return { ...declared };
  const fromFiles = new Map<string, string>();
  envFiles.forEach((entry: unknown, index) => {
    if (!isMapping(entry) || typeof entry['path'] !== 'string') return;
    const file = entry['path'];
    const at = [...servicePath, 'env_file', index];
    const text = options.readFile(file, at);
    if (text === undefined) {
      if (entry['required'] === false) return;
      throw configErrorAt(
        options.locator,
        at,
        `env file ${file} not found`,
        'create the file, fix the path, or mark the entry `required: false`',
      );
    }
    const values = parseDotenv(text, {
      file,
      raw: entry['format'] === 'raw' || options.interpolate === false,
      lookup: (name) => options.lookup(name) ?? (Object.hasOwn(declared, name) ? declared[name] : undefined) ?? undefined,
      fallback: (name) => fromFiles.get(name),
    });
    for (const [key, value] of values) fromFiles.set(key, value);
  });
  const out: Record<string, string | null> = Object.fromEntries(fromFiles);
  for (const [key, value] of Object.entries(declared)) {
    // A bare key nobody set keeps what an env file gave it.
    if (value === null && fromFiles.has(key)) continue;
    out[key] = value;
  }
  return out;
}
