import * as path from 'node:path';
import { ConfigError, ProjectNotFoundError } from '../errors.js';
import type { Project } from '../model/project.js';
import { recordOrigins } from '../model/origins.js';
import { configErrorAt } from './config-error.js';
import { readNamedFile, type ConfigReader } from './config-reader.js';
import { checkConsistency } from './consistency.js';
import { envBool } from './env-bool.js';
import { STDIN_FILE } from './discover.js';
import { lookupIn } from './environment.js';
import { loadDocument, mergeDocuments, type DocumentLoad } from './load-document.js';
import type { LoadOptions, LoadResult } from './load-options.js';
import type { Locator } from './locator.js';
import { normalizeTree } from './normalize.js';
import type { ComposeParser, ParsedDocument } from './parse.js';
import { checkProfileDependencies, selectByProfiles, servicesToRun } from './profiles.js';
import { resolveProjectContext, type ProjectContext } from './project-context.js';
import { resolveProjectName } from './project-name.js';
import { resolveServiceEnvironment } from './service-environment.js';
import { resolveLabelFiles } from './service-labels.js';
import { substituteTemplate } from './template.js';
import { bindProject } from './to-project.js';
import { isMapping, type Mapping } from './tree.js';

/** The pipeline's I/O edge: every file read goes through `reader`, every parse through `parse` (a cache may stand in front). */
export interface PipelineEdge {
  readonly reader: ConfigReader;
  readonly parse: ComposeParser;
}

/**
 * The whole loader, stage by stage (docs/loader.md describes each). Every stage is a function
 * over plain data that returns new data; only stages 1, 2, 4-9 (include, extends) and 12 read
 * files, and only through `edge.reader`.
 */
export async function runPipeline(options: LoadOptions, edge: PipelineEdge): Promise<LoadResult> {
  const interpolate = options.interpolate ?? true;
  const context = resolveProjectContext(options, edge.reader); //                       1. files, env, profiles
  const documents = await readComposeFiles(context.files, options, edge); //            2. read and parse
  const name = projectName(documents, context, options, interpolate); //                3. project name
  const environment = { ...context.environment, COMPOSE_PROJECT_NAME: name };
  const warnings = [...context.warnings];
  const load: DocumentLoad = {
    ...edge,
    interpolate,
    resolvePaths: options.resolvePaths ?? true,
    warnings,
    unset: new Set(),
    extendsFiles: new Map(),
  };
  const scope = { baseDir: context.projectDirectory, environment, includeStack: [] };
  const loaded = documents.map((doc) => loadDocument(doc, scope, load)); //             4-9. per document
  const merged = mergeDocuments(loaded); //                                             10. merge
  const model = withoutLoaderKeys(merged.tree, warnings); //                            11. drop version, name, include
  const tree = //                                                                       12. normalize (or name resources only)
    options.normalize === false
      ? nameResourcesOnly(model, name)
      : normalizeTree(model, { projectName: name, projectDirectory: context.projectDirectory, resolvePaths: load.resolvePaths });
  if (options.consistency !== false) checkConsistency(tree, merged.locator); //         13. consistency
  const services = isMapping(tree['services']) ? tree['services'] : {};
  const named = options.services ?? [];
  checkNamedServices(services, named); //                                              14. profiles and selection
  const selection = selectByProfiles(services, context.profiles, named);
  const runnable = checkProfileDependencies(services, selection, merged.locator, warnings);
  const enabled = withServiceFiles(runnable, servicesToRun(runnable, named), { //     15. env_file, label_file of what runs
    context, environment, locator: merged.locator, load, resolveEnvironment: options.resolveEnvironment ?? true,
  });
  const disabled: Mapping = {};
  for (const n of selection.disabled) disabled[n] = services[n];
  const project: Project = bindProject({ //                                            16. bind to the typed model, checked
    tree,
    name,
    workingDir: context.projectDirectory,
    configFiles: context.files.map((f) => (f === STDIN_FILE ? path.join(context.projectDirectory, '-') : f)),
    envFiles: context.envFiles,
    environment,
    services: enabled,
    disabled,
    profiles: selection.profiles,
    locator: merged.locator,
    templates: !interpolate,
  });
  recordOrigins(project, (at) => {
    const position = merged.locator.position(at);
    const sourceLine = position === undefined ? undefined : merged.locator.line(position.line);
    return position === undefined ? undefined : { ...position, ...(sourceLine === undefined ? {} : { sourceLine }) };
  });
  const compatible = options.compatibility === true || envBool(environment, 'COMPOSE_COMPATIBILITY');
  return { project: compatible ? { ...project, name_separator: '_' } : project, warnings, locator: merged.locator };
}

