import assert from 'node:assert/strict';
import { goFileMode, requestedEntries, walkOrder, withParents } from '../../../src/engine/filesync-files.js';

const entry = (path: string, type = 'file') => ({ path, type });

describe('file sync: what BuildKit is sent of a folder', () => {
  it('walk order is depth first: a folder\'s contents come right after it, before a sibling named like it plus more', () => {
    const paths = ['a.txt', 'a', 'a/b', 'a-b', 'a/b/c', 'B', '.dockerignore'];
    assert.deepEqual(walkOrder(paths.map((p) => entry(p))).map((e) => e.path), ['.dockerignore', 'B', 'a', 'a/b', 'a/b/c', 'a-b', 'a.txt']);
  });

  it('modes are Go\'s os.FileMode: type bits high, special bits moved', () => {
    assert.equal(goFileMode('file', 0o644), 0o644);
    assert.equal(goFileMode('directory', 0o755), (0x80000000 | 0o755) >>> 0);
    assert.equal(goFileMode('symlink', 0o777), 0x8000000 | 0o777);
    assert.equal(goFileMode('file', 0o4755), 0x800000 | 0o755);
    assert.equal(goFileMode('directory', 0o1777), (0x80000000 | 0x100000 | 0o777) >>> 0);
  });

  it('followpaths: those paths, what is under them and the folders above them', () => {
    const all = ['.dockerignore', 'Dockerfile', 'src', 'src/app', 'src/app/main.go', 'src/lib', 'src/lib/x.go', 'docs', 'docs/a.md'].map((p) => entry(p, p.includes('.') ? 'file' : 'directory'));
    const pick = (followPaths: string[], includePatterns: string[] = []) => requestedEntries(all, { followPaths, includePatterns }).map((e) => e.path);
    assert.deepEqual(pick(['.dockerignore']), ['.dockerignore']);
    assert.deepEqual(pick(['Dockerfile', 'Dockerfile.dockerignore']), ['Dockerfile']);
    assert.deepEqual(pick(['src/app']), ['src', 'src/app', 'src/app/main.go']);
    assert.deepEqual(pick(['/src/lib/x.go']), ['src', 'src/lib', 'src/lib/x.go']);
    assert.deepEqual(pick([]).length, all.length);
    assert.deepEqual(pick(['.']).length, all.length, 'the root: everything');
    assert.deepEqual(pick([], ['*.md', 'docs/*.md']), ['docs', 'docs/a.md']);
    assert.deepEqual(pick([], ['src']), ['src', 'src/app', 'src/app/main.go', 'src/lib', 'src/lib/x.go']);
  });

  it('every folder above an entry is sent, even one .dockerignore left out while an exception kept a file in it', () => {
    const entries = [entry('docs/api/keep.md'), entry('a.txt'), entry('src', 'directory'), entry('src/x', 'file')];
    const all = walkOrder(withParents(entries, (path) => entry(path, 'directory')));
    assert.deepEqual(all.map((e) => `${e.path}:${e.type}`), ['a.txt:file', 'docs:directory', 'docs/api:directory', 'docs/api/keep.md:file', 'src:directory', 'src/x:file']);
  });
});
