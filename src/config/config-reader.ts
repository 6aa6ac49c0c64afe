import { ConfigError } from '../errors.js';
import { configErrorAt } from './config-error.js';
import type { KeyPath, Locator } from './locator.js';
import { invalidUtf8Error, type TextPlace } from './text-checks.js';

/** What reading one path gave. Failing to read is an answer here, not an exception. */
export type FileRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'directory' }
  | { readonly kind: 'unreadable'; readonly reason: string }
  /** The bytes are not UTF-8: the first bad byte and where it stands. */
  | { readonly kind: 'not-utf8'; readonly byte: number; readonly place: TextPlace };

/**
 * The loader's only way to the disk: compose files, includes, extends files, `.env`, `--env-file`,
 * `env_file` and `label_file` are all read through one of these. load.ts passes the real one
 * (node-reader.ts); tests pass one made of plain data.
 */
export interface ConfigReader {
  /** Discovery only: is there a regular file at `path`? */
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  read(path: string): FileRead;
}

/** Where a file was named, so that a failure to read it points there. */
export interface NamedAt {
  readonly locator: Locator | undefined;
  readonly path: KeyPath;
}

/**
 * The text of a file the project names, or undefined when nothing is there (the caller decides
 * whether that is an error). A folder in its place, a file that cannot be read or is not UTF-8, is
 * the user's to fix: a ConfigError with the path and what to do.
 */
export function readNamedFile(reader: ConfigReader, file: string, what: string, at?: NamedAt): string | undefined {
  const result = reader.read(file);
  switch (result.kind) {
    case 'text':
      return result.text;
    case 'missing':
      return undefined;
    case 'directory':
      throw fileError(at, `${what} ${file} is a directory, not a file`, 'name a file here, not a folder');
    case 'not-utf8':
      throw invalidUtf8Error(file, { ok: false, byte: result.byte, place: result.place });
    case 'unreadable':
      throw fileError(at, `cannot read ${what} ${file}: ${result.reason}`, 'check the file\'s permissions (ls -l), or run as a user who can read it');
  }
}

function fileError(at: NamedAt | undefined, message: string, hint: string): ConfigError {
  return at === undefined ? new ConfigError(message, { hint }) : configErrorAt(at.locator, at.path, message, hint);
}
