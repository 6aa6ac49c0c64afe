import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The layout table of the architecture document, as data: which rooms and packages each room may import.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

interface Rule {
  readonly rooms: readonly string[];
  /** Rooms whose imports must be `import type` only. */
  readonly typeOnly?: readonly string[];
  readonly packages: readonly string[];
}

const RULES: Readonly<Record<string, Rule>> = {
  errors: { rooms: [], packages: [] },
  model: { rooms: ['model'], packages: [] },
  config: { rooms: ['config', 'model', 'errors'], packages: ['yaml'] },
  graph: { rooms: ['graph', 'model', 'errors'], packages: [] },
  engine: { rooms: ['engine', 'model', 'errors'], packages: ['dockerode', 'tar-stream', '@balena/dockerignore'] },
  reconcile: { rooms: ['reconcile', 'model', 'graph', 'errors'], typeOnly: ['engine'], packages: [] },
  ui: { rooms: ['ui', 'model', 'errors'], typeOnly: ['engine', 'watch'], packages: ['listr2', 'chalk'] },
  cli: { rooms: ['cli', 'config', 'graph', 'reconcile', 'swarm', 'ui', 'errors', 'model', 'watch'], typeOnly: ['engine'], packages: [] },
  // Swarm stacks: the same load -> plan -> apply shape against Swarm's objects; no terminal, no CLI.
  swarm: { rooms: ['swarm', 'config', 'graph', 'model', 'errors'], typeOnly: ['engine'], packages: [] },
  // develop.watch: pure rules, batching and sync planning, with two edges (the file watcher, engine-adapter.ts).
  watch: { rooms: ['watch', 'config', 'reconcile', 'engine', 'model', 'errors'], packages: ['@balena/dockerignore', '@parcel/watcher'] },
  // The programmatic API: the flows and an engine client of its own, never the CLI or anything that prints.
  api: { rooms: ['api', 'config', 'graph', 'reconcile', 'engine', 'model', 'errors'], packages: [] },
};

/** Files at the top of src/ that wire the rooms together and may import any of them. */
const ENTRY_POINTS = new Set(['main', 'index']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'generated' ? [] : filesUnder(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

function roomOf(file: string): string {
  const rel = relative(SRC, file);
  const first = rel.split('/')[0] as string;
  return first.endsWith('.ts') ? first.slice(0, -3) : first;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

describe('architecture: each room imports only what the layout allows', () => {
  for (const file of filesUnder(SRC)) {
    const room = roomOf(file);
    const rule = RULES[room];
    if (rule === undefined) continue; // an entry point (checked below: nothing else goes without a rule)
    it(relative(SRC, file), () => {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const typeOnly = match[2] !== undefined;
        const spec = (match[3] ?? match[4]) as string;
        if (spec.startsWith('node:')) continue;
        if (spec.startsWith('.')) {
          const target = roomOf(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
          const allowed = rule.rooms.includes(target) || target === room || (typeOnly && (rule.typeOnly ?? []).includes(target));
          assert.ok(allowed, `${room} may not import ${typeOnly ? 'types from ' : ''}${target} (${spec})`);
        } else {
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string);
          assert.ok(rule.packages.includes(pkg), `${room} may not import the package ${pkg}`);
        }
      }
    });
  }

  it('every room under src/ has a rule', () => {
    const rooms = readdirSync(SRC, { withFileTypes: true })
      .map((e) => (e.isDirectory() ? e.name : e.name.replace(/\.ts$/, '')))
      .filter((name) => !ENTRY_POINTS.has(name));
    assert.deepEqual(rooms.filter((room) => RULES[room] === undefined), [], 'add the room to RULES (and to docs/architecture.md)');
  });

  it('the file watcher package is never imported statically (only `watch` and `up --watch` load it)', () => {
    for (const file of filesUnder(SRC)) {
      assert.doesNotMatch(readFileSync(file, 'utf8'), /^import\s+(?!type)[^;]*from\s+['"]@parcel\/watcher['"]/m, relative(SRC, file));
    }
  });

  it('dockerode is never imported statically (it costs a lot at start-up)', () => {
    for (const file of filesUnder(SRC)) {
      assert.doesNotMatch(readFileSync(file, 'utf8'), /^import\s+(?!type)[^;]*from\s+['"]dockerode['"]/m, relative(SRC, file));
    }
  });
});
