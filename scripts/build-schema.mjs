// Compiles schemas/compose-spec.json once, at build time, into a standalone ajv validator module,
// so that no command pays for schema compilation at start-up.
//
//   node scripts/build-schema.mjs           writes the generated files
//   node scripts/build-schema.mjs --check   exits 1 when they are stale
//
// The generated files are committed; a unit test fails when they are stale against the schema.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const standaloneCode = standaloneModule.default ?? standaloneModule;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const schemaFile = join(root, 'schemas', 'compose-spec.json');
export const validatorFile = join(root, 'src', 'config', 'generated', 'compose-schema-validator.ts');
export const sourceFile = join(root, 'src', 'config', 'generated', 'compose-schema-source.ts');

/** Annotation keywords of our schema: they only feed error messages and produce no code. */
export const annotationKeywords = ['expected', 'hint', 'nameOf'];

const jsonEqualSource = `function jsonEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a !== a && b !== b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.prototype.hasOwnProperty.call(b, key) || !jsonEqual(a[key], b[key])) return false;
  return true;
}`;

/**
 * Each $ref target is compiled into its own function, and ajv writes that function's schemaPaths
 * relative to the target (`#/anyOf/0/type`). Error wording needs to find the schema node again, so
 * each function's paths are rewritten to start at the target's pointer (`#/$defs/port/anyOf/0/type`).
 */
function absoluteSchemaPaths(ajv, validate, code) {
  const prefixes = new Map();
  for (const [ref, env] of Object.entries(validate.schemaEnv.root.refs)) {
    const fragment = ref.slice(ref.indexOf('#') + 1);
    if (env?.validateName !== undefined && fragment !== '') prefixes.set(String(env.validateName), fragment);
  }
  return code
    .split(/(?=function validate[0-9]+\()/)
    .map((chunk) => {
      const name = /^function (validate[0-9]+)\(/.exec(chunk)?.[1];
      const prefix = name === undefined ? undefined : prefixes.get(name);
      return prefix === undefined ? chunk : chunk.replaceAll('schemaPath:"#', `schemaPath:"#${prefix}`);
    })
    .join('');
}

/**
 * ajv keeps copies of schema parts in the module only to fill error params (`allowedValues`, `type`),
 * which tscompose reads from the schema itself when wording an error. Building those objects costs
 * start-up time on every command, so the params are dropped and the copies no longer used go away.
 */
function withoutSchemaCopies(code) {
  const slimmed = code.replace(
    /(allowedValues|type): schema[0-9]+(?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[[0-9]+\]|\["(?:[^"\\]|\\.)*"\])+/g,
    '$1: null',
  );
  return slimmed
    .split('\n')
    .filter((line) => {
      const name = /^const (schema[0-9]+) = /.exec(line)?.[1];
      return name === undefined || slimmed.split(new RegExp(`\\b${name}\\b`)).length > 2;
    })
    .map((line) => {
      // The copies still used serve key look-ups (`properties` of large mappings): text can go.
      const match = /^const (schema[0-9]+) = (.*);$/.exec(line);
      return match === null ? line : `const ${match[1]} = ${JSON.stringify(withoutText(JSON.parse(match[2])))};`;
    })
    .join('\n');
}

const textKeywords = new Set(['title', 'description', 'deprecated', ...annotationKeywords]);
const mapKeywords = new Set(['properties', 'patternProperties', '$defs', 'definitions']);

function withoutText(node, isMap = false) {
  if (Array.isArray(node)) return node.map((item) => withoutText(item));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!isMap && textKeywords.has(key)) continue;
    out[key] = withoutText(value, !isMap && mapKeywords.has(key));
  }
  return out;
}

/** The generated modules' text, from the schema's text. Pure, so the staleness test can call it. */
export function generate(schemaText) {
  const schema = JSON.parse(schemaText);
  const ajv = new Ajv2020({
    code: { source: true, esm: true, lines: true },
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    allErrors: false,
    inlineRefs: false,
    messages: false,
  });
  for (const keyword of annotationKeywords) ajv.addKeyword({ keyword, schemaType: 'string' });
  const validate = ajv.compile(schema);
  const hash = createHash('sha256').update(schemaText).digest('hex').slice(0, 16);
  const header = [
    '// @ts-nocheck',
    '// Generated by scripts/build-schema.mjs from schemas/compose-spec.json: do not edit.',
    `// schema sha256: ${hash}`,
  ];

  // ajv's standalone output loads its deep-equal helper (for uniqueItems) with require(), and this
  // package is ESM; loading that CommonJS helper also costs ~5 ms at start-up. Parsed YAML is plain
  // JSON data, so a small local function does the same job.
  const code = absoluteSchemaPaths(ajv, validate, standaloneCode(ajv, validate))
    .replace(/^"use strict";/, '')
    .replaceAll('require("ajv/dist/runtime/equal").default', 'jsonEqual');
  if (code.includes('require(')) throw new Error('the generated validator needs a runtime helper that is not handled');
  const validatorCode = withoutSchemaCopies(code);
  const validatorText = [...header, jsonEqualSource, validatorCode, ''].join('\n');

  const sourceText = [
    '// Generated by scripts/build-schema.mjs from schemas/compose-spec.json: do not edit.',
    '// The schema itself, read only when a file is invalid, to word the error.',
    `export const composeSchemaHash = '${hash}';`,
    `export const composeSchemaText = ${JSON.stringify(JSON.stringify(schema))};`,
    '',
  ].join('\n');
  return { validatorText, sourceText };
}

function main() {
  const { validatorText, sourceText } = generate(readFileSync(schemaFile, 'utf8'));
  if (process.argv.includes('--check')) {
    const stale = [
      [validatorFile, validatorText],
      [sourceFile, sourceText],
    ].filter(([file, text]) => {
      try {
        return readFileSync(file, 'utf8') !== text;
      } catch {
        return true;
      }
    });
    for (const [file] of stale) console.error(`stale: ${file} (run node scripts/build-schema.mjs)`);
    process.exitCode = stale.length === 0 ? 0 : 1;
    return;
  }
  mkdirSync(dirname(validatorFile), { recursive: true });
  writeFileSync(validatorFile, validatorText);
  writeFileSync(sourceFile, sourceText);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
