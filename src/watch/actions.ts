import type { ServiceHook } from '../model/project.js';
import { matchRule, type PathMapping, type WatchRule } from './rules.js';

/** What one batch of changes asks of one service, in the order it is done. */
export interface ServiceActions {
  readonly service: string;
  /** Build the image again and recreate the containers. */
  readonly rebuild: boolean;
  /** Files to copy or delete, one per container path (the last change wins). */
  readonly sync: readonly PathMapping[];
  /** Restart the containers (never after a rebuild: those containers are new). */
  readonly restart: boolean;
  /** Commands to run in each container after the sync, each rule's once. */
  readonly exec: readonly ServiceHook[];
}

/**
 * Turns a batch of changed host paths into each service's actions, as Compose does: every rule
 * that covers a path adds its action; paths no rule covers do nothing.
 */
export function planWatchActions(changes: Iterable<string>, rules: readonly WatchRule[]): ServiceActions[] {
  interface Draft { rebuild: boolean; sync: Map<string, PathMapping>; restart: boolean; exec: Map<WatchRule, ServiceHook> }
  const drafts = new Map<string, Draft>();
  const draftOf = (service: string): Draft => {
    let draft = drafts.get(service);
    if (draft === undefined) drafts.set(service, (draft = { rebuild: false, sync: new Map(), restart: false, exec: new Map() }));
    return draft;
  };
  for (const hostPath of changes) {
    for (const rule of rules) {
      const mapping = matchRule(rule, hostPath);
      if (mapping === undefined) continue;
      const draft = draftOf(rule.service);
      if (rule.action === 'rebuild') draft.rebuild = true;
      if (rule.action === 'restart' || rule.action === 'sync+restart') draft.restart = true;
      if (rule.action.startsWith('sync') && mapping.containerPath !== undefined) draft.sync.set(mapping.containerPath, mapping);
      if (rule.action === 'sync+exec' && rule.exec !== undefined) draft.exec.set(rule, rule.exec);
    }
  }
  return [...drafts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, d]) => ({
      service,
      rebuild: d.rebuild,
      sync: [...d.sync.values()].sort((a, b) => (a.containerPath ?? '').localeCompare(b.containerPath ?? '')),
      restart: d.restart && !d.rebuild,
      exec: [...d.exec.entries()].sort(([a], [b]) => a.index - b.index).map(([, hook]) => hook),
    }));
}

/** A sync batch split by what the host has now: paths to copy, and container paths to delete. */
export interface SyncPlan {
  readonly copy: readonly PathMapping[];
  readonly remove: readonly string[];
}

/**
 * Splits mappings by whether their host path still exists. A deleted folder's children are not
 * listed again: removing the folder removes them.
 */
export function splitSync(mappings: readonly PathMapping[], exists: (hostPath: string) => boolean): SyncPlan {
  const copy: PathMapping[] = [];
  const gone: string[] = [];
  for (const m of mappings) {
    if (m.containerPath === undefined) continue;
    if (exists(m.hostPath)) copy.push(m);
    else gone.push(m.containerPath);
  }
  const sorted = [...new Set(gone)].sort();
  const remove = sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(`${q}/`)));
  return { copy, remove };
}
