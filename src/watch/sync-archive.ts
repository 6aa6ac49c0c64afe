import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { TarEntry } from '../engine/tar.js';
import type { PathMapping } from './rules.js';

/**
 * The tar entries that put the host's current files at their container paths: files with their
 * content and mode, folders with everything below them (minus what `skip` says), symlinks as
 * symlinks (as Compose does: the link is copied, not what it points to). A path that vanished
 * since it was seen is left out. The last entry for a container path wins.
 */
export async function syncEntries(copy: readonly PathMapping[], skip: (hostPath: string) => boolean): Promise<TarEntry[]> {
  const entries = new Map<string, TarEntry>();
  const add = async (hostPath: string, containerPath: string, top: boolean): Promise<void> => {
    if (!top && skip(hostPath)) return;
    const stat = await lstat(hostPath).catch(() => undefined);
    if (stat === undefined) return;
    const path = containerPath.replace(/^\/+/, '');
    const common = { path, mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid, mtime: Math.floor(stat.mtimeMs / 1000) };
    if (stat.isSymbolicLink()) {
      const linkname = await readlink(hostPath).catch(() => undefined);
      if (linkname !== undefined) entries.set(path, { ...common, type: 'symlink', linkname, content: Buffer.alloc(0) });
    } else if (stat.isDirectory()) {
      entries.set(path, { ...common, type: 'directory', content: Buffer.alloc(0) });
      const children = await readdir(hostPath).catch(() => [] as string[]);
      for (const child of children.sort()) await add(join(hostPath, child), posix.join(containerPath, child), false);
    } else if (stat.isFile()) {
      const content = await readFile(hostPath).catch(() => undefined);
      if (content !== undefined) entries.set(path, { ...common, type: 'file', content });
    }
  };
  for (const m of copy) if (m.containerPath !== undefined) await add(m.hostPath, m.containerPath, true);
  return [...entries.values()];
}

/**
 * Without the folder entries that other entries already imply. The engine refuses a whole archive
 * when a folder entry meets a path the container has as a symlink; Compose then sends it again
 * without them, and so do we.
 */
export function withoutImpliedFolders(entries: readonly TarEntry[]): TarEntry[] {
  const parents = new Set(entries.map((e) => posix.dirname(e.path)));
  return entries.filter((e) => e.type !== 'directory' || !parents.has(e.path));
}
