import * as fs from 'node:fs';
import type { ConfigReader, FileRead } from './config-reader.js';
import { decodeUtf8 } from './text-checks.js';

/** The real disk behind the loader's reader interface. */
export const nodeConfigReader: ConfigReader = {
  isFile(path) {
    return statOf(path)?.isFile() ?? false;
  },
  isDirectory(path) {
    return statOf(path)?.isDirectory() ?? false;
  },
  read(path): FileRead {
    try {
      const decoded = decodeUtf8(fs.readFileSync(path));
      return decoded.ok ? { kind: 'text', text: decoded.text } : { kind: 'not-utf8', byte: decoded.byte, place: decoded.place };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
      if (code === 'EISDIR') return { kind: 'directory' };
      return { kind: 'unreadable', reason: describeCode(code, error) };
    }
  },
};

function statOf(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path);
  } catch {
    return undefined;
  }
}

function describeCode(code: string | undefined, error: unknown): string {
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many symbolic links';
  return code ?? (error as Error).message;
}
