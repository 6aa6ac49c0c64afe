import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Content digests of a context's files from the last time it was digested, keyed by what the file
 * system says of each file (size, modification and change times, inode), as git's index does: a
 * file whose stat is unchanged is not read again. Without it, every `up` of a service with a big
 * context would hash all of it. A file changed within a second of being digested is not kept,
 * since a second change in the same instant could leave its stat as it was.
 */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

type Row = [size: number, mtimeMs: number, ctimeMs: number, ino: number, digest: string];

export interface DigestCache {
  get(path: string, stamp: FileStamp): string | undefined;
  set(path: string, stamp: FileStamp, digest: string): void;
  save(): Promise<void>;
}

const RACY_MS = 1000;
const STALE_MS = 14 * 24 * 3600 * 1000;

const NO_CACHE: DigestCache = { get: () => undefined, set: () => undefined, save: async () => undefined };

/** The cache of one context (and Dockerfile choice) in `dir`, loaded; an unreadable one is an empty one; no folder, no cache. */
export async function openDigestCache(context: string, key: string, dir: string | undefined): Promise<DigestCache> {
  if (dir === undefined) return NO_CACHE;
  const file = join(dir, `${createHash('sha256').update(`${context}\0${key}`).digest('hex').slice(0, 32)}.json`);
  let before: Record<string, Row> = {};
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { context?: unknown; rows?: unknown };
    if (parsed.context === context && typeof parsed.rows === 'object' && parsed.rows !== null) before = parsed.rows as Record<string, Row>;
  } catch {
    // none yet, or not ours to trust
  }
  const after: Record<string, Row> = Object.create(null) as Record<string, Row>;
  const same = (row: Row | undefined, s: FileStamp): row is Row =>
    Array.isArray(row) && row[0] === s.size && row[1] === s.mtimeMs && row[2] === s.ctimeMs && row[3] === s.ino && typeof row[4] === 'string';
  let changed = false;
  return {
    get(path, s) {
      const row = Object.hasOwn(before, path) ? before[path] : undefined;
      if (!same(row, s)) return undefined;
      after[path] = row;
      return row[4];
    },
    set(path, s, digest) {
      changed = true;
      if (Date.now() - Math.max(s.mtimeMs, s.ctimeMs) < RACY_MS) return;
      after[path] = [s.size, s.mtimeMs, s.ctimeMs, s.ino, digest];
    },
    async save() {
      if (!changed && Object.keys(after).length === Object.keys(before).length) return;
      try {
        await mkdir(dir, { recursive: true });
        const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temporary, JSON.stringify({ context, rows: after }));
        await rename(temporary, file);
        await prune(dir);
      } catch {
        // A cache that cannot be written only costs the next run a full read.
      }
    },
  };
}

/** Caches of contexts not digested for two weeks (temporary folders, old checkouts) are removed. */
async function prune(dir: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && now - info.mtimeMs > STALE_MS) await unlink(path).catch(() => undefined);
  }
}
