import * as path from 'node:path';
import { canonicalizeTree } from './canonical.js';
import { configErrorAt } from './config-error.js';
import { readNamedFile, type ConfigReader, type NamedAt } from './config-reader.js';
import { parseDotenv } from './dotenv.js';
import { layerEnvironment, lookupIn } from './environment.js';
import { applyExtends, type ExtendsSource } from './extends.js';
import { collectIncludes, type IncludeEntry } from './include.js';
import { interpolateTree } from './interpolate.js';
import type { KeyPath } from './locator.js';
import { mergeTrees } from './merge.js';
import type { ComposeParser, ParsedDocument } from './parse.js';
import { resolveTreePaths } from './resolve-paths.js';
import { cloneTree, isMapping, type Mapping } from './tree.js';
import { validateStage } from './validate-stage.js';
import { combineLocators, type YamlLocator } from './yaml-locator.js';

/**
 * What every document of one load shares: the reader and parser (the I/O edge), the caller's
 * switches, and three sinks that only ever grow: warnings, variables already warned about, and
 * extends files already loaded.
 */
export interface DocumentLoad {
  readonly reader: ConfigReader;
  readonly parse: ComposeParser;
  readonly interpolate: boolean;
  readonly resolvePaths: boolean;
  readonly warnings: string[];
  readonly unset: Set<string>;
  readonly extendsFiles: Map<string, ExtendsSource>;
}

/** Where a document is read from: the directory its relative paths resolve against and its environment. */
export interface DocumentScope {
  readonly baseDir: string;
  readonly environment: Readonly<Record<string, string>>;
  /** Files of the include chain above this document, to find a cycle. */
  readonly includeStack: readonly string[];
}

/** A compose document after the per-file stages, ready to merge. */
export interface LoadedDocument {
  readonly tree: Mapping;
  readonly resets: readonly KeyPath[];
  readonly overrides: readonly KeyPath[];
  readonly locator: YamlLocator;
}

/**
 * Stages 4 to 9 for one document, each a function over the tree the previous one gave:
 * interpolate, validate, canonical form, paths, include, extends.
 */
export function loadDocument(doc: ParsedDocument, scope: DocumentScope, load: DocumentLoad): LoadedDocument {
  const prepared = prepareDocument(doc, scope, load);
  const tree = applyExtends(
    { file: doc.file, tree: prepared, locator: doc.locator, resets: doc.resets, overrides: doc.overrides },
    { loadFile: (file, at) => loadExtendsFile(file, at, scope.environment, load) },
  );
  return { tree, resets: doc.resets, overrides: doc.overrides, locator: doc.locator };
}

/** Stages 4 to 8: everything but extends, which is resolved service by service across files. */
function prepareDocument(doc: ParsedDocument, scope: DocumentScope, load: DocumentLoad): Mapping {
  const lookup = lookupIn(scope.environment);
  const interpolated = interpolateTree(doc.tree, {
    lookup,
    locator: doc.locator,
    substitute: load.interpolate,
    unset: load.unset,
    warnings: load.warnings,
  });
  validateStage(interpolated, doc.locator, !load.interpolate);
  const canonical = canonicalizeTree(interpolated, { lookup, locator: doc.locator, keepTemplates: !load.interpolate });
  const fileDir = doc.file === '(stdin)' ? scope.baseDir : path.dirname(doc.file);
  const resolved = resolveTreePaths(canonical, {
    baseDir: scope.baseDir,
    fileDir,
    home: scope.environment['HOME'],
    onlyReferences: !load.resolvePaths,
  });
  return applyIncludes(doc, resolved, scope, load);
}

/** Merges a list of loaded documents in order, later over earlier. */
export function mergeDocuments(documents: readonly LoadedDocument[]): { tree: Mapping; locator: YamlLocator } {
  let tree: Mapping = {};
  for (const doc of documents) tree = mergeTrees(tree, doc);
  return { tree, locator: combineLocators(documents.map((d) => d.locator)) };
}

