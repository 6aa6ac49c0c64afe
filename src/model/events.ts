/** Progress events: apply, wait and the other flows emit them; ui renders them. */

export type ResourceKind = 'container' | 'network' | 'volume' | 'image' | 'service' | 'config' | 'secret';

export type ProgressStatus =
  | 'creating' | 'created'
  | 'starting' | 'started'
  | 'recreating' | 'recreated'
  | 'stopping' | 'stopped'
  | 'removing' | 'removed'
  | 'waiting' | 'healthy' | 'exited'
  /** Every readiness check of the container holds (x-tscompose.ready, --wait-for). */
  | 'ready'
  | 'building' | 'built' | 'pulling' | 'pulled' | 'pushing' | 'pushed'
  | 'running'
  | 'killing' | 'killed'
  | 'pausing' | 'paused' | 'unpausing' | 'unpaused'
  | 'restarting' | 'restarted'
  | 'copying' | 'copied'
  | 'connecting' | 'connected' | 'disconnecting' | 'disconnected'
  | 'hooking' | 'hooked'
  | 'updating' | 'updated' | 'converged'
  | 'warning'
  | 'error';

/** One step of a BuildKit build as it changes: `#5 [2/3] RUN make`, then CACHED, DONE or ERROR. */
export interface BuildStep {
  /** Compose-like numbering, in order of first appearance, from 1. */
  readonly id: number;
  readonly name: string;
  readonly state: 'started' | 'cached' | 'done' | 'error' | 'log';
  /** Seconds the step took, once done. */
  readonly seconds?: number;
  readonly error?: string;
  /** One output line of the step (state `log`), after its time since the step started. */
  readonly log?: string;
}

export interface ProgressEvent {
  readonly kind: ResourceKind;
  /** The engine name: `hello-web-1`, `hello_default`. */
  readonly name: string;
  readonly status: ProgressStatus;
  /** Whether this event ends the resource's row (done or failed). */
  readonly done: boolean;
  readonly detail?: string;
  /** One line of a build's output or a pull's status, shown under the resource's row. */
  readonly line?: string;
  /** A BuildKit step of the image being built (status `building`). */
  readonly step?: BuildStep;
  readonly time: number;
}

export interface EventSink {
  emit(event: ProgressEvent): void;
  /** A free-form warning not tied to one resource. */
  warn(message: string): void;
}

export const silentSink: EventSink = { emit() {}, warn() {} };

export function progress(
  kind: ResourceKind,
  name: string,
  status: ProgressStatus,
  done: boolean,
  detail?: string,
): ProgressEvent {
  return detail === undefined
    ? { kind, name, status, done, time: Date.now() }
    : { kind, name, status, done, detail, time: Date.now() };
}

/** A line of output (build step, pull status) for a resource whose row is still open. */
export function outputLine(kind: ResourceKind, name: string, status: ProgressStatus, line: string): ProgressEvent {
  return { kind, name, status, done: false, line, time: Date.now() };
}

/** A BuildKit step of an image being built, as an event under the image's row. */
export function buildStepEvent(name: string, step: BuildStep): ProgressEvent {
  return { kind: 'image', name, status: 'building', done: false, step, time: Date.now() };
}
