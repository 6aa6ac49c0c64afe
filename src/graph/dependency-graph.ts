import { DependencyCycleError } from '../errors.js';

/** service → the services it depends on. Names that are not keys (disabled, external) are ignored. */
export type DependencyMap = Readonly<Record<string, readonly string[]>>;

/**
 * Services in an order where each comes after its dependencies, ties broken by name: Kahn's
 * algorithm with the ready services kept sorted. A loop, not recursion, so a chain of thousands of
 * services cannot overflow the stack (the `toposort` package recursed and did).
 */
export function startOrder(deps: DependencyMap): string[] {
  assertNoCycle(deps);
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const name of Object.keys(deps)) {
    const known = new Set((deps[name] ?? []).filter((d) => Object.hasOwn(deps, d)));
    waiting.set(name, known.size);
    for (const dep of known) {
      const list = dependents.get(dep);
      if (list === undefined) dependents.set(dep, [name]);
      else list.push(name);
    }
  }
  const ready = new NameHeap();
  for (const [name, count] of waiting) if (count === 0) ready.push(name);
  const out: string[] = [];
  for (let name = ready.pop(); name !== undefined; name = ready.pop()) {
    out.push(name);
    for (const next of dependents.get(name) ?? []) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return out;
}

/** A binary min-heap of names in code-point order. */
class NameHeap {
  private readonly items: string[] = [];

  push(name: string): void {
    const a = this.items;
    a.push(name);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= a[i]!) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  pop(): string | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < a.length && a[l]! < a[min]!) min = l;
        if (r < a.length && a[r]! < a[min]!) min = r;
        if (min === i) break;
        [a[min], a[i]] = [a[i]!, a[min]!];
        i = min;
      }
    }
    return top;
  }
}

export function stopOrder(deps: DependencyMap): string[] {
  return startOrder(deps).reverse();
}

/**
 * Finds a loop by depth-first search over names in sorted order, so the reported cycle is the
 * same on every run, and names it whole: a -> b -> c -> a. The search keeps its own stack.
 */
export function findCycle(deps: DependencyMap): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const root of Object.keys(deps).sort()) {
    if (state.get(root) !== undefined) continue;
    // Each frame: a service on the current path and the index of its next dependency to look at.
    const path: string[] = [root];
    const onPath = new Map<string, number>([[root, 0]]);
    const frames: { name: string; deps: string[]; next: number }[] = [{ name: root, deps: sortedDeps(deps, root), next: 0 }];
    state.set(root, 'visiting');
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const dep = frame.deps[frame.next++];
      if (dep === undefined) {
        frames.pop();
        path.pop();
        onPath.delete(frame.name);
        state.set(frame.name, 'done');
        continue;
      }
      const s = state.get(dep);
      if (s === 'visiting') return [...path.slice(onPath.get(dep)), dep];
      if (s === undefined) {
        state.set(dep, 'visiting');
        onPath.set(dep, path.length);
        path.push(dep);
        frames.push({ name: dep, deps: sortedDeps(deps, dep), next: 0 });
      }
    }
  }
  return undefined;
}

function sortedDeps(deps: DependencyMap, name: string): string[] {
  return (Object.hasOwn(deps, name) ? [...(deps[name] ?? [])] : []).filter((d) => Object.hasOwn(deps, d)).sort();
}

export function assertNoCycle(deps: DependencyMap): void {
  const cycle = findCycle(deps);
  if (cycle !== undefined) throw new DependencyCycleError(cycle);
}

/** The named services and everything they depend on, transitively. */
export function withDependencies(deps: DependencyMap, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  const todo = [...names];
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    if (out.has(name)) continue;
    out.add(name);
    if (Object.hasOwn(deps, name)) for (const dep of deps[name] ?? []) if (Object.hasOwn(deps, dep)) todo.push(dep);
  }
  return out;
}

/** The named services and everything that depends on them, transitively. */
export function withDependents(deps: DependencyMap, names: readonly string[]): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const [name, list] of Object.entries(deps)) {
    for (const dep of list) {
      const known = dependents.get(dep);
      if (known === undefined) dependents.set(dep, [name]);
      else known.push(name);
    }
  }
  const out = new Set<string>();
  const todo = [...names];
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    if (out.has(name)) continue;
    out.add(name);
    todo.push(...(dependents.get(name) ?? []));
  }
  return out;
}
