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
  /** Loads `file` for `extends.file` (absolute); `at` is where the file is named, for errors. */
  loadFile(file: string, at: { readonly locator: Locator | undefined; readonly path: KeyPath }): ExtendsSource;
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
  for (const name of Object.keys(services)) out[name] = resolver.resolve(source, name);
  return { ...source.tree, services: out };
}

/** One service on the way down an extends chain, and the base it names. */
interface Link {
  readonly id: string;
  readonly source: ExtendsSource;
  readonly name: string;
  readonly service: Mapping;
  readonly base?: { readonly source: ExtendsSource; readonly name: string };
}

class ExtendsResolver {
  private readonly done = new Map<string, Mapping>();

  constructor(private readonly ctx: ExtendsContext) {}

  /**
   * Follows the chain down to a service that extends nothing (or one already resolved), then
   * merges back up. A loop, not recursion: a chain of thousands of services is the user's depth.
   */
  resolve(source: ExtendsSource, name: string): Mapping {
    const chain: Link[] = [];
    const onChain = new Map<string, number>();
    let current: { source: ExtendsSource; name: string } | undefined = { source, name };
    let resolved: Mapping = {};
    while (current !== undefined) {
      const id = `${current.source.file}#${current.name}`;
      const cached = this.done.get(id);
      if (cached !== undefined) {
        resolved = cached;
        break;
      }
      const at = onChain.get(id);
      if (at !== undefined) throw cycleError(chain.slice(at).map((l) => l.id).concat(id), chain[at]!);
      const link = this.link(current.source, current.name, id);
      if (link === undefined) break;
      if (link.base === undefined) {
        // The bottom of the chain: a service that extends nothing is its own resolution.
        resolved = link.service;
        this.done.set(id, resolved);
        break;
      }
      onChain.set(id, chain.length);
      chain.push(link);
      current = link.base;
    }
    for (let i = chain.length - 1; i >= 0; i--) resolved = this.mergeOver(chain[i]!, resolved);
    return resolved;
  }

  /** The service `name` of `source` and the base it extends; undefined when it is not a mapping. */
  private link(source: ExtendsSource, name: string, id: string): Link | undefined {
    const services = isMapping(source.tree['services']) ? source.tree['services'] : {};
    const service = Object.hasOwn(services, name) ? services[name] : undefined;
    if (!isMapping(service)) return undefined;
    const ref = service['extends'];
    if (ref === undefined) return { id, source, name, service };
    const path: KeyPath = ['services', name, 'extends'];
    if (!isMapping(ref) || typeof ref['service'] !== 'string') {
      throw configErrorAt(source.locator, path, `services.${name}.extends needs a service name`);
    }
    const baseSource = typeof ref['file'] === 'string' ? this.ctx.loadFile(ref['file'], { locator: source.locator, path: [...path, 'file'] }) : source;
    const baseName = ref['service'];
    const baseServices = isMapping(baseSource.tree['services']) ? baseSource.tree['services'] : {};
    if (!Object.hasOwn(baseServices, baseName) || !isMapping(baseServices[baseName])) {
      const where = typeof ref['file'] === 'string' ? ` in ${ref['file']}` : '';
      throw configErrorAt(source.locator, [...path, 'service'], `services.${name} extends "${baseName}", which is not defined${where}`);
    }
    return { id, source, name, service, base: { source: baseSource, name: baseName } };
  }

  private mergeOver(link: Link, resolvedBase: Mapping): Mapping {
    const base = cloneTree(resolvedBase);
    const local: Mapping = { ...link.service };
    delete local['extends'];
    // `!reset`/`!override` on the local service also apply to what it inherits.
    const prefix = ['services', link.name];
    for (const p of [...(link.source.resets ?? []), ...(link.source.overrides ?? [])]) {
      if (p.length > 2 && p[0] === 'services' && p[1] === link.name) deleteAt(base, p.slice(2));
    }
    const merged = mergeAt(prefix, base, local) as Mapping;
    this.done.set(link.id, merged);
    return merged;
  }
}

/** `ids` is the loop, first id repeated at the end; it is reported at the `extends` of its first link. */
function cycleError(ids: readonly string[], first: Link): Error {
  const files = new Set(ids.map((s) => s.slice(0, s.lastIndexOf('#'))));
  const label = (s: string): string => {
    const at = s.lastIndexOf('#');
    return files.size > 1 ? `${basename(s.slice(0, at))}:${s.slice(at + 1)}` : s.slice(at + 1);
  };
  const loop = ids.map(label).join(' -> ');
  return configErrorAt(first.source.locator, ['services', first.name, 'extends'], `extends cycle: ${loop}`, 'one of these services must stop extending the next');
}
