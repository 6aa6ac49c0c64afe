import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CommandDefinition, FlagSpec } from '../../../src/cli/command.js';
import { GLOBAL_FLAGS, VERSION_FLAG } from '../../../src/cli/global-flags.js';
import { COMMANDS } from '../../../src/cli/registry.js';

/** Tests run from dist/test/unit/cli; the docs and fixtures stay in the source tree. */
const ROOT = new URL('../../../../', import.meta.url);
const doc = readFileSync(fileURLToPath(new URL('docs/cli.md', ROOT)), 'utf8');

interface ReferenceFlag { readonly name: string; readonly short?: string; readonly type: string; readonly hidden?: boolean }
interface Reference {
  readonly global: readonly ReferenceFlag[];
  readonly commands: Readonly<Record<string, { readonly hidden?: boolean; readonly flags: readonly ReferenceFlag[] }>>;
}
const reference = JSON.parse(readFileSync(fileURLToPath(new URL('test/fixtures/compose-cli-reference.json', ROOT)), 'utf8')) as Reference;

/** Present in tscompose's definitions. */
const PRESENT = new Set(['same', 'extended', 'refused', 'accepted', 'tscompose']);
/** Absent from them. */
const ABSENT = new Set(['missing', 'n/a']);
const COMMAND_STATUSES = new Set([...PRESENT, ...ABSENT, 'elsewhere']);

/** The rows of the markdown table under `## heading`. */
function tableRows(heading: string): string[][] {
  const start = doc.indexOf(`\n## ${heading}\n`);
  assert.notEqual(start, -1, `docs/cli.md has no "## ${heading}" section`);
  const rest = doc.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  return (end === -1 ? rest : rest.slice(0, end)).split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

const code = (cell: string): string => cell.replace(/^`|`$/g, '');

interface FlagRow { readonly command: string; readonly name: string; readonly short: string | undefined; readonly status: string; readonly note: string }

function flagRows(): FlagRow[] {
  return tableRows('Flags').map(([command = '', flag = '', status = '', note = '']) => {
    const match = /^`(?:-(\w), )?--([\w-]+)`$/.exec(flag);
    assert.ok(match !== null, `flag cell ${flag} is not \`--name\` or \`-x, --name\``);
    return { command: code(command), name: match[2] as string, short: match[1], status, note };
  });
}

describe('docs/cli.md: the table of Compose commands and flags', () => {
  let definitions: Map<string, CommandDefinition>;
  before(async () => {
    definitions = new Map(await Promise.all(COMMANDS.map(async (c) => [c.name, await c.load()] as const)));
  });
  const codeFlags = (command: string): readonly FlagSpec[] => command === 'global' ? [...GLOBAL_FLAGS, VERSION_FLAG] : definitions.get(command)?.flags ?? [];

  it('lists every Compose command and every tscompose command once, with a status that matches the registry', () => {
    const rows = tableRows('Commands').map(([command = '', status = '']) => ({ command: code(command), status }));
    const named = rows.map((r) => r.command);
    assert.deepEqual(named.filter((n, i) => named.indexOf(n) !== i), [], 'commands listed twice');
    for (const name of Object.keys(reference.commands)) assert.ok(named.includes(name), `Compose's "${name}" is not in the table`);
    for (const c of COMMANDS) assert.ok(named.includes(c.name), `tscompose's "${c.name}" is not in the table`);
    for (const row of rows) {
      assert.ok(COMMAND_STATUSES.has(row.status), `"${row.command}": unknown status "${row.status}"`);
      const inCode = definitions.has(row.command);
      if (PRESENT.has(row.status)) assert.ok(inCode, `"${row.command}" is marked ${row.status} but the registry lacks it`);
      if (ABSENT.has(row.status)) assert.ok(!inCode, `"${row.command}" is marked ${row.status} but the registry has it: update the table`);
      if (row.status === 'tscompose') assert.ok(!Object.hasOwn(reference.commands, row.command), `"${row.command}" is Compose's too`);
    }
  });

  it('lists every flag of Compose (global and of the commands tscompose has) and every flag of tscompose', () => {
    const rows = flagRows();
    const key = (command: string, name: string): string => `${command} --${name}`;
    const listed = rows.map((r) => key(r.command, r.name));
    assert.deepEqual(listed.filter((n, i) => listed.indexOf(n) !== i), [], 'flags listed twice');
    const wanted = [
      ...reference.global.map((f) => key('global', f.name)),
      ...Object.entries(reference.commands).filter(([name]) => definitions.has(name)).flatMap(([name, c]) => c.flags.map((f) => key(name, f.name))),
      ...GLOBAL_FLAGS.map((f) => key('global', f.name)),
      ...[...definitions].flatMap(([name, d]) => d.flags.map((f) => key(name, f.name))),
    ];
    for (const k of new Set(wanted)) assert.ok(listed.includes(k), `${k} is not in the table`);
  });

  it('marks each flag as the code has it: present ones with their short letter, absent ones absent', () => {
    for (const row of flagRows()) {
      const where = `${row.command} --${row.name}`;
      assert.ok(PRESENT.has(row.status) || ABSENT.has(row.status), `${where}: unknown status "${row.status}"`);
      const spec = codeFlags(row.command).find((f) => f.name === row.name);
      const compose = (row.command === 'global' ? reference.global : reference.commands[row.command]?.flags ?? []).find((f) => f.name === row.name);
      if (ABSENT.has(row.status)) {
        assert.equal(spec, undefined, `${where} is marked ${row.status} but the code has it: update the table`);
        continue;
      }
      assert.ok(spec !== undefined, `${where} is marked ${row.status} but the code lacks it`);
      assert.equal(row.short, spec.short, `${where}: the table's short letter differs from the code's`);
      if (row.status === 'tscompose') assert.equal(compose, undefined, `${where} is Compose's too: say how it compares`);
      else {
        assert.ok(compose !== undefined, `${where} is not Compose's: mark it tscompose`);
        assert.equal(spec.short, compose.short, `${where}: Compose's short letter is -${compose.short ?? '(none)'}`);
      }
      if (['refused', 'accepted', 'extended', 'missing', 'n/a'].includes(row.status)) assert.notEqual(row.note, '', `${where}: say why it is ${row.status}`);
    }
  });
});
