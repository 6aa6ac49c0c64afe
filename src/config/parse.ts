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
import { ConfigError } from '../errors.js';
import { formatKeyPath, type KeyPath } from './locator.js';
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

/** Enough to expand a billion-laughs file into the ground, few enough for any real compose file. */
export const MAX_ALIAS_EXPANSION = 10_000;

const MERGE_KEY = '<<';

/** Setting it on a plain object would change the object's prototype instead of adding a key. */
export const RESERVED_KEY = '__proto__';

/** Parses every document of a compose file. A syntax error is a ConfigError at file:line:column. */
export function parseComposeText(text: string, file: string): ParsedDocument[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, {
    lineCounter, merge: true, uniqueKeys: true, prettyErrors: true, customTags: (tags) => [legacyOctalTag, ...tags],
  });
  const lines = source.split(/\r?\n/);
  const docs = Array.isArray(documents) ? documents : [documents];
  const out: ParsedDocument[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const linePos = error.linePos?.[0];
      const line = linePos?.line ?? 1;
      const column = linePos?.col ?? 1;
      throw new ConfigError(`invalid YAML: ${describeYamlError(error.message)}`, {
        position: { file, line, column },
        sourceLine: lines[line - 1],
        hint: 'check the indentation and quoting around this line',
      });
    }
    const locator = createYamlLocator(file, doc, lineCounter, lines);
    const builder = new TreeBuilder(doc, locator);
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

function describeYamlError(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

/** Builds plain data from the YAML AST so that tags, merge keys and aliases are ours to decide. */
class TreeBuilder {
  readonly resets: KeyPath[] = [];
  readonly overrides: KeyPath[] = [];
  private expanded = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly locator: YamlLocator,
  ) {}

  build(node: unknown, path: KeyPath, viaAlias = false): unknown {
    if (viaAlias && ++this.expanded > MAX_ALIAS_EXPANSION) {
      throw new ConfigError(`too many alias expansions (more than ${MAX_ALIAS_EXPANSION})`, {
        position: this.locator.position(path),
        hint: 'the file expands anchors recursively; this looks like an alias bomb',
      });
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.buildAlias(node, path);
    if (isScalar(node)) return this.buildScalar(node);
    if (isMap(node)) return this.buildMap(node, path, viaAlias);
    if (isSeq(node)) return this.buildSeq(node, path, viaAlias);
    return null;
  }

  private buildAlias(alias: Alias, path: KeyPath): unknown {
    const target = alias.resolve(this.doc);
    if (target === undefined) {
      throw new ConfigError(`unknown YAML alias *${alias.source}`, { position: this.locator.position(path) });
    }
    return this.build(target, path, true);
  }

  private buildScalar(node: Scalar): unknown {
    if ((node.tag === '!reset' || node.tag === '!override') && node.type === 'PLAIN' && typeof node.source === 'string') {
      return parseYamlText(node.source) as unknown;
    }
    const value = node.value;
    if (typeof value === 'bigint') return Number(value);
    return value;
  }

  private buildSeq(node: YAMLSeq, path: KeyPath, viaAlias: boolean): unknown[] {
    const out: unknown[] = [];
    for (const item of node.items) {
      const tag = (item as YamlNode | null)?.tag;
      const itemPath = [...path, out.length];
      if (tag === '!reset') continue;
      if (tag === '!override' && !viaAlias) this.overrides.push(itemPath);
      out.push(this.build(item, itemPath, viaAlias));
    }
    return out;
  }

  private buildMap(node: YAMLMap, path: KeyPath, viaAlias: boolean): Mapping {
    const out: Mapping = {};
    const explicit = new Set<string>();
    const merges: unknown[] = [];
    for (const pair of node.items as Pair[]) {
      const keyNode = pair.key;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol' && keyNode.source === MERGE_KEY) {
        merges.push(pair.value);
        continue;
      }
      const key = this.keyOf(keyNode, path);
      explicit.add(key);
      const tag = (pair.value as YamlNode | null)?.tag;
      const childPath = [...path, key];
      if (tag === '!reset') {
        if (!viaAlias) this.resets.push(childPath);
        continue;
      }
      if (tag === '!override' && !viaAlias) this.overrides.push(childPath);
      out[key] = this.build(pair.value, childPath, viaAlias);
    }
    for (const merge of merges) this.applyMergeKey(out, explicit, merge, path);
    return out;
  }

  private applyMergeKey(out: Mapping, explicit: Set<string>, merge: unknown, path: KeyPath): void {
    const sources = isSeq(merge) ? merge.items : [merge];
    for (const source of sources) {
      const value = this.build(source, path, true);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ConfigError('a `<<` merge key must refer to a mapping or a list of mappings', {
          position: this.locator.position(path),
          keyPath: path.join('.'),
        });
      }
      for (const [key, v] of Object.entries(value as Mapping)) {
        // Explicit keys (even `!reset` ones) win over merged ones; earlier merge sources win over later ones.
        if (explicit.has(key) || Object.hasOwn(out, key)) continue;
        out[key] = v;
      }
    }
  }

  private keyOf(keyNode: unknown, path: KeyPath): string {
    if (isScalar(keyNode)) {
      const value = keyNode.value;
      if (value === null) return 'null';
      if (value === RESERVED_KEY) {
        throw new ConfigError(`"${RESERVED_KEY}" cannot be used as a key`, {
          position: this.locator.position(path),
          keyPath: formatKeyPath([...path, value]),
          hint: 'rename it: JavaScript reserves this name',
        });
      }
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    }
    if (isAlias(keyNode)) return this.keyOf(keyNode.resolve(this.doc), path);
    throw new ConfigError('mapping keys must be plain scalars', {
      position: this.locator.position(path),
      sourceLine: undefined,
    });
  }
}
