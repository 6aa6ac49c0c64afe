import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Pair } from 'yaml';
import type { SourcePosition } from '../errors.js';
import type { KeyPath, Locator } from './locator.js';

/** A Locator over one YAML document, that can also say whether a path exists in it as written. */
export interface YamlLocator extends Locator {
  /** The position of `path` itself, or undefined when this document does not spell it out. */
  exact(path: KeyPath): SourcePosition | undefined;
  /** How many leading parts of `path` this document spells out. */
  depth(path: KeyPath): number;
}

interface Found {
  readonly offset: number;
  readonly depth: number;
}

/**
 * Positions are looked up lazily by walking the AST: a loader that succeeds never pays for them.
 * A mapping entry points at its key, a sequence item at the item.
 */
export function createYamlLocator(
  file: string,
  doc: Document.Parsed | undefined,
  lineCounter: LineCounter,
  lines: readonly string[],
): YamlLocator {
  const toPosition = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const find = (path: KeyPath): Found | undefined => {
    if (doc === undefined) return undefined;
    let node: unknown = doc.contents;
    let offset = (doc.contents as { range?: number[] } | null)?.range?.[0] ?? 0;
    let depth = 0;
    for (const part of path) {
      while (isAlias(node)) node = node.resolve(doc);
      if (typeof part === 'number' && isSeq(node)) {
        const item = node.items[part] as { range?: number[] } | undefined;
        if (item === undefined || item === null) break;
        node = item;
        offset = item.range?.[0] ?? offset;
      } else if (typeof part === 'string' && isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === part);
        if (pair === undefined) break;
        node = pair.value;
        offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
      } else break;
      depth++;
    }
    return { offset, depth };
  };
  return {
    file,
    position(path) {
      const found = find(path);
      return found === undefined ? { file, line: 1, column: 1 } : toPosition(found.offset);
    },
    exact(path) {
      const found = find(path);
      return found !== undefined && found.depth === path.length ? toPosition(found.offset) : undefined;
    },
    depth(path) {
      return find(path)?.depth ?? 0;
    },
    line(line) {
      return lines[line - 1];
    },
  };
}

/** Several documents merged into one model: a path is placed in the last document that spells it out. */
export function combineLocators(locators: readonly YamlLocator[]): YamlLocator {
  const pick = (path: KeyPath): YamlLocator | undefined => {
    let best: YamlLocator | undefined;
    let bestDepth = -1;
    for (let i = locators.length - 1; i >= 0; i--) {
      const locator = locators[i]!;
      const depth = locator.depth(path);
      if (depth === path.length) return locator;
      if (depth > bestDepth) {
        best = locator;
        bestDepth = depth;
      }
    }
    return best;
  };
  let lastPicked: YamlLocator | undefined;
  return {
    get file() {
      return lastPicked?.file ?? locators[0]?.file ?? '';
    },
    position(path) {
      lastPicked = pick(path);
      return lastPicked?.position(path);
    },
    exact(path) {
      for (let i = locators.length - 1; i >= 0; i--) {
        const position = locators[i]!.exact(path);
        if (position !== undefined) return position;
      }
      return undefined;
    },
    depth(path) {
      return Math.max(0, ...locators.map((l) => l.depth(path)));
    },
    line(line) {
      return lastPicked?.line(line) ?? locators[0]?.line(line);
    },
  };
}
