import type { EventSink } from '../model/events.js';

/** What every read-plan-apply flow is given. */
export interface FlowOptions {
  readonly sink: EventSink;
  readonly signal?: AbortSignal;
  /** Plan only: nothing is changed on the engine. */
  readonly dryRun?: boolean;
  /** Most steps in flight at once (--parallel, COMPOSE_PARALLEL_LIMIT); unset: as many as the graph allows. */
  readonly concurrency?: number;
}

/** What apply takes from a flow's options: where progress goes, Ctrl-C, the bound on steps in flight. */
export function walkOptions(options: Pick<FlowOptions, 'sink' | 'signal' | 'concurrency'>): { sink: EventSink; signal?: AbortSignal; concurrency?: number } {
  return {
    sink: options.sink,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  };
}
