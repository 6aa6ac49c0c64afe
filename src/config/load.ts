import * as fs from 'node:fs';
import type { Project } from '../model/project.js';
import type { FileSystem } from './file-system.js';
import { resolveProjectContext, runPipeline } from './pipeline.js';
import { parseComposeText } from './parse.js';
import { resolveProjectName } from './project-name.js';
import { substituteTemplate } from './template.js';

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
