import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDigestCache } from '../../../src/engine/digest-cache.js';
import { digestCacheDir } from '../../../src/engine/docker-host.js';

describe('digest cache: a context file whose stat is unchanged is not hashed again', () => {
  let home: string;
  beforeEach(() => { home = mkdtempSync(join(tmpdir(), 'tsct-cache-')); });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const env = () => digestCacheDir({ XDG_CACHE_HOME: home });
  const old = Date.now() - 60_000;
  const stamp = { size: 3, mtimeMs: old, ctimeMs: old, ino: 42 };

  it('answers for the same size, times and inode only, in the next run', async () => {
    const first = await openDigestCache('/ctx', 'Dockerfile', env());
    assert.equal(first.get('a.txt', stamp), undefined);
    first.set('a.txt', stamp, 'd1');
    await first.save();
    const next = await openDigestCache('/ctx', 'Dockerfile', env());
    assert.equal(next.get('a.txt', stamp), 'd1');
    for (const changed of [{ size: 4 }, { mtimeMs: old + 1 }, { ctimeMs: old + 0.5 }, { ino: 43 }]) {
      assert.equal(next.get('a.txt', { ...stamp, ...changed }), undefined, JSON.stringify(changed));
    }
    assert.equal((await openDigestCache('/other', 'Dockerfile', env())).get('a.txt', stamp), undefined, 'per context');
    assert.equal((await openDigestCache('/ctx', 'Dockerfile.prod', env())).get('a.txt', stamp), undefined, 'per Dockerfile');
  });

  it('does not keep a file changed within the last second (a second change could keep its stat)', async () => {
    const cache = await openDigestCache('/ctx', 'Dockerfile', env());
    const now = Date.now();
    cache.set('fresh.txt', { ...stamp, mtimeMs: now, ctimeMs: now }, 'd2');
    await cache.save();
    assert.equal((await openDigestCache('/ctx', 'Dockerfile', env())).get('fresh.txt', { ...stamp, mtimeMs: now, ctimeMs: now }), undefined);
  });

  it('forgets files that are gone, and a damaged cache file is an empty cache', async () => {
    const cache = await openDigestCache('/ctx', 'Dockerfile', env());
    cache.set('a.txt', stamp, 'd1');
    cache.set('b.txt', stamp, 'd2');
    await cache.save();
    const next = await openDigestCache('/ctx', 'Dockerfile', env());
    assert.equal(next.get('a.txt', stamp), 'd1');
    await next.save();
    assert.equal((await openDigestCache('/ctx', 'Dockerfile', env())).get('b.txt', stamp), undefined);
    const dir = join(home, 'tscompose', 'context-digests');
    const [file] = readdirSync(dir);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, file as string), '{not json');
    assert.equal((await openDigestCache('/ctx', 'Dockerfile', env())).get('a.txt', stamp), undefined);
  });

  it('lives under XDG_CACHE_HOME, else ~/.cache; without a folder nothing is kept', async () => {
    assert.equal(digestCacheDir({ XDG_CACHE_HOME: '/x' }), '/x/tscompose/context-digests');
    assert.equal(digestCacheDir({ HOME: '/home/u' }), '/home/u/.cache/tscompose/context-digests');
    const none = await openDigestCache('/ctx', 'Dockerfile', undefined);
    none.set('a.txt', stamp, 'd1');
    await none.save();
    assert.equal((await openDigestCache('/ctx', 'Dockerfile', undefined)).get('a.txt', stamp), undefined);
  });
});
