import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachingParser, loadProject } from '../../../src/config/load.js';
import { PARSED_TREE_FORMAT, parseComposeText } from '../../../src/config/parse.js';
import { ConfigError } from '../../../src/errors.js';

describe('the parse cache', () => {
  let cache: string;
  let dir: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'tscompose-cache-'));
    dir = mkdtempSync(join(tmpdir(), 'tscompose-project-'));
  });
  afterEach(() => {
    rmSync(cache, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  const cachedFiles = () => readdirSync(join(cache, 'tscompose', `parsed-v${PARSED_TREE_FORMAT}`));

  it('gives the same trees and tags from the cache as from the parser', () => {
    const text = 'x-base: &base\n  image: a\nservices:\n  web:\n    <<: *base\n    ports: !reset []\n';
    const parse = cachingParser({ TSCOMPOSE_CACHE_DIR: cache });
    const first = parse(text, '/p/compose.yaml');
    assert.equal(cachedFiles().length, 1);
    const second = parse(text, '/p/compose.yaml');
    const plain = parseComposeText(text, '/p/compose.yaml');
    for (const docs of [first, second]) {
      assert.deepEqual(docs.map((d) => [d.tree, d.resets, d.overrides]), plain.map((d) => [d.tree, d.resets, d.overrides]));
    }
    assert.deepEqual(second[0]?.locator.position(['services', 'web', 'ports']), plain[0]?.locator.position(['services', 'web', 'ports']));
  });

  it('a file loaded from the cache still reports errors at their line and column', async () => {
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: a\n    enviroment: {A: 1}\n');
    const load = () => loadProject({ cwd: dir, env: { TSCOMPOSE_CACHE_DIR: cache } });
    const errors: ConfigError[] = [];
    for (let i = 0; i < 2; i++) await load().catch((e: unknown) => errors.push(e as ConfigError));
    assert.equal(cachedFiles().length, 1);
    assert.equal(errors.length, 2);
    for (const e of errors) {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.position, { file: join(dir, 'compose.yaml'), line: 4, column: 5 });
      assert.equal(e.sourceLine, '    enviroment: {A: 1}');
    }
  });

  it('a damaged cache entry is parsed again; TSCOMPOSE_PARSE_CACHE=0 writes nothing', () => {
    const text = 'services:\n  web:\n    image: a\n';
    cachingParser({ TSCOMPOSE_CACHE_DIR: cache })(text, 'f');
    const [entry] = cachedFiles();
    writeFileSync(join(cache, 'tscompose', `parsed-v${PARSED_TREE_FORMAT}`, entry as string), '{ not json');
    assert.deepEqual(cachingParser({ TSCOMPOSE_CACHE_DIR: cache })(text, 'f')[0]?.tree, { services: { web: { image: 'a' } } });
    const other = mkdtempSync(join(tmpdir(), 'tscompose-cache-'));
    cachingParser({ TSCOMPOSE_CACHE_DIR: other, TSCOMPOSE_PARSE_CACHE: '0' })(text, 'f');
    assert.deepEqual(readdirSync(other), []);
    rmSync(other, { recursive: true, force: true });
  });

  it('does not cache what JSON cannot hold (.inf)', () => {
    const docs = cachingParser({ TSCOMPOSE_CACHE_DIR: cache })('x-n: .inf\nservices: {}\n', 'f');
    assert.equal(docs[0]?.tree['x-n'], Infinity);
    const folder = join(cache, 'tscompose', `parsed-v${PARSED_TREE_FORMAT}`);
    assert.deepEqual(existsSync(folder) ? readdirSync(folder) : [], []);
  });
});
