import type { Engine } from '../engine/engine.js';
import { EngineError } from '../errors.js';
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

/** Applies what `attempt` plans; after a concurrent change, reads and plans again (a bounded number of times). */
export async function retryOnConcurrentChange<T>(options: FlowOptions, project: string, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= CONCURRENT_CHANGE_RETRIES || options.signal?.aborted === true || !isConcurrentChange(error)) throw error;
      options.sink.warn(
        `project ${project} changed while this run applied its plan (${(error as Error).message.split('\n')[0]}): ` +
        'someone else may be converging it: reading the state again',
      );
    }
  }
}
