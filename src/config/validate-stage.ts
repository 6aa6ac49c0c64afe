import { validateComposeFile } from './validate.js';
import type { Locator } from './locator.js';
import { isMapping, type Mapping } from './tree.js';

/**
 * Stage 5: one file's interpolated tree against the Compose schema (throws a ConfigError).
 * `templates` is true under --no-interpolate, where values still hold `${...}`: the schema's
 * patterns accept a template only where its `$` is marked (U+E000), so that after interpolation a
 * literal `$` (`"forever$$x"`) cannot pass for one.
 */
export function validateStage(tree: Mapping, locator: Locator, templates = false): void {
  validateComposeFile(templates ? markTemplates(tree) : tree, locator, tree);
}

export const TEMPLATE_MARK = '\uE000';

/** A copy of `value` where the `$` that opens each `${...}` or `$NAME` is the mark; `$$` stays. */
export function markTemplates(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.includes('$') ? value.replace(/\$(\$|(?=[{A-Za-z_]))/g, (_, escaped: string) => (escaped === '$' ? '$$' : TEMPLATE_MARK)) : value;
  }
  if (Array.isArray(value)) return value.map(markTemplates);
  if (isMapping(value)) {
    const out: Mapping = {};
    for (const key of Object.keys(value)) out[key] = markTemplates(value[key]);
    return out;
  }
  return value;
}
