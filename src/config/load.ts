import * as fs from 'node:fs';
import type { Project } from '../model/project.js';
import type { FileSystem } from './file-system.js';
import { resolveProjectContext, runPipeline } from './pipeline.js';
import { parseComposeText } from './parse.js';
import { resolveProjectName } from './project-name.js';
import { extractTemplateVariables, substituteTemplate, type TemplateVariable } from './template.js';

/** Everything the loader needs, passed in: it never reads process.env or process.argv itself. */
export interface LoadOptions {
  /** The directory the command runs in. */
  readonly cwd: string;
  /** `-f` values in order; `-` reads `stdin`. Empty: COMPOSE_FILE, then discovery. */
  readonly files?: readonly string[];
  readonly projectName?: string;
  readonly projectDirectory?: string;
  readonly envFiles?: readonly string[];
  readonly profiles?: readonly string[];
  /** The OS environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Services named on the command line: they are enabled whatever their profiles. */
  readonly services?: readonly string[];
  readonly interpolate?: boolean;
  readonly normalize?: boolean;
  readonly resolvePaths?: boolean;
  readonly readStdin?: () => Promise<string>;
}

export interface LoadResult {
  readonly project: Project;
  readonly warnings: readonly string[];
}

/** The real file system: the loader's only reads happen through this. */
export const nodeFileSystem: FileSystem = {
  isFile(path) {
    try {
      return fs.statSync(path).isFile();
    } catch {
      return false;
    }
  },
  isDirectory(path) {
    try {
      return fs.statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  readText(path) {
    return fs.readFileSync(path, 'utf8');
  },
};

export async function loadProject(options: LoadOptions): Promise<LoadResult> {
  return runPipeline(options, nodeFileSystem);
}

/**
 * The project name alone, for commands that can work from labels when no compose file is at hand
 * (`down -p x`, `ps -p x`): -p, COMPOSE_PROJECT_NAME, then the files' `name:` or folder if found.
 */
export async function loadProjectName(options: LoadOptions): Promise<string> {
  if (options.projectName !== undefined && options.projectName !== '') {
    return resolveProjectName({ flag: options.projectName, projectDirectory: options.cwd }).name;
  }
  const context = resolveProjectContext(options, nodeFileSystem);
  let fromFiles: string | undefined;
  for (const file of context.files) {
    const text = file === '-' ? await options.readStdin?.() : nodeFileSystem.readText(file);
    if (text === undefined) continue;
    for (const doc of parseComposeText(text, file)) {
      const raw = doc.tree['name'];
      if (raw !== undefined && raw !== null) fromFiles = substituteTemplate(String(raw), { lookup: (k) => context.environment[k] });
    }
  }
  return resolveProjectName({
    env: context.environment['COMPOSE_PROJECT_NAME'],
    fromFiles,
    projectDirectory: context.projectDirectory,
  }).name;
}

export interface ProjectVariable extends TemplateVariable {
  /** The value the environment gives it, if any. */
  readonly value?: string;
}

/** Every variable the compose files refer to, sorted by name (`config --variables`). */
export async function loadProjectVariables(options: LoadOptions): Promise<ProjectVariable[]> {
  const context = resolveProjectContext(options, nodeFileSystem);
  const found = new Map<string, ProjectVariable>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const variable of extractTemplateVariables(value)) {
        if (found.has(variable.name)) continue;
        const current = context.environment[variable.name];
        found.set(variable.name, { ...variable, ...(current === undefined ? {} : { value: current }) });
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  for (const file of context.files) {
    const text = file === '-' ? await options.readStdin?.() : nodeFileSystem.readText(file);
    if (text !== undefined) for (const doc of parseComposeText(text, file)) visit(doc.tree);
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
