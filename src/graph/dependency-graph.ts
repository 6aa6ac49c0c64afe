import toposort from 'toposort';
import { DependencyCycleError } from '../errors.js';

/** service → the services it depends on. Names that are not keys (disabled, external) are ignored. */
export type DependencyMap = Readonly<Record<string, readonly string[]>>;

/** Services in an order where each comes after its dependencies (ties broken by name). */
export function startOrder(deps: DependencyMap): string[] {
  assertNoCycle(deps);
  const names = Object.keys(deps).sort();
  const edges: [string, string][] = [];
  for (const name of names) {
    for (const dep of [...(deps[name] ?? [])].sort()) {
      if (Object.hasOwn(deps, dep)) edges.push([dep, name]);
    }
  }
  return toposort.array(names, edges);
}

export function stopOrder(deps: DependencyMap): string[] {
  return startOrder(deps).reverse();
}

/**
 * Finds a loop by depth-first search over names in sorted order, so the reported cycle is the
 * same on every run, and names it whole: a -> b -> c -> a.
 */
export function findCycle(deps: DependencyMap): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of [...(deps[name] ?? [])].sort()) {
      if (!Object.hasOwn(deps, dep)) continue;
      const s = state.get(dep);
      if (s === 'visiting') return [...stack.slice(stack.indexOf(dep)), dep];
      if (s === undefined) {
        const found = visit(dep);
        if (found !== undefined) return found;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(deps).sort()) {
    if (state.get(name) === undefined) {
      const found = visit(name);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export function assertNoCycle(deps: DependencyMap): void {
  const cycle = findCycle(deps);
  if (cycle !== undefined) throw new DependencyCycleError(cycle);
}

/** The named services and everything they depend on, transitively. */
export function withDependencies(deps: DependencyMap, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  const add = (name: string): void => {
    if (out.has(name)) return;
    out.add(name);
    for (const dep of deps[name] ?? []) if (Object.hasOwn(deps, dep)) add(dep);
  };
  names.forEach(add);
  return out;
}

/** The named services and everything that depends on them, transitively. */
export function withDependents(deps: DependencyMap, names: readonly string[]): Set<string> {
  const out = new Set<string>(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, list] of Object.entries(deps)) {
      if (!out.has(name) && list.some((d) => out.has(d))) {
        out.add(name);
        grew = true;
      }
    }
  }
  return out;
}
