import type { ContextEntry } from './build-context.js';

/**
 * What BuildKit's file sync (moby.filesync.v1.FileSync/DiffCopy, tonistiigi/fsutil's protocol) is
 * told about a folder, pure: the entries it asks for, in the order its receiver expects, with
 * their stat as Go's os.FileMode bits.
 */

/** Go's os.FileMode type and special bits, which fsutil's Stat.mode carries. */
const GO_MODE = { dir: 0x80000000, symlink: 0x8000000, setuid: 0x800000, setgid: 0x400000, sticky: 0x100000 } as const;

export function goFileMode(type: ContextEntry['type'], mode: number): number {
  let out = mode & 0o777;
  if (mode & 0o4000) out |= GO_MODE.setuid;
  if (mode & 0o2000) out |= GO_MODE.setgid;
  if (mode & 0o1000) out |= GO_MODE.sticky;
  if (type === 'directory') out |= GO_MODE.dir;
  if (type === 'symlink') out |= GO_MODE.symlink;
  return out >>> 0;
}

/** A path as fsutil compares it: byte order, with `/` below every other byte (a folder's contents come right after it). */
function walkKey(path: string): Buffer {
  const bytes = Buffer.from(path, 'utf8');
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x2f) bytes[i] = 0;
  return bytes;
}

/** Entries in fsutil's walk order: depth first, names in byte order within each folder. */
export function walkOrder<T extends { readonly path: string }>(entries: readonly T[]): T[] {
  return entries.map((e) => ({ e, key: walkKey(e.path) })).sort((a, b) => Buffer.compare(a.key, b.key)).map(({ e }) => e);
}

/** Go's filepath.Match, on whole paths (`*` and `?` stay within one name; `**` crosses them). */
function globRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        out += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

const clean = (path: string): string => {
  const trimmed = path.replace(/^(?:\.?\/)+|\/+$/g, '');
  return trimmed === '.' ? '' : trimmed;
};

/**
 * The entries a DiffCopy request asks for: with `followpaths`, those paths, what is under them and
 * the folders above them; with `include-patterns`, what matches (or lies under a match), and the
 * folders above it. Without either, everything.
 */
export function requestedEntries<T extends { readonly path: string; readonly type: string }>(
  entries: readonly T[],
  request: { readonly followPaths: readonly string[]; readonly includePatterns: readonly string[] },
): T[] {
  let kept = [...entries];
  const narrow = (wanted: (path: string) => boolean): void => {
    const keep = new Set<string>();
    for (const e of kept) {
      if (!wanted(e.path)) continue;
      keep.add(e.path);
      const parts = e.path.split('/');
      for (let i = 1; i < parts.length; i++) keep.add(parts.slice(0, i).join('/'));
    }
    kept = kept.filter((e) => keep.has(e.path));
  };
  const follow = request.followPaths.map(clean).filter((p) => p !== '');
  if (request.followPaths.length > 0 && !request.followPaths.some((p) => clean(p) === '')) {
    const matchers = follow.map(globRegExp);
    narrow((path) => follow.some((f, i) => path === f || path.startsWith(`${f}/`) || (matchers[i] as RegExp).test(path)));
  }
  const include = request.includePatterns.map(clean).filter((p) => p !== '');
  if (include.length > 0) {
    const matchers = include.map(globRegExp);
    narrow((path) => {
      const parts = path.split('/');
      return parts.some((_, i) => matchers.some((m) => m.test(parts.slice(0, i + 1).join('/'))));
    });
  }
  return kept;
}

/**
 * The entries with every folder above them: fsutil's receiver refuses a file whose folder it was
 * not sent ("changes out of order"), and a folder that .dockerignore leaves out while an exception
 * keeps something inside it is not listed. Such a folder is sent as 0755, with no time.
 */
export function withParents<T extends { readonly path: string; readonly type: string }>(entries: readonly T[], folder: (path: string) => T): T[] {
  const present = new Set(entries.map((e) => e.path));
  const added: T[] = [];
  for (const e of entries) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (present.has(parent)) continue;
      present.add(parent);
      added.push(folder(parent));
    }
  }
  return added.length === 0 ? [...entries] : [...entries, ...added];
}
