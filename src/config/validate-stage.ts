import { validateComposeFile } from './validate.js';
import type { Locator } from './locator.js';
import type { Mapping } from './tree.js';

/** Stage 4: one file's interpolated tree against the Compose schema (throws a ConfigError). */
export function validateStage(tree: Mapping, locator: Locator): void {
  validateComposeFile(tree, locator);
}
