import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProject, type LoadOptions, type LoadResult } from '../../../src/config/load.js';
import { parseComposeText } from '../../../src/config/parse.js';
import type { Mapping } from '../../../src/config/tree.js';

/** Files to write, relative path → text. */
export type FileSet = Readonly<Record<string, string | Uint8Array>>;

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-loader-'));
}

export function writeFiles(root: string, files: FileSet): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` into a fresh temp dir (as `<tmp>/app/...`), loads, cleans up. */
export async function loadFiles(
  files: FileSet,
  options: Partial<LoadOptions> & { cwdRel?: string } = {},
): Promise<LoadResult & { root: string }> {
  const root = makeTempDir();
  try {
    const app = path.join(root, 'app');
    fs.mkdirSync(app);
    writeFiles(app, files);
    const { cwdRel, ...rest } = options;
    const result = await loadProject({ cwd: path.join(app, cwdRel ?? '.'), env: {}, ...rest });
    return { ...result, root: app };
  } finally {
    removeDir(root);
  }
}

/** Loads one compose file given as text. */
export async function loadYaml(yaml: string, options: Partial<LoadOptions> = {}): Promise<LoadResult & { root: string }> {
  return loadFiles({ 'compose.yaml': yaml }, options);
}

/** The error a load throws; fails when it does not throw. */
export async function loadError(files: FileSet | string, options: Partial<LoadOptions> = {}): Promise<Error> {
  try {
    await (typeof files === 'string' ? loadYaml(files, options) : loadFiles(files, options));
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the load to fail');
}

export function parseOne(yaml: string, file = 'compose.yaml'): Mapping {
  return parseComposeText(yaml, file)[0]!.tree;
}

/** Strips undefined for deepEqual against literals. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
