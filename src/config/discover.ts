import * as path from 'node:path';
import { ProjectNotFoundError } from '../errors.js';
import type { ConfigReader } from './config-reader.js';

export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
export const OVERRIDE_FILE_NAMES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
] as const;

/** The stdin marker in `-f -`. */
export const STDIN_FILE = '-';

export interface DiscoverInput {
  readonly cwd: string;
  /** `-f` values. */
  readonly files?: readonly string[];
  readonly projectDirectory?: string;
  /** The environment after env files: COMPOSE_FILE and COMPOSE_PATH_SEPARATOR are read from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface Discovered {
  /** Absolute paths, or `-` for stdin. */
  readonly files: readonly string[];
  readonly projectDirectory: string;
  readonly warnings: readonly string[];
}

/** Which compose files to read and which directory relative paths resolve against. */
export function discoverComposeFiles(input: DiscoverInput, fs: ConfigReader): Discovered {
  const warnings: string[] = [];
  const workdir = input.projectDirectory === undefined ? input.cwd : path.resolve(input.cwd, input.projectDirectory);
  let files = selectNamedFiles(input);
  if (files.length === 0) files = findDefaultFiles(workdir, fs, warnings);
  for (const file of files) {
    if (file !== STDIN_FILE && !fs.isFile(file)) {
      throw new ProjectNotFoundError(
        `compose file not found: ${file}`,
        fs.isDirectory(file) ? 'this is a directory; name a file inside it' : 'check the path given with -f or COMPOSE_FILE',
      );
    }
  }
  const first = files[0]!;
  const projectDirectory =
    input.projectDirectory !== undefined ? workdir : first === STDIN_FILE ? input.cwd : path.dirname(first);
  return { files, projectDirectory, warnings };
}

function selectNamedFiles(input: DiscoverInput): string[] {
  const named = input.files ?? [];
  if (named.length > 0) return named.map((f) => (f === STDIN_FILE ? f : path.resolve(input.cwd, f)));
  const fromEnv = input.env['COMPOSE_FILE'];
  if (fromEnv === undefined || fromEnv === '') return [];
  const separator = input.env['COMPOSE_PATH_SEPARATOR'] || path.delimiter;
  const base = input.projectDirectory === undefined ? input.cwd : path.resolve(input.cwd, input.projectDirectory);
  return fromEnv
    .split(separator)
    .filter((f) => f !== '')
    .map((f) => path.resolve(base, f));
}

/** The first default name in `workdir` or, failing that, in the nearest parent; then its override file. */
export function findDefaultFiles(workdir: string, fs: ConfigReader, warnings: string[]): string[] {
  const searched: string[] = [];
  let dir = workdir;
  for (;;) {
    searched.push(dir);
    const found = DEFAULT_FILE_NAMES.map((name) => path.join(dir, name)).filter((f) => fs.isFile(f));
    if (found.length > 0) {
      if (found.length > 1) {
        warnings.push(`Found several compose files in ${dir}: ${found.map((f) => path.basename(f)).join(', ')}; using ${path.basename(found[0]!)}`);
      }
      const override = OVERRIDE_FILE_NAMES.map((name) => path.join(dir, name)).find((f) => fs.isFile(f));
      return override === undefined ? [found[0]!] : [found[0]!, override];
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ProjectNotFoundError(
    `no compose file found in ${workdir} or any parent directory (looked in: ${searched.join(', ')})`,
    `create ${DEFAULT_FILE_NAMES[0]} in ${workdir}, name a file with -f, or set COMPOSE_FILE`,
  );
}
