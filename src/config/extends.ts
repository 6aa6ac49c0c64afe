import { basename } from 'node:path';
import type { KeyPath, Locator } from './locator.js';
import { configErrorAt } from './config-error.js';
import { mergeAt } from './merge.js';
import { cloneTree, deleteAt, isMapping, type Mapping } from './tree.js';

/** A file another one extends from, already interpolated, canonical and path-resolved. */
export interface ExtendsSource {
  readonly file: string;
  readonly tree: Mapping;
  readonly locator?: Locator;
  /** `!reset`/`!override` paths of the file. */
  readonly resets?: readonly KeyPath[];
  readonly overrides?: readonly KeyPath[];
}

export interface ExtendsContext {
  /** Loads `file` for `extends.file` (absolute). */
  loadFile(file: string): ExtendsSource;
}

/**
 * Resolves every `extends` of a file's services: the base (from the same file or another, itself
 * resolved first) is cloned and the local service is merged over it. Returns a new tree.
 */
export function applyExtends(source: ExtendsSource, ctx: ExtendsContext): Mapping {
  const services = isMapping(source.tree['services']) ? source.tree['services'] : {};
  if (!Object.values(services).some((s) => isMapping(s) && s['extends'] !== undefined)) return source.tree;
  const resolver = new ExtendsResolver(ctx);
  const out: Mapping = {};
  for (const name of Object.keys(services)) out[name] = resolver.resolve(source, name, []);
  return { ...source.tree, services: out };
}

class ExtendsResolver {
  private readonly done = new Map<string, Mapping>();

  constructor(private readonly ctx: ExtendsContext) {}

  resolve(source: ExtendsSource, name: string, stack: readonly string[]): Mapping {
    const id = `${source.file}#${name}`;
    const cached = this.done.get(id);
    if (cached !== undefined) return cached;
    const services = isMapping(source.tree['services']) ? source.tree['services'] : {};
    const service = Object.hasOwn(services, name) ? services[name] : undefined;
    if (!isMapping(service)) return {};
    const ref = service['extends'];
    if (ref === undefined) return service;
    const path: KeyPath = ['services', name, 'extends'];
    if (!isMapping(ref) || typeof ref['service'] !== 'string') {
      throw configErrorAt(source.locator, path, `services.${name}.extends needs a service name`);
    }
    if (stack.includes(id)) {
      const ids = [...stack.slice(stack.indexOf(id)), id];
      const files = new Set(ids.map((s) => s.slice(0, s.lastIndexOf('#'))));
      const label = (s: string): string => {
        const at = s.lastIndexOf('#');
        return files.size > 1 ? `${basename(s.slice(0, at))}:${s.slice(at + 1)}` : s.slice(at + 1);
      };
      const loop = ids.map(label).join(' -> ');
      throw configErrorAt(source.locator, path, `extends cycle: ${loop}`, 'one of these services must stop extending the next');
    }
    const baseSource = typeof ref['file'] === 'string' ? this.ctx.loadFile(ref['file']) : source;
    const baseName = ref['service'];
    const baseServices = isMapping(baseSource.tree['services']) ? baseSource.tree['services'] : {};
    if (!Object.hasOwn(baseServices, baseName) || !isMapping(baseServices[baseName])) {
      const where = typeof ref['file'] === 'string' ? ` in ${ref['file']}` : '';
      throw configErrorAt(source.locator, [...path, 'service'], `services.${name} extends "${baseName}", which is not defined${where}`);
    }
    const base = cloneTree(this.resolve(baseSource, baseName, [...stack, id]));
    const local: Mapping = { ...service };
    delete local['extends'];
    // `!reset`/`!override` on the local service also apply to what it inherits.
    const prefix = ['services', name];
    for (const p of [...(source.resets ?? []), ...(source.overrides ?? [])]) {
      if (p.length > 2 && p[0] === 'services' && p[1] === name) deleteAt(base, p.slice(2));
    }
    const merged = mergeAt(prefix, base, local) as Mapping;
    this.done.set(id, merged);
    return merged;
  }
}
