import * as path from 'node:path';
import { ConfigError, ProjectNotFoundError } from '../errors.js';
import type { Project } from '../model/project.js';
import { recordOrigins } from '../model/origins.js';
import { canonicalizeTree } from './canonical.js';
import { configErrorAt } from './config-error.js';
import { checkConsistency } from './consistency.js';
import { discoverComposeFiles, STDIN_FILE } from './discover.js';
import { parseDotenv } from './dotenv.js';
import { isTruthy, layerEnvironment, selectEnvFiles, selectProfiles, type EnvRecord } from './environment.js';
import { applyExtends, type ExtendsSource } from './extends.js';
import type { FileSystem } from './file-system.js';
import { collectIncludes, type IncludeEntry } from './include.js';
import { interpolateTree } from './interpolate.js';
import type { KeyPath } from './locator.js';
import { mergeTrees } from './merge.js';
import { normalizeTree } from './normalize.js';
import type { LoadOptions } from './load.js';
import { parseComposeText, type ComposeParser, type ParsedDocument } from './parse.js';
import { checkProfileDependencies, selectByProfiles } from './profiles.js';
import { resolveProjectName } from './project-name.js';
import { resolveTreePaths } from './resolve-paths.js';
import { resolveServiceEnvironment } from './service-environment.js';
import { resolveLabelFiles } from './service-labels.js';
import { substituteTemplate } from './template.js';
import { bindProject } from './to-project.js';
import { cloneTree, isMapping, type Mapping } from './tree.js';
import { validateStage } from './validate-stage.js';
import { combineLocators, type YamlLocator } from './yaml-locator.js';

/** What load.ts hands the pipeline: the caller's options, and the parser (a cache may stand in front of it). */
export interface PipelineOptions extends LoadOptions {
  readonly parse?: ComposeParser;
}

/** Where the project is and what feeds interpolation, before any compose file is parsed. */
export interface ProjectContext {
  readonly files: readonly string[];
  readonly projectDirectory: string;
  readonly environment: Record<string, string>;
  readonly envFiles: readonly string[];
  readonly profiles: readonly string[];
  readonly warnings: string[];
}

/** A compose file after the per-file stages, ready to merge. */
interface LoadedDocument {
  readonly tree: Mapping;
  readonly resets: readonly KeyPath[];
  readonly overrides: readonly KeyPath[];
  readonly locator: YamlLocator;
}

/** Stage 1: files, project directory, environment layers and profiles. */
export function resolveProjectContext(options: PipelineOptions, fs: FileSystem): ProjectContext {
  const warnings: string[] = [];
  const osEnv = withoutUndefined(options.env);
  const workdir = options.projectDirectory === undefined ? options.cwd : path.resolve(options.cwd, options.projectDirectory);
  const disabled = isTruthy(osEnv['COMPOSE_DISABLE_ENV_FILE']);
  const explicit = selectEnvFiles(options.envFiles, osEnv, (f) => path.resolve(options.cwd, f));
  const readEnv = (file: string, required: boolean, lookup: EnvRecord): Record<string, string> | undefined => {
    if (!fs.isFile(file)) {
      if (required) throw new ProjectNotFoundError(`env file not found: ${file}`, 'check the path given with --env-file or COMPOSE_ENV_FILES');
      return undefined;
    }
    return Object.fromEntries(parseDotenv(fs.readText(file), { file, lookup: (name) => lookup[name] }));
  };
  const envFiles: string[] = [];
  const layers: EnvRecord[] = [osEnv];
  if (explicit.length > 0) {
    const merged: Record<string, string> = {};
    for (const file of explicit) {
      // A later --env-file beats an earlier one, and sees the values it set.
      Object.assign(merged, readEnv(file, true, { ...merged, ...osEnv }));
      envFiles.push(file);
    }
    layers.push(merged);
  } else if (!disabled) {
    const file = path.join(workdir, '.env');
    const values = readEnv(file, false, osEnv);
    if (values !== undefined) {
      layers.push(values);
      envFiles.push(file);
    }
  }
  const firstEnv = layerEnvironment(layers);
  const discovered = discoverComposeFiles(
    { cwd: options.cwd, env: firstEnv, ...optional('files', options.files), ...optional('projectDirectory', options.projectDirectory) },
    fs,
  );
  warnings.push(...discovered.warnings);
  if (explicit.length === 0 && !disabled && discovered.projectDirectory !== workdir) {
    const file = path.join(discovered.projectDirectory, '.env');
    const values = readEnv(file, false, firstEnv);
    if (values !== undefined) {
      layers.push(values);
      envFiles.push(file);
    }
  }
  const environment = layerEnvironment(layers);
  return {
    files: discovered.files,
    projectDirectory: discovered.projectDirectory,
    environment,
    envFiles,
    profiles: selectProfiles(options.profiles, environment),
    warnings,
  };
}

/** The whole loader: discovery to the typed project. */
export async function runPipeline(options: PipelineOptions, fs: FileSystem): Promise<{ project: Project; warnings: string[] }> {
  const context = resolveProjectContext(options, fs);
  const loader = new ProjectLoader(options, fs, context);
  return loader.load();
}

