import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SourcePosition } from '../../src/errors.js';
import type { KeyPath, Locator } from '../../src/config/locator.js';

/** A parsed YAML text: its plain tree and a Locator over its nodes, for tests. */
export interface ParsedYaml {
  readonly tree: unknown;
  readonly locator: Locator;
}

export function parseYamlWithLocator(text: string, file = 'compose.yaml'): ParsedYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, merge: true });
  if (document.errors.length > 0) throw new Error(`test YAML does not parse: ${document.errors[0]?.message}`);
  const lines = text.split(/\r?\n/);
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  return {
    tree: document.toJS(),
    locator: {
      file,
      position: (path) => {
        const offset = offsetOf(document, path);
        return offset === undefined ? undefined : at(offset);
      },
      line: (line) => lines[line - 1],
    },
  };
}

/** Start offset of the node at `path` (of its key, for a mapping entry); the nearest ancestor's when absent. */
function offsetOf(document: Document, path: KeyPath): number | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const part of path) {
    node = resolve(document, node);
    if (isSeq(node) && typeof part === 'number') {
      const item: unknown = node.items[part];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else if (isMap(node)) {
      const pair = findPair(document, node, String(part));
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
      node = pair.value;
    } else {
      break;
    }
  }
  return offset;
}

function findPair(document: Document, map: unknown, key: string): { key: unknown; value: unknown } | undefined {
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) return pair;
  }
  // Keys brought in by a `<<` merge key.
  for (const pair of map.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.source === '<<') {
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const found = findPair(document, resolve(document, source), key);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

function resolve(document: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
