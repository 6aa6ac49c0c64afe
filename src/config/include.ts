import * as nodePath from 'node:path';
import type { KeyPath, Locator } from './locator.js';
import { configErrorAt } from './config-error.js';
import { canonicalJson } from '../model/config-hash.js';
import { isMapping, type Mapping } from './tree.js';

/** An `include` entry, canonical and with absolute paths. */
export interface IncludeEntry {
  readonly paths: readonly string[];
  readonly projectDirectory: string;
  /** Undefined: the `.env` of the included project directory. */
  readonly envFiles: readonly string[] | undefined;
}

export interface IncludeContext {
  /** Loads an included project (its own includes and extends applied, not normalised). */
  loadIncluded(entry: IncludeEntry, path: KeyPath): Mapping;
}

const SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs', 'models'] as const;

/** Reads the `include` entries of a canonical tree (paths already absolute). */
export function readIncludeEntries(tree: Mapping): IncludeEntry[] {
  const raw = Array.isArray(tree['include']) ? tree['include'] : [];
  return raw.filter(isMapping).map((entry) => {
    const paths = (Array.isArray(entry['path']) ? entry['path'] : []).filter((p): p is string => typeof p === 'string');
    const first = paths[0] ?? '.';
    const projectDirectory =
      typeof entry['project_directory'] === 'string' ? entry['project_directory'] : nodePath.dirname(first);
    const envFiles = Array.isArray(entry['env_file']) ? entry['env_file'].filter((p): p is string => typeof p === 'string') : undefined;
    return { paths, projectDirectory, envFiles };
  });
}

/**
 * Copies the resources of included projects into the tree. Two included projects that define the
 * same resource differently conflict; the including file itself is merged over them by the caller.
 * Returns the imported resources (without the including file's own) and leaves `tree` untouched.
 */
export function collectIncludes(tree: Mapping, locator: Locator | undefined, ctx: IncludeContext): Mapping {
  const imported: Mapping = {};
  const origin = new Map<string, string>();
  readIncludeEntries(tree).forEach((entry, index) => {
    const path: KeyPath = ['include', index];
    const sub = ctx.loadIncluded(entry, path);
    for (const section of SECTIONS) {
      const resources = sub[section];
      if (!isMapping(resources)) continue;
      const target = (imported[section] ??= {}) as Mapping;
      for (const [key, value] of Object.entries(resources)) {
        const id = `${section}.${key}`;
        if (Object.hasOwn(target, key) && canonicalJson(target[key]) !== canonicalJson(value)) {
          throw configErrorAt(
            locator,
            path,
            `included ${entry.paths.join(', ')} defines ${id}, which ${origin.get(id)} already defines differently`,
            'rename one of them, or keep one definition',
          );
        }
        target[key] = value;
        origin.set(id, entry.paths.join(', '));
      }
    }
  });
  return imported;
}