/** Reads every compose file and returns its parsed documents, in order. */
async function parseFiles(files: readonly string[], options: PipelineOptions, fs: FileSystem): Promise<ParsedDocument[]> {
  const out: ParsedDocument[] = [];
  for (const file of files) {
    if (file === STDIN_FILE) {
      if (options.readStdin === undefined) throw new ProjectNotFoundError('-f - reads stdin, but no stdin is available here');
      out.push(...parseComposeText(await options.readStdin(), '(stdin)'));
    } else out.push(...(options.parse ?? parseComposeText)(fs.readText(file), file));
  }
  return out;
}

class ProjectLoader {
  private readonly warnings: string[];
  private readonly unset = new Set<string>();
  private readonly interpolate: boolean;
  private readonly resolvePaths: boolean;
  private readonly fileCache = new Map<string, ExtendsSource>();
  private environment: Record<string, string>;

  constructor(
    private readonly options: PipelineOptions,
    private readonly fs: FileSystem,
    private readonly context: ProjectContext,
  ) {
    this.warnings = [...context.warnings];
    this.interpolate = options.interpolate ?? true;
    this.resolvePaths = options.resolvePaths ?? true;
    this.environment = { ...context.environment };
  }

  async load(): Promise<{ project: Project; warnings: string[] }> {
    const { context } = this;
    const documents = await parseFiles(context.files, this.options, this.fs);
    const name = resolveProjectName({
      flag: this.options.projectName,
      env: context.environment['COMPOSE_PROJECT_NAME'],
      fromFiles: this.nameFromFiles(documents),
      projectDirectory: context.projectDirectory,
    }).name;
    this.environment['COMPOSE_PROJECT_NAME'] = name;

    let merged: Mapping = {};
    const locators: YamlLocator[] = [];
    for (const doc of documents) {
      const loaded = this.loadDocument(doc, context.projectDirectory, this.environment, []);
      merged = mergeTrees(merged, loaded);
      locators.push(loaded.locator);
    }
    const locator = combineLocators(locators);
    if (merged['version'] !== undefined) {
      this.warnings.push('the top-level `version` is obsolete and ignored; remove it');
      delete merged['version'];
    }
    delete merged['name'];
    delete merged['include'];
    const tree =
      this.options.normalize === false
        ? merged
        : normalizeTree(merged, { projectName: name, projectDirectory: context.projectDirectory, resolvePaths: this.resolvePaths });
    if (this.options.normalize === false) this.nameResourcesOnly(tree, name);
    checkConsistency(tree, locator);

    const allServices = isMapping(tree['services']) ? tree['services'] : {};
    const lookup = (key: string): string | undefined => this.environment[key];
    const resolved: Mapping = {};
    for (const [serviceName, service] of Object.entries(allServices)) {
      const s = service as Mapping;
      resolved[serviceName] = {
        ...s,
        environment: resolveServiceEnvironment(s, ['services', serviceName], {
          lookup,
          locator,
          interpolate: this.interpolate,
          readFile: (file) => {
            const absolute = path.resolve(context.projectDirectory, file);
            return this.fs.isFile(absolute) ? this.fs.readText(absolute) : undefined;
          },
        }),
        ...resolveLabelFiles(s, ['services', serviceName], {
          locator,
          readFile: (file) => {
            const absolute = path.resolve(context.projectDirectory, file);
            return this.fs.isFile(absolute) ? this.fs.readText(absolute) : undefined;
          },
        }),
      };
    }
    for (const named of this.options.services ?? []) {
      if (!(named in resolved)) {
        throw new ConfigError(`no such service: ${named}`, { hint: `the services are: ${Object.keys(resolved).sort().join(', ')}` });
      }
    }
    const selection = selectByProfiles(resolved, context.profiles, this.options.services ?? []);
    const enabled = checkProfileDependencies(resolved, selection, locator, this.warnings);
    const disabled: Mapping = {};
    for (const n of selection.disabled) disabled[n] = resolved[n];

    const project = bindProject({
      tree,
      name,
      workingDir: context.projectDirectory,
      configFiles: context.files.map((f) => (f === STDIN_FILE ? path.join(context.projectDirectory, '-') : f)),
      envFiles: context.envFiles,
      environment: this.environment,
      services: enabled,
      disabled,
      profiles: selection.profiles,
    });
    recordOrigins(project, (at) => {
      const position = locator.position(at);
      const sourceLine = position === undefined ? undefined : locator.line(position.line);
      return position === undefined ? undefined : { ...position, ...(sourceLine === undefined ? {} : { sourceLine }) };
    });
    return { project, warnings: this.warnings };
  }

