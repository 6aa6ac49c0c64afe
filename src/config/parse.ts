import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parse as parseYamlText,
  parseAllDocuments,
  type Alias,
  type Document,
  type Node as YamlNode,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { ConfigError, type SourcePosition } from '../errors.js';
import { formatKeyPath, type KeyPath } from './locator.js';
import { findControlCharacter, normalizeLineBreaks } from './text-checks.js';
import { createYamlLocator, type YamlLocator } from './yaml-locator.js';
import { legacyOctalTag } from './yaml-octal.js';
import type { Mapping } from './tree.js';

/** One YAML document of a compose file, as a plain tree plus where its keys came from. */
export interface ParsedDocument {
  readonly file: string;
  readonly tree: Mapping;
  readonly locator: YamlLocator;
  /** Paths tagged `!reset`: removed from what earlier files gave. */
  readonly resets: readonly KeyPath[];
  /** Paths tagged `!override`: replace what earlier files gave instead of merging with it. */
  readonly overrides: readonly KeyPath[];
}

/** A parser of compose text: parseComposeText, or a cache in front of it (load.ts). */
export type ComposeParser = (text: string, file: string) => ParsedDocument[];

/** What a cache keeps of a parsed document: the plain tree and its tags, not the YAML AST. */
export interface ParsedDocumentData {
  readonly tree: Mapping;
  readonly resets: readonly KeyPath[];
  readonly overrides: readonly KeyPath[];
}

/**
 * Bump when the trees parseComposeText builds change shape or meaning, so cached trees from an
 * older tscompose are not used.
 */
export const PARSED_TREE_FORMAT = 2;

export function toParsedDocumentData(docs: readonly ParsedDocument[]): ParsedDocumentData[] {
  return docs.map((d) => ({ tree: d.tree, resets: d.resets, overrides: d.overrides }));
}

/**
 * Documents rebuilt from cached trees. Positions are only needed to report an error, so the
 * locator parses the text again on first use instead of up front.
 */
export function restoreParsedDocuments(data: readonly ParsedDocumentData[], text: string, file: string): ParsedDocument[] {
  let reparsed: ParsedDocument[] | undefined;
  return data.map((d, index) => {
    let real: YamlLocator | undefined;
    const locator = (): YamlLocator => {
      reparsed ??= parseComposeText(text, file);
      real ??= (reparsed[index] ?? reparsed[0] as ParsedDocument).locator;
      return real;
    };
    return {
      file,
      tree: d.tree,
      resets: d.resets,
      overrides: d.overrides,
      locator: {
        file,
        position: (path) => locator().position(path),
        line: (line) => locator().line(line),
        exact: (path) => locator().exact(path),
        depth: (path) => locator().depth(path),
      },
    };
  });
}

/**
 * Bounds on the work one file may ask for, as Compose's YAML parser (go-yaml v3) bounds it:
 * nesting depth, the share of nodes that come from aliases (the same ratio rule: up to 99 % for
 * small files, falling to 10 % at four million nodes), and node visits overall. The size of what
 * aliases expand to is also bounded, since one large string aliased many times costs few nodes.
 */
export const LIMITS = {
  /** Mappings and sequences inside each other. The yaml library's composer recurses, and gives up near 800. */
  depth: 256,
  /** Nodes built, counting every node an alias expands to. */
  nodes: 4_000_000,
  /** Characters of scalars built through aliases. */
  aliasedCharacters: 64 * 1024 * 1024,
} as const;

