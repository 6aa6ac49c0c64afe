import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../../src/config/load.js';
import { InternalError, isTscomposeError, type TscomposeError } from '../../../src/errors.js';

// A seeded loader fuzz: compose files from the project's fixtures, mutated (bytes flipped, lines
// dropped, doubled or swapped, hostile values spliced in), loaded in-process. Every outcome must be
// a project or a user error with an exit code of 1-3; never an internal error or a plain exception.
// Bounded by count and by time, so it stays cheap in CI; the seed makes a failure reproducible.

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures');
const SEED = Number(process.env['TSCOMPOSE_FUZZ_SEED'] ?? 20261201);
const CASES = Number(process.env['TSCOMPOSE_FUZZ_CASES'] ?? 400);
const BUDGET_MS = Number(process.env['TSCOMPOSE_FUZZ_MS'] ?? 15_000);
/** Errors that still name no file:line, per kind, for the default seed and count: the counts may only shrink. */
const WITHOUT_POSITION = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/unit/fuzz/errors-without-position.json');
/** The loader must not hold on to what it loaded: heap used after the run (mocha and all) stays under this. */
const HEAP_LIMIT_MB = 256;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** mulberry32: small, seeded, good enough to pick mutations. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  'toString', 'constructor', '__proto__', '${constructor}', '${toString:?x}', '"\\u0000"', '0440', '-1', '1e309',
  '&a [*a]', '*missing', '!!binary AAAA', '{? [a]: b}', '~', '"$${X}"', '${A:-${B:-${C}}}', '[]', '{}', '"\u00e9"',
];

function mutate(text: string, next: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number): number => Math.floor(next() * n);
  switch (pick(7)) {
    case 0: { // flip a byte
      const bytes = Buffer.from(text);
      if (bytes.length > 0) bytes[pick(bytes.length)] = pick(256);
      return bytes.toString('latin1');
    }
    case 1: lines.splice(pick(lines.length), 1); return lines.join('\n');
    case 2: { const i = pick(lines.length); lines.splice(i, 0, lines[i] ?? ''); return lines.join('\n'); }
    case 3: { const i = pick(lines.length); const j = pick(lines.length); [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? '']; return lines.join('\n'); }
    case 4: { // replace a value after a colon
      const i = pick(lines.length);
      const line = lines[i] ?? '';
      const at = line.indexOf(': ');
      lines[i] = at < 0 ? `${line} ${HOSTILE[pick(HOSTILE.length)]}` : `${line.slice(0, at + 2)}${HOSTILE[pick(HOSTILE.length)]}`;
      return lines.join('\n');
    }
    case 5: { // a depends_on between two services of the file (often a loop)
      const services = lines.flatMap((line, i) => (/^ {2}[\w.-]+:\s*$/.test(line) ? [i] : []));
      if (services.length === 0) return text;
      const at = services[pick(services.length)]!;
      const target = (lines[services[pick(services.length)]!] ?? '').trim().slice(0, -1);
      lines.splice(at + 1, 0, `    depends_on: [${target}]`);
      return lines.join('\n');
    }
    default: { // replace a key
      const i = pick(lines.length);
      const line = lines[i] ?? '';
      lines[i] = line.replace(/^(\s*)[\w.-]+:/, (_m, indent: string) => `${indent}${HOSTILE[pick(HOSTILE.length)]}:`);
      return lines.join('\n');
    }
  }
}

function hasPosition(error: TscomposeError): boolean {
  return (error as { position?: unknown }).position !== undefined;
}

/** The error's class and the start of its message (to the first ": "), names, numbers and paths taken out. */
function errorKind(error: TscomposeError): string {
  const message = (error.message.split(': ')[0] ?? '').replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"').replace(/\/\S*/g, '/…').replace(/\d+/g, 'N');
  return `${error.constructor.name}: ${message.slice(0, 100)}`;
}

describe('loader fuzz (seeded, bounded)', function () {
  this.timeout(BUDGET_MS + 30_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'tscompose-fuzz-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`${CASES} mutated compose files (seed ${SEED}): a project or a user error, never an internal one`, async () => {
    const sources = yamlFiles(FIXTURES).map((file) => readFileSync(file, 'utf8'));
    assert.ok(sources.length > 0, 'fixtures found');
    const next = random(SEED);
    const started = Date.now();
    const internal: string[] = [];
    const withoutPosition = new Map<string, number>();
    let peakHeap = 0;
    let ran = 0;
    for (; ran < CASES && Date.now() - started < BUDGET_MS; ran++) {
      let text = sources[Math.floor(next() * sources.length)] ?? '';
      const rounds = 1 + Math.floor(next() * 3);
      for (let r = 0; r < rounds; r++) text = mutate(text, next);
      const file = join(dir, 'compose.yaml');
      writeFileSync(file, text);
      try {
        await loadProject({ cwd: dir, files: [file], env: { HOME: dir, TSCOMPOSE_PARSE_CACHE: '0' } });
      } catch (error) {
        const bad = !isTscomposeError(error) || error instanceof InternalError || error.exitCode < 1 || error.exitCode > 3;
        if (bad) internal.push(`case ${ran}: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}\n--- input ---\n${text}`);
        else if (!hasPosition(error)) withoutPosition.set(errorKind(error), (withoutPosition.get(errorKind(error)) ?? 0) + 1);
      }
      if (ran % 50 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    assert.ok(ran > 0);
    assert.deepEqual(internal.slice(0, 3), [], `${internal.length} of ${ran} inputs ended in an internal error`);
    assert.ok(peakHeap < HEAP_LIMIT_MB * 1024 * 1024, `heap used reached ${(peakHeap / 1024 / 1024).toFixed(0)} MB (limit ${HEAP_LIMIT_MB} MB)`);

    // Another seed or count finds other inputs: the committed list holds only for the defaults.
    if (process.env['TSCOMPOSE_FUZZ_SEED'] !== undefined || process.env['TSCOMPOSE_FUZZ_CASES'] !== undefined) return;
    const recorded = JSON.parse(readFileSync(WITHOUT_POSITION, 'utf8')) as { kinds: Record<string, number> };
    const grown = [...withoutPosition].filter(([kind, count]) => count > (Object.hasOwn(recorded.kinds, kind) ? recorded.kinds[kind]! : 0));
    assert.deepEqual(grown.map(([kind, count]) => `${kind}: ${count}`), [],
      `errors without a file:line grew beyond ${WITHOUT_POSITION} (give them a position, do not raise the counts)`);
  });
});