  /** The last `name:` among the files, interpolated on its own (before COMPOSE_PROJECT_NAME is known). */
  private nameFromFiles(documents: readonly ParsedDocument[]): string | undefined {
    let name: string | undefined;
    for (const doc of documents) {
      const raw = doc.tree['name'];
      if (raw === undefined || raw === null) continue;
      const text = String(raw);
      try {
        name = this.interpolate ? substituteTemplate(text, { lookup: (k) => this.context.environment[k] }) : text;
      } catch (error) {
        throw configErrorAt(doc.locator, ['name'], `name: ${(error as Error).message}`);
      }
    }
    return name;
  }

  private nameResourcesOnly(tree: Mapping, projectName: string): void {
    for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
      const resources = isMapping(tree[section]) ? tree[section] : {};
      for (const [key, value] of Object.entries(resources)) {
        const resource = isMapping(value) ? value : {};
        if (typeof resource['name'] !== 'string') {
          resource['name'] = resource['external'] === true ? key : `${projectName}_${key}`;
        }
        resources[key] = resource;
      }
    }
  }

  /** Stages 3 to 5 for one document: interpolate, validate, canonical, paths, include, extends. */
  private loadDocument(doc: ParsedDocument, baseDir: string, environment: Record<string, string>, includeStack: readonly string[]): LoadedDocument {
    const lookup = (key: string): string | undefined => environment[key];
    const interpolated = interpolateTree(doc.tree, {
      lookup,
      locator: doc.locator,
      substitute: this.interpolate,
      unset: this.unset,
      warnings: this.warnings,
    });
    validateStage(interpolated, doc.locator);
    let tree = canonicalizeTree(interpolated, { lookup, locator: doc.locator, keepTemplates: !this.interpolate });
    const fileDir = doc.file === '(stdin)' ? baseDir : path.dirname(doc.file);
    if (this.resolvePaths) tree = resolveTreePaths(tree, { baseDir, fileDir, home: environment['HOME'] });
    else tree = resolveTreePaths(tree, { baseDir, fileDir, home: environment['HOME'], onlyReferences: true });
    if (tree['include'] !== undefined) {
      const stack = [...includeStack, doc.file];
      const imported = collectIncludes(tree, doc.locator, {
        loadIncluded: (entry, at) => this.loadIncluded(entry, at, doc, environment, stack),
      });
      const own: Mapping = { ...tree };
      delete own['include'];
      tree = mergeTrees(imported, { tree: own, resets: doc.resets, overrides: doc.overrides });
    }
    tree = applyExtends(
      { file: doc.file, tree, locator: doc.locator, resets: doc.resets, overrides: doc.overrides },
      { loadFile: (file) => this.loadExtendsFile(file, environment) },
    );
    return { tree, resets: doc.resets, overrides: doc.overrides, locator: doc.locator };
  }

  private loadExtendsFile(file: string, environment: Record<string, string>): ExtendsSource {
    const cached = this.fileCache.get(file);
    if (cached !== undefined) return cached;
    if (!this.fs.isFile(file)) throw new ProjectNotFoundError(`extends: file not found: ${file}`, 'check extends.file');
    const docs = (this.options.parse ?? parseComposeText)(this.fs.readText(file), file);
    let tree: Mapping = {};
    const locators: YamlLocator[] = [];
    for (const doc of docs) {
      // Paths in a base file are relative to that file, not to the project.
      const loaded = this.loadDocument(doc, path.dirname(file), environment, []);
      tree = mergeTrees(tree, loaded);
      locators.push(loaded.locator);
    }
    const source: ExtendsSource = { file, tree, locator: combineLocators(locators) };
    this.fileCache.set(file, source);
    return source;
  }

  private loadIncluded(entry: IncludeEntry, at: KeyPath, parent: ParsedDocument, parentEnv: Record<string, string>, stack: readonly string[]): Mapping {
    for (const file of entry.paths) {
      if (stack.includes(file)) {
        throw configErrorAt(parent.locator, at, `include cycle: ${[...stack, file].map((f) => path.basename(f)).join(' -> ')}`);
      }
      if (!this.fs.isFile(file)) {
        throw configErrorAt(parent.locator, at, `included file not found: ${file}`, 'check the include path');
      }
    }
    // The included project's env files give defaults; the including project's environment wins.
    const envFiles = entry.envFiles ?? [path.join(entry.projectDirectory, '.env')];
    let defaults: Record<string, string> = {};
    for (const file of envFiles) {
      if (!this.fs.isFile(file)) {
        if (entry.envFiles !== undefined) throw configErrorAt(parent.locator, at, `env file not found: ${file}`);
        continue;
      }
      defaults = { ...defaults, ...Object.fromEntries(parseDotenv(this.fs.readText(file), { file, lookup: (k) => parentEnv[k] })) };
    }
    const environment = layerEnvironment([parentEnv, defaults]);
    let tree: Mapping = {};
    for (const file of entry.paths) {
      for (const doc of (this.options.parse ?? parseComposeText)(this.fs.readText(file), file)) {
        const loaded = this.loadDocument(doc, entry.projectDirectory, environment, stack);
        tree = mergeTrees(tree, loaded);
      }
    }
    return cloneTree(tree);
  }
}

function withoutUndefined(env: EnvRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
