/**
 * Dotted path patterns over a compose tree, as compose-go's tree paths: `services.*.ports.[].target`.
 * `*` matches any mapping key and `[]` any sequence index. Patterns are compiled into a trie once,
 * so a tree walk can carry its place in the trie instead of matching strings at every node.
 */
export interface PatternNode<T> {
  readonly keys: Map<string, PatternNode<T>>;
  anyKey: PatternNode<T> | undefined;
  anyItem: PatternNode<T> | undefined;
  value: T | undefined;
}

function newNode<T>(): PatternNode<T> {
  return { keys: new Map(), anyKey: undefined, anyItem: undefined, value: undefined };
}

export function compilePatterns<T>(entries: Iterable<readonly [string, T]>): PatternNode<T> {
  const root = newNode<T>();
  for (const [pattern, value] of entries) {
    let node = root;
    for (const part of pattern.split('.')) {
      if (part === '*') node = node.anyKey ??= newNode<T>();
      else if (part === '[]') node = node.anyItem ??= newNode<T>();
      else {
        let next = node.keys.get(part);
        if (next === undefined) {
          next = newNode<T>();
          node.keys.set(part, next);
        }
        node = next;
      }
    }
    node.value = value;
  }
  return root;
}

/** The trie nodes reached from `nodes` by one step along `key`. */
export function stepPatterns<T>(nodes: readonly PatternNode<T>[], key: string | number): PatternNode<T>[] {
  const out: PatternNode<T>[] = [];
  for (const node of nodes) {
    if (typeof key === 'number') {
      if (node.anyItem !== undefined) out.push(node.anyItem);
    } else {
      const exact = node.keys.get(key);
      if (exact !== undefined) out.push(exact);
      if (node.anyKey !== undefined) out.push(node.anyKey);
    }
  }
  return out;
}

export function valueOf<T>(nodes: readonly PatternNode<T>[]): T | undefined {
  for (const node of nodes) if (node.value !== undefined) return node.value;
  return undefined;
}
