import type { Engine } from '../engine/engine.js';
import { EngineError, StaleTaskError } from '../errors.js';
import { ApplyError } from './apply.js';
import type { FlowOptions } from './flow-options.js';

/**
 * Runs read → plan → apply of a project while holding its lock, so two runs on this machine
 * never plan against the same state: the second waits and then finds the first one's work done.
 * A dry run changes nothing and takes no lock.
 */
export async function underProjectLock<T>(engine: Engine, project: string, options: FlowOptions, run: () => Promise<T>): Promise<T> {
  if (options.dryRun === true) return run();
  const lock = await engine.locks.project(project, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onWait: (pid) => options.sink.warn(
      `another tscompose run${pid === undefined ? '' : ` (pid ${pid})`} is changing project ${project} on this engine: waiting for it to finish`,
    ),
  });
  try {
    return await run();
  } finally {
    await lock.release();
  }
}

/** How many times a run reads the state again after a concurrent change, before it gives up. */
export const CONCURRENT_CHANGE_RETRIES = 3;

/**
 * A failure that means someone else (another machine on the same engine) is changing the project
 * at the same moment: a name taken between our read and our create or rename (409), or a
 * container gone between our read and our step (404), a network made twice at once (ambiguous,
 * the copy a start resolved removed by the other run, or a copy we remove joined by its
 * container). Reading the state again and re-planning resolves it; any other failure is the
 * run's own.
 */
export function isConcurrentChange(error: unknown): boolean {
  if (!(error instanceof ApplyError)) return false;
  return error.failures.every(({ node, error: cause }) => {
    if (!(cause instanceof EngineError)) return false;
    const op = node.operation.type;
    if (cause.statusCode === 409) return op === 'create-container' || op === 'rename-container' || op === 'create-network';
    if (cause.statusCode === 404) return /no such container/i.test(cause.message) && op.endsWith('-container');
    // Two runs made the network at once and the other one removed the copy this start resolved.
    if (op === 'start-container' && /network .* not found/i.test(cause.message)) return true;
    // A copy of a network made twice at once, joined by the other run's container after our read.
    if (op === 'remove-network' && /in use|active endpoints/i.test(cause.message)) return true;
    return /is ambiguous/.test(cause.message);
  });
}

/**
 * Containers the engine refused to start (or restart) because a task of theirs outlived an engine
 * restart (moby/moby#50040), when that is every failure of the run: the containers, by the
 * reference the step used (an ID, or a new container's name). Otherwise undefined.
 */
export function staleTaskContainers(error: unknown): string[] | undefined {
  if (!(error instanceof ApplyError)) return undefined;
  const out: string[] = [];
  for (const { node, error: cause } of error.failures) {
    const op = node.operation;
    if (!(cause instanceof StaleTaskError) || (op.type !== 'start-container' && op.type !== 'restart-container')) return undefined;
    out.push(op.container);
  }
  return out.length > 0 ? out : undefined;
}

/** What a run learned from the engine's answers, for its next plan. */
export interface RunLearned {
  /** Containers that cannot start where they are (a stale task): the plan replaces them. */
  readonly unstartable: ReadonlySet<string>;
}

/**
 * Applies what `attempt` plans; after a concurrent change, or containers the engine can no longer
 * start, reads and plans again (a bounded number of times) with what it learned.
 */
export async function replanOnRecoverableFailure<T>(
  options: FlowOptions,
  project: string,
  attempt: (learned: RunLearned) => Promise<T>,
): Promise<T> {
  const unstartable = new Set<string>();
  for (let tries = 0; ; tries++) {
    try {
      return await attempt({ unstartable });
    } catch (error) {
      if (tries >= CONCURRENT_CHANGE_RETRIES || options.signal?.aborted === true) throw error;
      const stale = staleTaskContainers(error)?.filter((c) => !unstartable.has(c));
      if (stale !== undefined && stale.length > 0) {
        for (const c of stale) unstartable.add(c);
        options.sink.warn(
          `the engine cannot start ${stale.join(', ')}: a task of ${stale.length === 1 ? 'it' : 'them'} outlived an engine restart ` +
          '(moby/moby#50040): replacing the container, its volumes kept',
        );
        continue;
      }
      if (!isConcurrentChange(error)) throw error;
      options.sink.warn(
        `project ${project} changed while this run applied its plan (${(error as Error).message.split('\n')[0]}): ` +
        'someone else may be converging it: reading the state again',
      );
    }
  }
}