/** Stage 2: every compose file's documents, in order. */
async function readComposeFiles(files: readonly string[], options: LoadOptions, edge: PipelineEdge): Promise<ParsedDocument[]> {
  const out: ParsedDocument[] = [];
  for (const file of files) {
    if (file === STDIN_FILE) {
      if (options.readStdin === undefined) throw new ProjectNotFoundError('-f - reads stdin, but no stdin is available here');
      out.push(...edge.parse(await options.readStdin(), '(stdin)'));
      continue;
    }
    const text = readNamedFile(edge.reader, file, 'compose file');
    if (text === undefined) throw new ProjectNotFoundError(`compose file not found: ${file}`, 'check the path given with -f or COMPOSE_FILE');
    out.push(...edge.parse(text, file));
  }
  return out;
}

/** Stage 3: -p, COMPOSE_PROJECT_NAME, the last `name:` among the files (interpolated on its own), the folder. */
function projectName(documents: readonly ParsedDocument[], context: ProjectContext, options: LoadOptions, interpolate: boolean): string {
  let fromFiles: string | undefined;
  let namedIn: ParsedDocument | undefined;
  for (const doc of documents) {
    const raw = doc.tree['name'];
    if (raw === undefined || raw === null) continue;
    const text = String(raw);
    try {
      fromFiles = interpolate ? substituteTemplate(text, { lookup: lookupIn(context.environment) }) : text;
      namedIn = doc;
    } catch (error) {
      throw configErrorAt(doc.locator, ['name'], `name: ${(error as Error).message}`);
    }
  }
  try {
    return resolveProjectName({
      flag: options.projectName,
      env: context.environment['COMPOSE_PROJECT_NAME'],
      fromFiles,
      projectDirectory: context.projectDirectory,
    }).name;
  } catch (error) {
    // A `name:` that normalises to nothing is the file's to fix: point at it.
    if (error instanceof ConfigError && error.keyPath === 'name' && error.position === undefined && namedIn !== undefined) {
      throw configErrorAt(namedIn.locator, ['name'], error.message, error.hint);
    }
    throw error;
  }
}

/** Stage 11: the keys that only steer loading leave the model; `version` with a warning. */
function withoutLoaderKeys(tree: Mapping, warnings: string[]): Mapping {
  const { version, name: _name, include: _include, ...rest } = tree;
  if (version !== undefined) warnings.push('the top-level `version` is obsolete and ignored; remove it');
  return rest;
}

/** Stage 12 under `--no-normalize`: only the engine names of resources, which later stages need. */
function nameResourcesOnly(tree: Mapping, projectName: string): Mapping {
  const out: Mapping = { ...tree };
  for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    if (!isMapping(tree[section])) continue;
    const named: Mapping = {};
    for (const [key, value] of Object.entries(tree[section])) {
      const resource: Mapping = isMapping(value) ? { ...value } : {};
      if (typeof resource['name'] !== 'string') resource['name'] = resource['external'] === true ? key : `${projectName}_${key}`;
      named[key] = resource;
    }
    out[section] = named;
  }
  return out;
}

interface ServiceFiles {
  readonly context: ProjectContext;
  readonly environment: Readonly<Record<string, string>>;
  readonly locator: Locator;
  readonly load: DocumentLoad;
  /** false (`config --no-env-resolution`, commands that create nothing): env_file stays unread. */
  readonly resolveEnvironment: boolean;
}

/**
 * Stage 15: the env files and label files of the services that run, read through the reader. As
 * in Compose, a service that is not selected (another one named on the command line, or one
 * disabled by profiles) keeps its `env_file` and `label_file` unread, so a missing file of its
 * own breaks nothing.
 */
function withServiceFiles(services: Mapping, selected: ReadonlySet<string>, files: ServiceFiles): Mapping {
  const { context, environment, locator, load } = files;
  const out: Mapping = {};
  for (const [serviceName, service] of Object.entries(services)) {
    const s = service as Mapping;
    if (!selected.has(serviceName)) {
      out[serviceName] = s;
      continue;
    }
    out[serviceName] = {
      ...s,
      ...(files.resolveEnvironment
        ? {
          environment: resolveServiceEnvironment(s, ['services', serviceName], {
            lookup: lookupIn(environment),
            locator,
            interpolate: load.interpolate,
            // Relative only under --no-path-resolution.
            readFile: (file, at) => readNamedFile(load.reader, path.resolve(context.projectDirectory, file), 'env file', { locator, path: at }),
          }),
        }
        : {}),
      ...resolveLabelFiles(s, ['services', serviceName], {
        locator,
        readFile: (file) => readNamedFile(load.reader, path.resolve(context.projectDirectory, file), 'label file', {
          locator, path: ['services', serviceName, 'label_file'],
        }),
      }),
    };
  }
  return out;
}

function checkNamedServices(services: Mapping, named: readonly string[]): void {
  for (const name of named) {
    if (!Object.hasOwn(services, name)) {
      throw new ConfigError(`no such service: ${name}`, { hint: `the services are: ${Object.keys(services).sort().join(', ')}` });
    }
  }
}
