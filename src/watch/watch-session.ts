import { existsSync, lstatSync } from 'node:fs';
import { buildTar } from '../engine/tar.js';
import type { ServiceHook } from '../model/project.js';
import { hookRequest } from '../reconcile/hooks.js';
import { planWatchActions, splitSync, type ServiceActions } from './actions.js';
import { ChangeCoalescer, type Timers } from './coalescer.js';
import type { WatchPort } from './engine-adapter.js';
import { matchRule, SYNC_ACTIONS, type PathMapping, type WatchRule } from './rules.js';
import { syncEntries, withoutImpliedFolders } from './sync-archive.js';

/** What watching tells the terminal, one line each. */
export type WatchReport =
  | { readonly kind: 'syncing'; readonly service: string; readonly changes: number; readonly initial: boolean }
  | { readonly kind: 'synced'; readonly service: string; readonly containers: number; readonly copied: number; readonly removed: number }
  | { readonly kind: 'rebuilding'; readonly services: readonly string[] }
  | { readonly kind: 'rebuilt'; readonly services: readonly string[] }
  | { readonly kind: 'restarting'; readonly service: string }
  | { readonly kind: 'exec'; readonly service: string; readonly container: string; readonly command: readonly string[]; readonly exitCode: number; readonly output: string }
  | { readonly kind: 'pruned'; readonly images: readonly string[] }
  | { readonly kind: 'large-batch'; readonly changes: number }
  | { readonly kind: 'failed'; readonly service: string; readonly action: string; readonly message: string };

export interface WatchSessionOptions {
  readonly rules: readonly WatchRule[];
  readonly port: WatchPort;
  /** Remove the image a rebuild left dangling. */
  readonly prune: boolean;
  readonly report: (report: WatchReport) => void;
  /**
   * Quiet period and longest wait of a batch (defaults: 25 ms, 250 ms inside a burst of 10 or more
   * paths, and 1 s; the file watcher itself already gathers events for ~50 ms).
   */
  readonly quietMs?: number;
  readonly maxWaitMs?: number;
  readonly timers?: Timers;
}

const LARGE_BATCH = 1000;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Watching, between the file watcher and the engine: changed paths in, batches of actions out,
 * one batch at a time, failures reported and watching going on.
 */
export class WatchSession {
  private readonly coalescer: ChangeCoalescer;

  constructor(private readonly options: WatchSessionOptions) {
    this.coalescer = new ChangeCoalescer(
      {
        quietMs: options.quietMs ?? 25,
        maxWaitMs: options.maxWaitMs ?? 1000,
        burstQuietMs: 250,
        burstSize: 10,
        ...(options.timers === undefined ? {} : { timers: options.timers }),
      },
      (batch) => this.handleBatch(batch),
    );
  }

  /** The folders and files the file watcher must watch: each rule's path, nested ones left out. */
  watchedPaths(): string[] {
    const paths = [...new Set(this.options.rules.map((r) => r.path))].sort();
    return paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}/`)));
  }

  changed(paths: Iterable<string>): void {
    this.coalescer.add(paths);
  }

  /** Resolves once every change seen so far has been acted on. */
  idle(): Promise<void> {
    return this.coalescer.idle();
  }

  close(): void {
    this.coalescer.close();
  }

  /** The rules with initial_sync: their whole path is copied before watching starts. */
  async initialSync(): Promise<void> {
    for (const rule of this.options.rules) {
      if (!rule.initialSync || !SYNC_ACTIONS.has(rule.action) || rule.target === undefined || !existsSync(rule.path)) continue;
      await this.sync(rule.service, [{ hostPath: rule.path, containerPath: rule.target }], true);
    }
  }

  private async handleBatch(batch: ReadonlySet<string>): Promise<void> {
    if (batch.size > LARGE_BATCH) this.options.report({ kind: 'large-batch', changes: batch.size });
    const actions = planWatchActions(batch, this.options.rules);
    const rebuilds = actions.filter((a) => a.rebuild).map((a) => a.service);
    if (rebuilds.length > 0) await this.rebuild(rebuilds);
    await Promise.all(actions.map((a) => this.afterRebuild(a)));
  }

  private async afterRebuild(actions: ServiceActions): Promise<void> {
    const { service } = actions;
    if (actions.sync.length > 0) await this.sync(service, actions.sync, false);
    if (actions.restart) {
      this.options.report({ kind: 'restarting', service });
      await this.options.port.restart([service]).catch((e: unknown) => this.fail(service, 'restart', e));
    }
    for (const hook of actions.exec) await this.exec(service, hook);
  }

  private async rebuild(services: readonly string[]): Promise<void> {
    const { port, report } = this.options;
    report({ kind: 'rebuilding', services });
    try {
      const before = this.options.prune ? await port.serviceImageIds(services) : new Set<string>();
      await port.rebuild(services);
      report({ kind: 'rebuilt', services });
      if (this.options.prune && before.size > 0) {
        const removed = await port.pruneDangling(services, await port.serviceImageIds(services));
        if (removed.length > 0) report({ kind: 'pruned', images: removed });
      }
    } catch (error) {
      for (const service of services) this.fail(service, 'rebuild', error);
    }
  }

  private async sync(service: string, mappings: readonly PathMapping[], initial: boolean): Promise<void> {
    const { port, report } = this.options;
    report({ kind: 'syncing', service, changes: mappings.length, initial });
    try {
      const plan = splitSync(mappings, (p) => lstatSync(p, { throwIfNoEntry: false }) !== undefined);
      const syncRules = this.options.rules.filter((r) => r.service === service && SYNC_ACTIONS.has(r.action));
      const entries = await syncEntries(plan.copy, (hostPath) => syncRules.every((r) => matchRule(r, hostPath) === undefined));
      const containers = await port.runningContainers(service);
      await Promise.all(containers.map(async (c) => {
        if (plan.remove.length > 0) {
          const outcome = await port.exec(c.id, { command: ['rm', '-rf', ...plan.remove] });
          if (outcome.exitCode !== 0) throw new Error(`rm -rf in ${c.name} exited with ${outcome.exitCode}: ${outcome.output.trim()}`);
        }
        if (entries.length === 0) return;
        try {
          await port.putArchive(c.id, buildTar(entries));
        } catch (error) {
          if (!message(error).includes('cannot overwrite non-directory')) throw error;
          await port.putArchive(c.id, buildTar(withoutImpliedFolders(entries)));
        }
      }));
      report({ kind: 'synced', service, containers: containers.length, copied: entries.length, removed: plan.remove.length });
    } catch (error) {
      this.fail(service, 'sync', error);
    }
  }

  private async exec(service: string, hook: ServiceHook): Promise<void> {
    try {
      for (const c of await this.options.port.runningContainers(service)) {
        const outcome = await this.options.port.exec(c.id, hookRequest(hook));
        this.options.report({ kind: 'exec', service, container: c.name, command: hook.command, exitCode: outcome.exitCode, output: outcome.output });
      }
    } catch (error) {
      this.fail(service, 'exec', error);
    }
  }

  private fail(service: string, action: string, error: unknown): void {
    this.options.report({ kind: 'failed', service, action, message: message(error) });
  }
}
