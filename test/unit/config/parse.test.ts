import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { parseComposeText } from '../../../src/config/parse.js';

describe('parse', () => {
  it('expands anchors, aliases and << merge keys, explicit keys winning', () => {
    const [doc] = parseComposeText(
      'x-base: &base\n  image: base\n  restart: always\nservices:\n  a:\n    <<: *base\n    image: mine\n',
      'f.yaml',
    );
    assert.deepEqual(doc!.tree['services'], { a: { image: 'mine', restart: 'always' } });
    assert.deepEqual(doc!.tree['x-base'], { image: 'base', restart: 'always' });
  });

  it('merges a list of sources, earlier ones winning', () => {
    const [doc] = parseComposeText('a: &a {k: 1, x: a}\nb: &b {k: 2, y: b}\nc:\n  <<: [*a, *b]\n', 'f.yaml');
    assert.deepEqual(doc!.tree['c'], { k: 1, x: 'a', y: 'b' });
  });

  it('gives aliases their own copies', () => {
    const [doc] = parseComposeText('a: &l [1]\nb: *l\n', 'f.yaml');
    assert.notEqual(doc!.tree['a'], doc!.tree['b']);
    assert.deepEqual(doc!.tree['b'], [1]);
  });

  it('records !reset paths and drops the value, even against a merge key', () => {
    const [doc] = parseComposeText(
      'x: &x {ports: ["80"], image: i}\nservices:\n  a:\n    <<: *x\n    ports: !reset []\n    environment: !override\n      A: 1\n',
      'f.yaml',
    );
    assert.deepEqual(doc!.tree['services'], { a: { image: 'i', environment: { A: 1 } } });
    assert.deepEqual(doc!.resets, [['services', 'a', 'ports']]);
    assert.deepEqual(doc!.overrides, [['services', 'a', 'environment']]);
  });

  it('resolves the scalar under !override as usual', () => {
    const [doc] = parseComposeText('a: !override 3\nb: !override true\n', 'f.yaml');
    assert.deepEqual(doc!.tree, { a: 3, b: true });
  });

  it('keeps x- extensions anywhere', () => {
    const [doc] = parseComposeText('x-top: 1\nservices:\n  a:\n    x-mine: {k: v}\n', 'f.yaml');
    assert.deepEqual(doc!.tree, { 'x-top': 1, services: { a: { 'x-mine': { k: 'v' } } } });
  });

  it('returns every document of a multi-document file', () => {
    const docs = parseComposeText('services:\n  a: {image: x}\n---\nservices:\n  b: {image: y}\n', 'f.yaml');
    assert.equal(docs.length, 2);
    assert.deepEqual(docs[1]!.tree, { services: { b: { image: 'y' } } });
  });

  it('strips a UTF-8 BOM', () => {
    assert.deepEqual(parseComposeText('\uFEFFname: x\n', 'f.yaml')[0]!.tree, { name: 'x' });
  });

  it('refuses an empty file, as Compose does', () => {
    assert.throws(() => parseComposeText('', 'f.yaml'), /empty compose file: f\.yaml/);
  });

  it('reports a syntax error with file, line, column and the line', () => {
    assert.throws(
      () => parseComposeText('services:\n  a:\n    image: "unclosed\n', '/p/compose.yaml'),
      (e: unknown) => e instanceof ConfigError && /^invalid YAML/.test(e.message) && e.position?.file === '/p/compose.yaml' && e.position.line >= 3,
    );
  });

  it('reports a bad indentation at its line', () => {
    assert.throws(
      () => parseComposeText('services:\n  a:\n    image: x\n   bad: y\n', 'c.yaml'),
      (e: unknown) => e instanceof ConfigError && e.position?.line === 4 && e.sourceLine === '   bad: y',
    );
  });

  it('refuses duplicate keys', () => {
    assert.throws(
      () => parseComposeText('services:\n  a: {image: x}\n  a: {image: y}\n', 'c.yaml'),
      (e: unknown) => e instanceof ConfigError && /mapping key "a" already defined at line 2/.test(e.message) && e.position?.line === 3,
    );
  });

  it('refuses a top level that is not a mapping', () => {
    assert.throws(() => parseComposeText('- a\n- b\n', 'c.yaml'), /must be a mapping at the top level/);
  });

  it('stops an alias bomb', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    assert.throws(() => parseComposeText(lines.join('\n'), 'bomb.yaml'), /excessive aliasing/);
  });

  it('maps key paths to positions, a key at its key and a list item at the item', () => {
    const [doc] = parseComposeText('services:\n  web:\n    ports:\n      - "80"\n      - "81"\n', 'c.yaml');
    assert.deepEqual(doc!.locator.position(['services', 'web', 'ports']), { file: 'c.yaml', line: 3, column: 5 });
    assert.deepEqual(doc!.locator.position(['services', 'web', 'ports', 1]), { file: 'c.yaml', line: 5, column: 9 });
    assert.deepEqual(doc!.locator.position(['services', 'web', 'nothing', 'here']), { file: 'c.yaml', line: 2, column: 3 });
    assert.equal(doc!.locator.exact(['services', 'web', 'nothing']), undefined);
    assert.equal(doc!.locator.line(2), '  web:');
  });
});