/** Stage 8: the resources of included projects, with the document's own tree merged over them. */
function applyIncludes(doc: ParsedDocument, tree: Mapping, scope: DocumentScope, load: DocumentLoad): Mapping {
  if (tree['include'] === undefined) return tree;
  const stack = [...scope.includeStack, doc.file];
  const imported = collectIncludes(tree, doc.locator, {
    loadIncluded: (entry, at) => loadIncluded(entry, at, doc, scope.environment, stack, load),
  });
  const own: Mapping = { ...tree };
  delete own['include'];
  return mergeTrees(imported, { tree: own, resets: doc.resets, overrides: doc.overrides });
}

function loadIncluded(
  entry: IncludeEntry,
  at: KeyPath,
  parent: ParsedDocument,
  parentEnv: Readonly<Record<string, string>>,
  stack: readonly string[],
  load: DocumentLoad,
): Mapping {
  const named = { locator: parent.locator, path: at };
  const texts = entry.paths.map((file) => {
    if (stack.includes(file)) {
      throw configErrorAt(parent.locator, at, `include cycle: ${[...stack, file].map((f) => path.basename(f)).join(' -> ')}`);
    }
    const text = readNamedFile(load.reader, file, 'included file', named);
    if (text === undefined) throw configErrorAt(parent.locator, at, `included file not found: ${file}`, 'check the include path');
    return { file, text };
  });
  // The included project's env files give defaults; the including project's environment wins.
  const envFiles = entry.envFiles ?? [path.join(entry.projectDirectory, '.env')];
  let defaults: Record<string, string> = {};
  for (const file of envFiles) {
    const text = readNamedFile(load.reader, file, 'env file', named);
    if (text === undefined) {
      if (entry.envFiles !== undefined) throw configErrorAt(parent.locator, at, `env file not found: ${file}`);
      continue;
    }
    defaults = { ...defaults, ...Object.fromEntries(parseDotenv(text, { file, lookup: lookupIn(parentEnv) })) };
  }
  const scope: DocumentScope = {
    baseDir: entry.projectDirectory,
    environment: layerEnvironment([parentEnv, defaults]),
    includeStack: stack,
  };
  // As in Compose, an included project's paths are always resolved (--no-path-resolution is about
  // the including project's own), against its own folder.
  const own: DocumentLoad = { ...load, resolvePaths: true };
  const loaded = texts.flatMap(({ file, text }) => load.parse(text, file).map((doc) => loadDocument(doc, scope, own)));
  return withBuildContexts(cloneTree(mergeDocuments(loaded).tree), entry.projectDirectory);
}

/**
 * A build without `context` builds the folder of the project that declares it: for an included
 * project, its own project directory (the including project's default comes later, in normalize).
 */
function withBuildContexts(tree: Mapping, projectDirectory: string): Mapping {
  const services = tree['services'];
  if (!isMapping(services)) return tree;
  for (const service of Object.values(services)) {
    if (isMapping(service) && isMapping(service['build']) && service['build']['context'] === undefined) {
      service['build']['context'] = projectDirectory;
    }
  }
  return tree;
}

/**
 * An `extends.file`, loaded once per load through stages 4 to 8 (paths relative to that file).
 * Its own `extends` are left for the resolver, which follows them service by service with one
 * stack across files: a file may extend itself or a file that extends it, and a real cycle is
 * named instead of recursing forever.
 */
function loadExtendsFile(file: string, at: NamedAt, environment: Readonly<Record<string, string>>, load: DocumentLoad): ExtendsSource {
  const cached = load.extendsFiles.get(file);
  if (cached !== undefined) return cached;
  const text = readNamedFile(load.reader, file, 'extends file', at);
  if (text === undefined) throw configErrorAt(at.locator, at.path, `extends file not found: ${file}`, 'check extends.file: it is relative to the file that names it');
  const scope: DocumentScope = { baseDir: path.dirname(file), environment, includeStack: [] };
  const documents = load.parse(text, file).map((doc): LoadedDocument => {
    const tree = prepareDocument(doc, scope, load);
    return { tree, resets: doc.resets, overrides: doc.overrides, locator: doc.locator };
  });
  const merged = mergeDocuments(documents);
  const source: ExtendsSource = { file, tree: merged.tree, locator: merged.locator };
  load.extendsFiles.set(file, source);
  return source;
}
