import assert from 'node:assert/strict';
import { parseArgs } from '../../../src/cli/parse-args.js';
import type { FlagSpec } from '../../../src/cli/command.js';
import { UsageError } from '../../../src/errors.js';
import { GLOBAL_FLAGS, resolveGlobalOptions } from '../../../src/cli/global-flags.js';

const specs: FlagSpec[] = [
  { name: 'detach', short: 'd', type: 'boolean', description: '' },
  { name: 'volumes', short: 'V', type: 'boolean', description: '' },
  { name: 'timeout', short: 't', type: 'number', description: '' },
  { name: 'file', short: 'f', type: 'string', repeat: true, description: '' },
  { name: 'env', short: 'e', type: 'string', repeat: true, description: '' },
  { name: 'no-tty', short: 'T', type: 'boolean', aliases: ['no-TTY'], description: '' },
];

describe('parseArgs', () => {
  const cases: [string[], Record<string, unknown>, string[]][] = [
    [['-d'], { detach: true }, []],
    [['--detach=false'], { detach: false }, []],
    [['--detach=F'], { detach: false }, []],
    [['--detach=1'], { detach: true }, []],
    [['-d=false', 'web'], { detach: false }, ['web']],
    [['-d=t'], { detach: true }, []],
    [['--no-TTY'], { 'no-tty': true }, []],
    [['--no-tty=0'], { 'no-tty': false }, []],
    [['-dV', 'web'], { detach: true, volumes: true }, ['web']],
    [['-t', '5'], { timeout: 5 }, []],
    [['-t5'], { timeout: 5 }, []],
    [['--timeout=7'], { timeout: 7 }, []],
    [['-f', 'a.yml', '--file', 'b.yml', '-fc.yml'], { file: ['a.yml', 'b.yml', 'c.yml'] }, []],
    [['web', '--', '-d'], {}, ['web', '-d']],
    [['-e', 'A=1=2'], { env: ['A=1=2'] }, []],
  ];
  for (const [argv, flags, positionals] of cases) {
    it(`parses ${argv.join(' ')}`, () => {
      assert.deepEqual(parseArgs(argv, specs), { flags, positionals });
    });
  }

  it('stops at the first positional when asked (exec SERVICE CMD --its-flags)', () => {
    assert.deepEqual(parseArgs(['-d', 'web', 'ls', '-la'], specs, { stopAtFirstPositional: true }), {
      flags: { detach: true },
      positionals: ['web', 'ls', '-la'],
    });
  });

  it('suggests the closest flag for a typo', () => {
    assert.throws(() => parseArgs(['--detatch'], specs, { command: 'up' }),
      (e: unknown) => e instanceof UsageError && e.message === 'unknown flag --detatch for "up"' && e.hint === 'did you mean --detach?' && e.exitCode === 2);
  });

  it('rejects a missing or malformed value', () => {
    assert.throws(() => parseArgs(['-t'], specs), /flag -t needs a value/);
    assert.throws(() => parseArgs(['-t', 'soon'], specs), /needs a number/);
    assert.throws(() => parseArgs(['--detach=maybe'], specs), /invalid boolean "maybe" for --detach/);
    assert.throws(() => parseArgs(['-d=yes'], specs), /invalid boolean "yes" for -d/);
  });
});

describe('global options', () => {
  it('flags beat COMPOSE_ANSI and COMPOSE_PROGRESS; profiles split on commas', () => {
    const { flags } = parseArgs(['--progress', 'json', '--profile', 'a,b', '--profile', 'c'], GLOBAL_FLAGS);
    const g = resolveGlobalOptions(flags, { COMPOSE_PROGRESS: 'quiet', COMPOSE_ANSI: 'never' });
    assert.equal(g.progress, 'json');
    assert.equal(g.ansi, 'never');
    assert.deepEqual(g.profiles, ['a', 'b', 'c']);
  });

  it('BUILDKIT_PROGRESS is read after COMPOSE_PROGRESS (rawjson is json; unknown values are left out)', () => {
    assert.equal(resolveGlobalOptions({}, { BUILDKIT_PROGRESS: 'plain' }).progress, 'plain');
    assert.equal(resolveGlobalOptions({}, { BUILDKIT_PROGRESS: 'rawjson' }).progress, 'json');
    assert.equal(resolveGlobalOptions({}, { BUILDKIT_PROGRESS: 'plain', COMPOSE_PROGRESS: 'quiet' }).progress, 'quiet');
    assert.equal(resolveGlobalOptions({}, { BUILDKIT_PROGRESS: 'fancy' }).progress, 'auto');
  });

  it('an invalid --progress names the choices', () => {
    assert.throws(() => resolveGlobalOptions({ progress: 'fancy' }, {}),
      (e: unknown) => e instanceof UsageError && /auto, tty, plain, json, quiet/.test(e.hint ?? ''));
  });
});