/** go-yaml's allowedAliasRatio: the share of nodes that may come from aliases after `visits` nodes. */
export function allowedAliasRatio(visits: number): number {
  if (visits <= 400_000) return 0.99;
  if (visits >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((visits - 400_000) / 3_600_000);
}

const MERGE_KEY = '<<';

/** Setting it on a plain object would change the object's prototype instead of adding a key. */
export const RESERVED_KEY = '__proto__';

/** Parses every document of a compose file. A syntax error is a ConfigError at file:line:column. */
export function parseComposeText(text: string, file: string): ParsedDocument[] {
  const source = normalizeLineBreaks(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, {
    lineCounter, merge: true, uniqueKeys: false, prettyErrors: true, customTags: (tags) => [legacyOctalTag, ...tags],
  });
  const lines = source.split(/\r?\n/);
  const docs = Array.isArray(documents) ? documents : [documents];
  const control = findControlCharacter(source);
  if (control !== undefined) throw controlCharacterError(control, docs, file, lines);
  const out: ParsedDocument[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const linePos = error.linePos?.[0];
      const line = linePos?.line ?? 1;
      const column = linePos?.col ?? 1;
      const tooDeep = error.message.startsWith('Maximum call stack size exceeded');
      throw new ConfigError(tooDeep ? `nesting too deep (more than ${LIMITS.depth} levels)` : `invalid YAML: ${describeYamlError(error.message)}`, {
        position: { file, line, column },
        sourceLine: lines[line - 1],
        hint: tooDeep ? 'a compose file nests a few levels; this one nests hundreds' : 'check the indentation and quoting around this line',
      });
    }
    const locator = createYamlLocator(file, doc, lineCounter, lines);
    const builder = new TreeBuilder(doc, locator, (offset) => {
      const { line, col } = lineCounter.linePos(offset);
      return { file, line, column: col };
    });
    const value = builder.build(doc.contents, []);
    if (value === null || value === undefined) {
      out.push({ file, tree: {}, locator, resets: builder.resets, overrides: builder.overrides });
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError('a compose file must be a mapping at the top level', {
        position: locator.position([]),
        sourceLine: locator.line(locator.position([])?.line ?? 1),
        hint: 'start the file with keys such as `services:`',
      });
    }
    out.push({ file, tree: value as Mapping, locator, resets: builder.resets, overrides: builder.overrides });
  }
  if (!docs.some((doc) => doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null))) {
    // Nothing but comments, blank lines or a null: Compose refuses it too.
    throw new ConfigError(`empty compose file: ${file}`, {
      position: { file, line: 1, column: 1 },
      hint: 'add at least a `services:` mapping, or leave this file out of -f / COMPOSE_FILE',
    });
  }
  return out;
}

function controlCharacterError(
  control: NonNullable<ReturnType<typeof findControlCharacter>>,
  docs: readonly Document.Parsed[],
  file: string,
  lines: readonly string[],
): ConfigError {
  const { place } = control;
  const doc = docs.find((d) => d.errors.length === 0 && (d.range?.[0] ?? 0) <= place.offset && place.offset <= (d.range?.[2] ?? Infinity));
  const keyPath = doc === undefined ? [] : pathAtOffset(doc, place.offset);
  return new ConfigError(
    `control character ${control.name} at line ${place.line}, column ${place.column}${keyPath.length === 0 ? '' : ` in ${formatKeyPath(keyPath)}`}: not allowed in a compose file`,
    {
      position: { file, line: place.line, column: place.column },
      ...(keyPath.length === 0 ? {} : { keyPath: formatKeyPath(keyPath) }),
      ...(lines[place.line - 1] === undefined ? {} : { sourceLine: lines[place.line - 1] }),
      hint: 'remove it; to put such a character in a value, write an escape in double quotes ("\\e", "\\x7f")',
    },
  );
}

