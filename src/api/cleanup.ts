import { createEngineProvider } from '../engine/connect.js';
import type { ProgressEvent } from '../model/events.js';
import { reapProjects, type ReapTarget } from '../reconcile/reap.js';

export interface CleanupOptions {
  /** Projects whose name starts with this. */
  readonly prefix?: string;
  /** Projects whose newest container is older than this. */
  readonly olderThanMs?: number;
  /** Also projects made by another tool (Docker Compose). Default false. */
  readonly allTools?: boolean;
  /** Say what would go, remove nothing. */
  readonly dryRun?: boolean;
  /** Where DOCKER_HOST is read; empty when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/**
 * The reaper: removes every project on the engine (containers, networks, volumes, found by label)
 * matching the prefix and/or age, made by tscompose unless `allTools`. At least one of prefix
 * and olderThanMs is required. Returns the projects removed (or that would be).
 */
export async function cleanupProjects(options: CleanupOptions): Promise<ReapTarget[]> {
  const engine = await createEngineProvider(options.env ?? {})();
  return reapProjects(engine, {
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.olderThanMs === undefined ? {} : { olderThanMs: options.olderThanMs }),
    allTools: options.allTools ?? false,
  }, {
    sink: { emit: (event) => options.onProgress?.(event), warn: () => {} },
    dryRun: options.dryRun ?? false,
    now: Date.now(),
  });
}
