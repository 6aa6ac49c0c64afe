// Writes docs/compatibility.md from the schema and the compatibility table (run after `npm run build`).
//   node scripts/build-compatibility.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { compatibilityMarkdown } = await import(pathToFileURL(join(root, 'dist', 'src', 'config', 'compatibility.js')).href);
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'compose-spec.json'), 'utf8'));
writeFileSync(join(root, 'docs', 'compatibility.md'), compatibilityMarkdown(schema));