function describeYamlError(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

type ToPosition = (offset: number) => SourcePosition;

/** Builds plain data from the YAML AST so that tags, merge keys and aliases are ours to decide. */
class TreeBuilder {
  readonly resets: KeyPath[] = [];
  readonly overrides: KeyPath[] = [];
  private visits = 0;
  private aliased = 0;
  private aliasedCharacters = 0;
  private anchors: Map<Alias, YamlNode | undefined> | undefined;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly locator: YamlLocator,
    private readonly toPosition: ToPosition,
  ) {}

  // Recursive: LIMITS.depth bounds how deep, so the depth here is ours, not the user's.
  build(node: unknown, path: KeyPath, viaAlias = false, depth = 0): unknown {
    this.count(node, path, viaAlias);
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.buildAlias(node, path, depth);
    if (isScalar(node)) return this.buildScalar(node, viaAlias);
    if (depth >= LIMITS.depth) {
      throw this.errorAt(node, path, `nesting too deep (more than ${LIMITS.depth} levels)`, 'a compose file nests a few levels; this one nests hundreds');
    }
    if (isMap(node)) return this.buildMap(node, path, viaAlias, depth + 1);
    if (isSeq(node)) return this.buildSeq(node, path, viaAlias, depth + 1);
    return null;
  }

  private count(node: unknown, path: KeyPath, viaAlias: boolean): void {
    this.visits++;
    if (viaAlias) this.aliased++;
    if (this.visits > LIMITS.nodes) {
      throw this.limitError(node, path, `the file expands to more than ${LIMITS.nodes} nodes`);
    }
    if (viaAlias && this.aliased > 100 && this.visits > 1000 && this.aliased / this.visits > allowedAliasRatio(this.visits)) {
      throw this.limitError(node, path, `excessive aliasing: ${this.aliased} of ${this.visits} nodes come from aliases`);
    }
  }

  private limitError(node: unknown, path: KeyPath, message: string): ConfigError {
    return this.errorAt(node, path, message, 'the file expands anchors over and over; this looks like an alias bomb');
  }

  /** A ConfigError at `node` itself, with the key path and the source line. */
  private errorAt(node: unknown, path: KeyPath, message: string, hint: string): ConfigError {
    const position = this.at(node, path);
    const sourceLine = position === undefined ? undefined : this.locator.line(position.line);
    return new ConfigError(message, {
      ...(position === undefined ? {} : { position }),
      ...(path.length === 0 ? {} : { keyPath: formatKeyPath(path) }),
      ...(sourceLine === undefined ? {} : { sourceLine }),
      hint,
    });
  }

  /** Where `node` itself is written; the locator's answer for `path` when it has no range. */
  private at(node: unknown, path: KeyPath): SourcePosition | undefined {
    const offset = (node as { range?: number[] } | null)?.range?.[0];
    return offset === undefined ? this.locator.position(path) : this.toPosition(offset);
  }

  private buildAlias(alias: Alias, path: KeyPath, depth: number): unknown {
    const target = this.targetOf(alias);
    if (target === undefined) {
      throw this.errorAt(alias, path, `unknown YAML alias *${alias.source}`, `define the anchor &${alias.source} before this alias`);
    }
    return this.build(target, path, true, depth);
  }

  /** The anchored node an alias names: the last anchor of that name before it, found in one pass. */
  private targetOf(alias: Alias): YamlNode | undefined {
    this.anchors ??= resolveAnchors(this.doc);
    return this.anchors.get(alias);
  }

  private buildScalar(node: Scalar, viaAlias: boolean): unknown {
    if ((node.tag === '!reset' || node.tag === '!override') && node.type === 'PLAIN' && typeof node.source === 'string') {
      return parseYamlText(node.source) as unknown;
    }
    const value = node.value;
    if (viaAlias && typeof value === 'string') {
      this.aliasedCharacters += value.length;
      if (this.aliasedCharacters > LIMITS.aliasedCharacters) {
        throw this.limitError(node, [], `aliases expand to more than ${LIMITS.aliasedCharacters / (1024 * 1024)} MiB of text`);
      }
    }
    if (typeof value === 'bigint') return Number(value);
    return value;
  }

  private buildSeq(node: YAMLSeq, path: KeyPath, viaAlias: boolean, depth: number): unknown[] {
    const out: unknown[] = [];
    for (const item of node.items) {
      const tag = (item as YamlNode | null)?.tag;
      const itemPath = [...path, out.length];
      if (tag === '!reset') continue;
      if (tag === '!override' && !viaAlias) this.overrides.push(itemPath);
      out.push(this.build(item, itemPath, viaAlias, depth));
    }
    return out;
  }

  private buildMap(node: YAMLMap, path: KeyPath, viaAlias: boolean, depth: number): Mapping {
    const out: Mapping = {};
    const explicit = new Map<string, unknown>();
    const merges: unknown[] = [];
    for (const pair of node.items as Pair[]) {
      const keyNode = pair.key;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol' && keyNode.source === MERGE_KEY) {
        merges.push(pair.value);
        continue;
      }
      const key = this.keyOf(keyNode, path);
      if (explicit.has(key)) {
        // Checked here rather than by the yaml library, whose check is quadratic in the number of keys.
        const first = this.at(explicit.get(key), [...path, key]);
        throw this.errorAt(
          keyNode,
          [...path, key],
          `mapping key "${key}" already defined${first === undefined ? '' : ` at line ${first.line}`}`,
          'a key may appear once per mapping; remove one of the two entries or merge them',
        );
      }
      explicit.set(key, keyNode);
      const tag = (pair.value as YamlNode | null)?.tag;
      const childPath = [...path, key];
      if (tag === '!reset') {
        if (!viaAlias) this.resets.push(childPath);
        continue;
      }
      if (tag === '!override' && !viaAlias) this.overrides.push(childPath);
      out[key] = this.build(pair.value, childPath, viaAlias, depth);
    }
    for (const merge of merges) this.applyMergeKey(out, explicit, merge, path, depth);
    return out;
  }

  private applyMergeKey(out: Mapping, explicit: ReadonlyMap<string, unknown>, merge: unknown, path: KeyPath, depth: number): void {
    const sources = isSeq(merge) ? merge.items : [merge];
    for (const source of sources) {
      const value = this.build(source, path, true, depth);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw this.errorAt(source, path, 'a `<<` merge key must refer to a mapping or a list of mappings', 'write `<<: *anchor` where &anchor marks a mapping');
      }
      for (const [key, v] of Object.entries(value as Mapping)) {
        // Explicit keys (even `!reset` ones) win over merged ones; earlier merge sources win over later ones.
        if (explicit.has(key) || Object.hasOwn(out, key)) continue;
        out[key] = v;
      }
    }
  }

  /** Keys are strings, as in Compose: `1:`, `true:`, `~:` and collections as keys are refused. */
  private keyOf(keyNode: unknown, path: KeyPath): string {
    const node = isAlias(keyNode) ? this.targetOf(keyNode) : keyNode;
    if (isScalar(node) && typeof node.value === 'string') {
      if (node.value === RESERVED_KEY) {
        throw this.errorAt(keyNode, [...path, node.value], `"${RESERVED_KEY}" cannot be used as a key`, 'rename it: JavaScript reserves this name');
      }
      return node.value;
    }
    const where = path.length === 0 ? 'at the top level' : `in ${formatKeyPath(path)}`;
    if (isScalar(node)) {
      const written = typeof node.source === 'string' ? node.source : String(node.value);
      const shown = written === '' ? '~' : written;
      throw this.errorAt(keyNode, [...path, shown], `non-string key ${where}: ${shown}`, `keys are strings; quote it ("${shown}":) if it is meant as a name`);
    }
    const kind = isMap(node) ? 'a mapping' : isSeq(node) ? 'a sequence' : 'an empty key';
    throw this.errorAt(keyNode, path, `non-string key ${where}: ${kind} cannot be a key`, 'mapping keys must be plain strings');
  }
}

/**
 * Each alias's target: the last node anchored with its name before it, in document order. One
 * iterative pass, where `Alias.resolve` walks the whole document for every alias.
 */
function resolveAnchors(doc: Document.Parsed): Map<Alias, YamlNode | undefined> {
  const anchors = new Map<string, YamlNode>();
  const out = new Map<Alias, YamlNode | undefined>();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      out.set(node, anchors.get(node.source));
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    if (typeof node.anchor === 'string') anchors.set(node.anchor, node);
    if (isMap(node)) {
      const items = node.items as Pair[];
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]!.value, items[i]!.key);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return out;
}

/** The key path of the deepest entry whose key or value covers `offset`. */
function pathAtOffset(doc: Document.Parsed, offset: number): KeyPath {
  const path: (string | number)[] = [];
  const covers = (node: unknown): boolean => {
    const range = (node as { range?: number[] } | null)?.range;
    return range !== undefined && range[0]! <= offset && offset < range[2]!;
  };
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => covers(p.key) || covers(p.value));
      if (pair === undefined || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      if (!covers(pair.value)) return path;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex(covers);
      if (index === -1) return path;
      path.push(index);
      node = node.items[index];
    } else return path;
  }
}
