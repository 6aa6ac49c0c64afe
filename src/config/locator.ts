import type { SourcePosition } from '../errors.js';

/** A path into a parsed compose tree: ['services', 'web', 'ports', 0]. */
export type KeyPath = readonly (string | number)[];

/** Maps key paths of one parsed file back to where they stand in its source. */
export interface Locator {
  readonly file: string;
  /** Where the value at `path` starts (or its key, for a mapping entry); the nearest ancestor when absent. */
  position(path: KeyPath): SourcePosition | undefined;
  /** The source line, 1-based, without its newline. */
  line(line: number): string | undefined;
}

/** `services.web.ports[0]`: how key paths are shown to users. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}
