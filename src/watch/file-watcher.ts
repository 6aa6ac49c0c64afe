import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** A running file watcher. */
export interface FileWatcher {
  close(): Promise<void>;
}

/**
 * The folder to watch for a rule's path: the path itself when it is a folder, else the folder
 * that holds it, or the nearest one that exists (the path may be created later).
 */
export function folderToWatch(path: string): string {
  let current = path;
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
  return statSync(current).isDirectory() ? current : dirname(current);
}

interface ParcelEvent { readonly path: string; readonly type: 'create' | 'update' | 'delete' }
interface ParcelWatcher {
  subscribe(dir: string, callback: (error: Error | null, events: ParcelEvent[]) => void): Promise<{ unsubscribe(): Promise<void> }>;
}

/**
 * Watches folders recursively with @parcel/watcher (inotify on Linux, FSEvents on macOS; chosen by
 * measurement, see docs/watch.md), loaded only when something is watched. `onChange` gets the
 * absolute paths of each burst of events.
 */
export async function watchFolders(
  paths: readonly string[],
  onChange: (paths: readonly string[]) => void,
  onError: (error: Error) => void,
): Promise<FileWatcher> {
  const loaded = (await import('@parcel/watcher')) as unknown as ParcelWatcher & { default?: ParcelWatcher };
  const parcel = loaded.default ?? loaded;
  const folders = [...new Set(paths.map(folderToWatch))].sort();
  const roots = folders.filter((f) => !folders.some((o) => o !== f && f.startsWith(`${o}/`)));
  const subscriptions = await Promise.all(roots.map((root) => parcel.subscribe(root, (error, events) => {
    if (error !== null) onError(error);
    else if (events.length > 0) onChange(events.map((e) => e.path));
  })));
  return {
    async close() {
      await Promise.all(subscriptions.map((s) => s.unsubscribe()));
    },
  };
}
