import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncEntries, withoutImpliedFolders } from '../../../src/watch/sync-archive.js';

describe('syncEntries: the tar entries of a sync', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsct-watch-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps modes, walks folders minus skipped paths, copies symlinks as links and leaves out vanished paths', async () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'run.sh'), 'echo hi');
    chmodSync(join(dir, 'sub', 'run.sh'), 0o755);
    writeFileSync(join(dir, 'sub', 'skip.log'), 'x');
    symlinkSync('run.sh', join(dir, 'sub', 'link'));
    const entries = await syncEntries([
      { hostPath: join(dir, 'sub'), containerPath: '/srv/sub' },
      { hostPath: join(dir, 'gone'), containerPath: '/srv/gone' },
    ], (p) => p.endsWith('.log'));
    const byPath = new Map(entries.map((e) => [e.path, e]));
    assert.deepEqual([...byPath.keys()].sort(), ['srv/sub', 'srv/sub/link', 'srv/sub/run.sh']);
    assert.equal(byPath.get('srv/sub')?.type, 'directory');
    assert.equal(byPath.get('srv/sub/run.sh')?.mode, 0o755);
    assert.equal(byPath.get('srv/sub/run.sh')?.content.toString(), 'echo hi');
    assert.equal(byPath.get('srv/sub/link')?.type, 'symlink');
    assert.equal(byPath.get('srv/sub/link')?.linkname, 'run.sh');
    assert.deepEqual(withoutImpliedFolders(entries).map((e) => e.path).sort(), ['srv/sub/link', 'srv/sub/run.sh']);
  });
});
