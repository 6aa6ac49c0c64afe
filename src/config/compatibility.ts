import { COMPATIBILITY, type KeySupport } from './compatibility-table.js';

type SchemaNode = Readonly<Record<string, unknown>>;

/**
 * Every key path the schema allows, in schema order: `services.*.networks.*.aliases`,
 * `services.*.volumes[].bind.recursive`. Extension keys (`x-`) are left out.
 */
export function schemaKeyPaths(schema: SchemaNode): string[] {
  const defs = (schema['$defs'] ?? {}) as Record<string, SchemaNode>;
  const resolve = (node: unknown): SchemaNode | undefined => {
    let current = node as SchemaNode | undefined;
    const seen = new Set<string>();
    while (current !== undefined && typeof current['$ref'] === 'string' && !seen.has(current['$ref'])) {
      seen.add(current['$ref']);
      current = defs[current['$ref'].split('/').pop() ?? ''];
    }
    return current;
  };
  const out: string[] = [];
  const walk = (node: unknown, path: string, depth: number): void => {
    const resolved = resolve(node);
    if (resolved === undefined || depth > 8) return;
    const variants = [resolved, ...((resolved['anyOf'] ?? []) as unknown[]), ...((resolved['oneOf'] ?? []) as unknown[])].map(resolve);
    for (const v of variants) {
      if (v === undefined) continue;
      for (const [key, child] of Object.entries((v['properties'] ?? {}) as Record<string, unknown>)) {
        const next = path === '' ? key : `${path}.${key}`;
        if (out.includes(next)) continue;
        out.push(next);
        walk(child, next, depth + 1);
      }
      for (const [pattern, child] of Object.entries((v['patternProperties'] ?? {}) as Record<string, unknown>)) {
        if (pattern !== '^x-') walk(child, `${path}.*`, depth + 1);
      }
      if (typeof v['additionalProperties'] === 'object') walk(v['additionalProperties'], `${path}.*`, depth + 1);
      if (v['items'] !== undefined) walk(v['items'], `${path}[]`, depth + 1);
    }
  };
  walk(schema, '', 0);
  return out;
}

/** The table's entry for a key: its own, or the nearest ancestor's that speaks for its children. */
export function supportOf(path: string): (KeySupport & { readonly from: string }) | undefined {
  const own = COMPATIBILITY[path];
  if (own !== undefined) return { ...own, from: path };
  for (let cut = path.length; cut > 0; cut--) {
    if (path[cut] !== '.' && path[cut] !== '[') continue;
    const parent = path.slice(0, cut);
    const entry = COMPATIBILITY[parent];
    if (entry?.children === true) return { ...entry, from: parent };
  }
  return undefined;
}

/** docs/compatibility.md: one row per schema key. */
export function compatibilityMarkdown(schema: SchemaNode): string {
  const rows = schemaKeyPaths(schema).map((path) => {
    const support = supportOf(path);
    const how = support === undefined ? '(missing from the table)' : support.from === path ? support.how : `as \`${support.from}\``;
    return `| \`${path}\` | ${support?.status ?? '?'} | ${how.replace(/\|/g, '\\|')} |`;
  });
  return [
    '# Compatibility with the Compose Specification',
    '',
    'Generated from schemas/compose-spec.json and src/config/compatibility-table.ts by',
    '`node scripts/build-compatibility.mjs` (after `npm run build`); a unit test fails when it is stale',
    'or when the schema has a key the table does not name.',
    '',
    '- **applied**: reaches the engine (or the loader) as Docker Compose applies it; how is said.',
    '- **refused**: the run stops before any change on the engine, with an error naming the key and its file:line.',
    '- **warned**: accepted, and a warning says what is not done.',
    '',
    'Keys gated on the engine\'s API version are refused on older engines (this project is tested on',
    'dockerd 20.10, API 1.41) with the engine version they need.',
    '',
    '| key | status | how |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
