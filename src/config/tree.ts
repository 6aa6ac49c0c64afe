import type { KeyPath } from './locator.js';

/** A parsed compose document: plain objects, arrays and scalars only. */
export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function cloneTree<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneTree) as T;
  if (isMapping(value)) {
    const out: Mapping = {};
    for (const key of Object.keys(value)) out[key] = cloneTree(value[key]);
    return out as T;
  }
  return value;
}

export function getAt(tree: unknown, path: KeyPath): unknown {
  let node = tree;
  for (const part of path) {
    if (typeof part === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[part];
    } else {
      if (!isMapping(node)) return undefined;
      node = node[part];
    }
  }
  return node;
}

/** Removes the entry at `path` in place; the caller owns `tree`. */
export function deleteAt(tree: unknown, path: KeyPath): void {
  if (path.length === 0) return;
  const parent = getAt(tree, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (typeof last === 'number' && Array.isArray(parent)) parent.splice(last, 1);
  else if (typeof last === 'string' && isMapping(parent)) delete parent[last];
}

/** Object keys in code-point order, so output and error search never depend on file order. */
export function sortedKeys(value: Mapping): string[] {
  return Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
