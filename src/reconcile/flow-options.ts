import type { EventSink } from '../model/events.js';

/** What every read-plan-apply flow is given. */
export interface FlowOptions {
  readonly sink: EventSink;
  readonly signal?: AbortSignal;
  /** Plan only: nothing is changed on the engine. */
  readonly dryRun?: boolean;
}
