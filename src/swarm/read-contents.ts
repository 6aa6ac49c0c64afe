import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import type { Project } from '../model/project.js';

/**
 * The content of every config and secret a service uses, keyed `config:<key>` / `secret:<key>`:
 * the only file reads of a deploy, done before the pure stages.
 */
export async function readObjectContents(project: Project): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  for (const kind of ['config', 'secret'] as const) {
    const top = kind === 'config' ? project.configs : project.secrets;
    const used = new Set(Object.values(project.services).flatMap((s) => (kind === 'config' ? s.configs : s.secrets) ?? []).map((r) => r.source));
    for (const key of used) {
      const def = Object.hasOwn(top, key) ? top[key] : undefined;
      if (def === undefined) {
        throw new ConfigError(`${kind} "${key}" is used by a service but not defined`, { keyPath: `${kind}s`, hint: `add it under the top-level ${kind}s:` });
      }
      if (def.external === true) continue;
      if (def.content !== undefined) contents.set(`${kind}:${key}`, Buffer.from(def.content));
      else if (def.environment !== undefined) {
        const value = project.environment[def.environment];
        if (value === undefined) {
          throw new ConfigError(`${kind} "${key}" comes from the environment variable ${def.environment}, which is not set`, {
            keyPath: `${kind}s.${key}.environment`, hint: `set ${def.environment} (or put it in .env)`,
          });
        }
        contents.set(`${kind}:${key}`, Buffer.from(value));
      } else if (def.file !== undefined) {
        try {
          contents.set(`${kind}:${key}`, await readFile(def.file));
        } catch (error) {
          throw new ConfigError(`${kind} "${key}": cannot read ${def.file}: ${(error as Error).message}`, { keyPath: `${kind}s.${key}.file`, cause: error });
        }
      } else {
        throw new ConfigError(`${kind} "${key}" has no file, environment or content`, { keyPath: `${kind}s.${key}`, hint: 'give one of file:, environment:, content:, or external: true' });
      }
    }
  }
  return contents;
}
