import type { KeyPath } from './locator.js';
import { portKey } from './canonical-ports.js';
import { compilePatterns, stepPatterns, valueOf, type PatternNode } from './path-pattern.js';
import { cloneTree, deleteAt, isMapping, type Mapping } from './tree.js';
import type { PortMapping } from '../model/project.js';

/**
 * Merges canonical trees, a later one over an earlier one, with Compose's per-path rules: mappings
 * merge, the later scalar wins, sequences append, and the table below says where that differs.
 */
type KeyOf = (item: unknown) => string;

export type MergeRule =
  | { readonly kind: 'replace' }
  | { readonly kind: 'unique' }
  | { readonly kind: 'by-key'; readonly key: KeyOf }
  | { readonly kind: 'logging' };

const replace: MergeRule = { kind: 'replace' };
const unique: MergeRule = { kind: 'unique' };
const byKey = (key: KeyOf): MergeRule => ({ kind: 'by-key', key });
const field = (name: string): KeyOf => (item) => (isMapping(item) ? String(item[name] ?? '') : JSON.stringify(item));
const fileTarget = (defaultDir: string): KeyOf => (item) => {
  if (!isMapping(item)) return JSON.stringify(item);
  const target = item['target'];
  if (typeof target === 'string' && target.startsWith('/')) return target;
  return `${defaultDir}${String(target ?? item['source'])}`;
};

const S = 'services.*';

export const MERGE_RULES: readonly (readonly [string, MergeRule])[] = [
  [`${S}.command`, replace],
  [`${S}.entrypoint`, replace],
  [`${S}.healthcheck.test`, replace],
  [`${S}.env_file`, byKey(field('path'))],
  [`${S}.label_file`, unique],
  [`${S}.extra_hosts.*`, unique],
  [`${S}.build.extra_hosts.*`, unique],
  [`${S}.ports`, byKey((p) => (isMapping(p) ? portKey(p as unknown as PortMapping) : JSON.stringify(p)))],
  [`${S}.volumes`, byKey(field('target'))],
  [`${S}.devices`, byKey(field('target'))],
  [`${S}.secrets`, byKey(fileTarget('/run/secrets/'))],
  [`${S}.configs`, byKey(fileTarget('/'))],
  [`${S}.build.secrets`, byKey(fileTarget('/run/secrets/'))],
  [`${S}.ulimits.*`, replace],
  [`${S}.build.ulimits.*`, replace],
  [`${S}.logging`, { kind: 'logging' }],
  [`${S}.networks.*.aliases`, unique],
  [`${S}.networks.*.link_local_ips`, unique],
  ['networks.*.ipam.config', byKey(field('subnet'))],
  ...[
    'dns',
    'dns_opt',
    'dns_search',
    'tmpfs',
    'expose',
    'cap_add',
    'cap_drop',
    'links',
    'external_links',
    'profiles',
    'security_opt',
    'group_add',
    'volumes_from',
    'build.tags',
    'build.platforms',
    'build.cache_from',
    'build.cache_to',
    'build.ssh',
  ].map((key) => [`${S}.${key}`, unique] as const),
];

const RULES: PatternNode<MergeRule> = compilePatterns(MERGE_RULES);

export interface MergeInput {
  readonly tree: Mapping;
  /** `!reset` paths of the later tree: removed from the earlier one first. */
  readonly resets?: readonly KeyPath[];
  /** `!override` paths of the later tree: taken as they are. */
  readonly overrides?: readonly KeyPath[];
}

/** `base` merged with `next` on top. Neither input is changed. */
export function mergeTrees(base: Mapping, next: MergeInput): Mapping {
  const start = cloneTree(base);
  for (const p of next.resets ?? []) deleteAt(start, p);
  for (const p of next.overrides ?? []) deleteAt(start, p);
  return mergeValues(start, next.tree, [RULES]) as Mapping;
}

/** The same rules under a sub-path, e.g. one service over another for `extends`. */
export function mergeAt(prefix: KeyPath, base: unknown, next: unknown): unknown {
  let nodes: PatternNode<MergeRule>[] = [RULES];
  for (const part of prefix) nodes = stepPatterns(nodes, part);
  return mergeValues(cloneTree(base), next, nodes);
}

function mergeValues(base: unknown, next: unknown, rules: PatternNode<MergeRule>[]): unknown {
  if (next === undefined) return base;
  const rule = rules.length === 0 ? undefined : valueOf(rules);
  if (rule?.kind === 'replace') return cloneTree(next);
  if (rule?.kind === 'logging') return mergeLogging(base, next);
  if (Array.isArray(base) && Array.isArray(next)) {
    if (rule?.kind === 'unique') return appendUnique(base, next, (item) => JSON.stringify(item));
    if (rule?.kind === 'by-key') return appendUnique(base, next, rule.key);
    return [...base, ...cloneTree(next)];
  }
  if (isMapping(base) && isMapping(next)) {
    const out: Mapping = base;
    for (const key of Object.keys(next)) {
      const value = next[key];
      if (value === null && isMapping(out[key])) continue;
      out[key] = Object.hasOwn(out, key) ? mergeValues(out[key], value, rules.length === 0 ? rules : stepPatterns(rules, key)) : cloneTree(value);
    }
    return out;
  }
  return cloneTree(next);
}

/** Later items replace earlier ones with the same key, in place; new ones are appended. */
function appendUnique(base: readonly unknown[], next: readonly unknown[], keyOf: KeyOf): unknown[] {
  const out: unknown[] = [];
  const index = new Map<string, number>();
  for (const item of [...base, ...next]) {
    const key = keyOf(item);
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(cloneTree(item));
    } else out[at] = cloneTree(item);
  }
  return out;
}

/** Options merge only when the driver stays the same; a new driver replaces the whole block. */
function mergeLogging(base: unknown, next: unknown): unknown {
  if (!isMapping(base) || !isMapping(next)) return cloneTree(next);
  const sameDriver = next['driver'] === undefined || base['driver'] === undefined || next['driver'] === base['driver'];
  if (!sameDriver) return cloneTree(next);
  const options = isMapping(base['options']) && isMapping(next['options']) ? { ...base['options'], ...next['options'] } : (next['options'] ?? base['options']);
  return { ...base, ...cloneTree(next), ...(options === undefined ? {} : { options: cloneTree(options) }) };
}
