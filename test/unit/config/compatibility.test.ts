import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compatibilityMarkdown, schemaKeyPaths, supportOf } from '../../../src/config/compatibility.js';
import { COMPATIBILITY } from '../../../src/config/compatibility-table.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'compose-spec.json'), 'utf8')) as Record<string, unknown>;

describe('docs/compatibility.md', () => {
  it('names every key of the schema: applied, refused or warned', () => {
    const missing = schemaKeyPaths(schema).filter((path) => supportOf(path) === undefined);
    assert.deepEqual(missing, [], 'add these keys to src/config/compatibility-table.ts');
  });

  it('names no key the schema does not have', () => {
    const paths = new Set(schemaKeyPaths(schema));
    assert.deepEqual(Object.keys(COMPATIBILITY).filter((key) => !paths.has(key)), []);
  });

  it('is up to date (node scripts/build-compatibility.mjs)', () => {
    assert.equal(readFileSync(join(root, 'docs', 'compatibility.md'), 'utf8'), compatibilityMarkdown(schema));
  });

  it('a key new to the schema is reported', () => {
    const grown = JSON.parse(JSON.stringify(schema)) as { $defs: { service: { properties: Record<string, unknown> } } };
    grown.$defs.service.properties['brand_new_key'] = { type: 'string' };
    assert.ok(schemaKeyPaths(grown as unknown as Record<string, unknown>).includes('services.*.brand_new_key'));
    assert.equal(supportOf('services.*.brand_new_key'), undefined);
  });
});
