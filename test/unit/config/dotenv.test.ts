import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { parseDotenv } from '../../../src/config/dotenv.js';

const OS: Record<string, string> = { HOME: '/home/me', USER: 'me' };
const parse = (text: string, raw = false): Record<string, string> =>
  Object.fromEntries(parseDotenv(text, { file: '/p/.env', lookup: (k) => OS[k], raw }));

describe('.env parser', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['KEY=VAL', 'A=1\nB=two', { A: '1', B: 'two' }],
    ['export prefix', 'export A=1\nexport  B=2', { A: '1', B: '2' }],
    ['YAML-style colon', 'A: 1\nB:  two words', { A: '1', B: 'two words' }],
    ['comments and blank lines', '# c\n\n  # indented\nA=1\n', { A: '1' }],
    ['inline comment after a space', 'A=value # note\nB=val#notacomment', { A: 'value', B: 'val#notacomment' }],
    ['trailing whitespace trimmed', 'A=  padded   \t', { A: 'padded' }],
    ['empty value', 'A=\nB=""', { A: '', B: '' }],
    ['single quotes are literal', "A='$HOME \\n x'", { A: '$HOME \\n x' }],
    ['single quotes span lines', "A='one\ntwo'\nB=3", { A: 'one\ntwo', B: '3' }],
    ['escaped single quote inside single quotes', "A='it\\'s'", { A: "it's" }],
    ['double quotes take escapes', 'A="a\\nb\\tc\\\\d\\"e"', { A: 'a\nb\tc\\d"e' }],
    ['double quotes interpolate', 'A="home=$HOME"', { A: 'home=/home/me' }],
    ['escaped dollar in double quotes', 'A="\\$HOME"', { A: '$HOME' }],
    ['double quotes span lines', 'A="one\ntwo"', { A: 'one\ntwo' }],
    ['double-quoted value with a comment after it', 'A="x # y" # z', { A: 'x # y' }],
    ['unquoted values interpolate', 'A=${USER}-x', { A: 'me-x' }],
    ['later keys see earlier ones', 'A=1\nB=${A}2\nC="$B-3"', { A: '1', B: '12', C: '12-3' }],
    ['the OS environment beats earlier keys', 'HOME=/other\nH=$HOME', { HOME: '/other', H: '/home/me' }],
    ['defaults and operators', 'A=${NOPE:-d}\nB=${USER:+alt}\nC=${NOPE-x}', { A: 'd', B: 'alt', C: 'x' }],
    ['bare key inherits from the lookup', 'USER\nNOPE\nA=1', { USER: 'me', A: '1' }],
    ['keys with dots, dashes and brackets', 'a.b-c[0]=1', { 'a.b-c[0]': '1' }],
    ['a key given twice keeps the last value', 'A=1\nA=2', { A: '2' }],
    ['octal escape', 'A="\\101"', { A: 'A' }],
    ['CRLF line endings', 'A=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['a UTF-8 BOM is ignored', '\uFEFFA=1', { A: '1' }],
    ['$$ gives a dollar', 'A=pa$$word', { A: 'pa$word' }],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => assert.deepEqual(parse(text), expected));
  }

  it('format raw keeps quotes and dollars as written', () => {
    assert.deepEqual(parse('A="x $HOME"\nB=\'y\'\n# c\nC=a=b', true), { A: '"x $HOME"', B: "'y'", C: 'a=b' });
  });

  const errors: [string, string, number, RegExp][] = [
    ['unterminated double quote', 'A=1\nB="never closed\nC=3', 2, /unterminated double-quoted value for B/],
    ['unterminated single quote', "A='open", 1, /unterminated single-quoted value for A/],
    ['a space inside a key', 'A=1\nMY KEY=2', 2, /must not contain spaces/],
    ['a required variable', 'A=${NOPE:?need it}', 1, /A: required variable NOPE is missing a value: need it/],
  ];
  for (const [name, text, line, pattern] of errors) {
    it(`reports ${name} at its line`, () => {
      assert.throws(
        () => parse(text),
        (e: unknown) => e instanceof ConfigError && pattern.test(e.message) && e.position?.line === line && e.position.file === '/p/.env',
      );
    });
  }

  it('looks up the fallback after its own earlier keys', () => {
    const values = parseDotenv('A=$X\nX=mine\nB=$X', { file: 'f', fallback: (k) => (k === 'X' ? 'fallback' : undefined) });
    assert.deepEqual(Object.fromEntries(values), { A: 'fallback', X: 'mine', B: 'mine' });
  });
});
