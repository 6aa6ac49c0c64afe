import type { Engine } from '../engine/engine.js';
import type { EventSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import { runLifecycle } from './lifecycle.js';
import { planKill, planStop } from './plan-lifecycle.js';
import type { Plan } from './plan-types.js';

export interface StopServicesOptions {
  readonly sink: EventSink;
  readonly timeout: number | undefined;
  /** Aborted to force the stop (a second Ctrl-C): what still runs is killed, and no further stop begins. */
  readonly force?: AbortSignal;
  /** Most stops (or kills) in flight at once. */
  readonly concurrency?: number;
}

/**
 * Stops the running containers of `services` (all when empty) as `stop` does, through plan and
 * apply: pre_stop hooks, each container after those that depend on it, in parallel where the
 * graph allows; a failed step is reported by the apply error. Forcing plans and applies a kill.
 */
export async function stopServices(engine: Engine, project: Project, services: readonly string[], options: StopServicesOptions): Promise<Plan> {
  const bound = options.concurrency === undefined ? {} : { concurrency: options.concurrency };
  let killing: Promise<unknown> = Promise.resolve();
  const kill = (): void => {
    killing = runLifecycle(engine, project.name, project,
      (p, s) => planKill(p, s, { services, signal: undefined, removeOrphans: false }), { sink: options.sink, ...bound })
      .catch((error: unknown) => options.sink.warn(`forced stop: ${(error as Error).message}`));
  };
  if (options.force?.aborted === true) kill();
  else options.force?.addEventListener('abort', kill, { once: true });
  try {
    const { plan } = await runLifecycle(engine, project.name, project,
      (p, s) => planStop(p, s, { services, timeout: options.timeout }),
      { sink: options.sink, ...bound, ...(options.force === undefined ? {} : { signal: options.force }) });
    return plan;
  } catch (error) {
    // Once forced, steps cut short by the kill (a pre_stop hook, say) are expected: reported, not fatal.
    if (options.force?.aborted !== true) throw error;
    options.sink.warn((error as Error).message);
    return { nodes: [], warnings: [] };
  } finally {
    options.force?.removeEventListener('abort', kill);
    await killing;
  }
}
