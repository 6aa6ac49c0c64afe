import type { SwarmService, SwarmTask } from '../engine/swarm-api.js';
import { canonicalJson } from '../model/config-hash.js';
import { compact } from './service-spec.js';

export type ProgressState = 'converged' | 'pending' | 'failed';

export interface ServiceProgress {
  readonly state: ProgressState;
  /** Tasks running (or completed, for jobs) of the current spec. */
  readonly done: number;
  /** How many the service wants; for global services, the tasks the scheduler made. */
  readonly wanted: number;
  /** Why it is not there yet, or why it failed: a task's error or the scheduler's message. */
  readonly reason?: string;
  /** The task whose error is the reason, for its logs. */
  readonly failingTask?: SwarmTask;
}

type Json = Record<string, unknown>;

function containerSpec(value: unknown): string {
  const spec = ((value as Json | undefined)?.['ContainerSpec'] ?? {}) as Json;
  const copy = JSON.parse(JSON.stringify(spec)) as Json;
  for (const ref of [...((copy['Secrets'] as Json[] | undefined) ?? []), ...((copy['Configs'] as Json[] | undefined) ?? [])]) {
    delete ref['SecretID'];
    delete ref['ConfigID'];
  }
  return canonicalJson(compact(copy));
}

const FAILED = new Set(['failed', 'rejected']);
/** After this many failed tasks of the current spec, waiting longer will not help. */
const FAILURES_BEFORE_GIVING_UP = 3;

/**
 * How far a service is from what its spec asks. Pure: the tasks of the service as the engine lists
 * them. A task counts when it was made from the current container spec, so a rolling update is
 * done only once the new tasks run; a job counts completed tasks; `monitorNs` (update_config.monitor)
 * asks tasks to have run that long before they count.
 */
export function serviceProgress(service: SwarmService, tasks: readonly SwarmTask[], now: number, since: number): ServiceProgress {
  const mode = (service.spec['Mode'] ?? {}) as Json;
  const current = containerSpec(service.spec['TaskTemplate']);
  const mine = tasks.filter((t) => t.serviceId === service.id && containerSpec(t.spec) === current);
  const recentFailures = mine
    .filter((t) => FAILED.has(t.state) && Date.parse(t.timestamp) >= since)
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp));
  const failure = recentFailures[0];
  const failureReason = failure === undefined ? undefined : `${failure.state}: ${failure.error || failure.message}${failure.exitCode === undefined ? '' : ` (exit code ${failure.exitCode})`}`;
  const failedOrPending = (done: number, wanted: number, jobFailed = false): ServiceProgress => {
    if (failure !== undefined && (jobFailed || recentFailures.length >= FAILURES_BEFORE_GIVING_UP)) {
      return { state: 'failed', done, wanted, reason: failureReason as string, failingTask: failure };
    }
    const waiting = mine.find((t) => t.desiredState !== 'shutdown' && t.state !== 'running' && t.state !== 'complete');
    const reason = failureReason ?? (waiting === undefined ? undefined : `${waiting.state}${waiting.error === '' ? (waiting.message === '' ? '' : `: ${waiting.message}`) : `: ${waiting.error}`}`);
    return { state: 'pending', done, wanted, ...(reason === undefined ? {} : { reason }), ...(failure === undefined ? {} : { failingTask: failure }) };
  };

  if (service.updateState === 'paused' || service.updateState === 'rollback_completed' || service.updateState === 'rollback_paused') {
    return { state: 'failed', done: 0, wanted: 0, reason: `update ${service.updateState.replace('_', ' ')}: ${service.updateMessage ?? ''}`.trim(), ...(failure === undefined ? {} : { failingTask: failure }) };
  }
  const monitorNs = Number(((service.spec['UpdateConfig'] ?? {}) as Json)['Monitor'] ?? 0);
  const runningLongEnough = (t: SwarmTask): boolean => t.state === 'running' && t.desiredState === 'running'
    && (monitorNs === 0 || now - Date.parse(t.timestamp) >= monitorNs / 1e6);

  if (mode['ReplicatedJob'] !== undefined) {
    const total = Number((mode['ReplicatedJob'] as Json)['TotalCompletions'] ?? 1);
    const complete = mine.filter((t) => t.state === 'complete').length;
    if (complete >= total) return { state: 'converged', done: complete, wanted: total };
    const restart = (((service.spec['TaskTemplate'] as Json | undefined)?.['RestartPolicy'] ?? {}) as Json)['Condition'];
    return failedOrPending(complete, total, restart === 'none');
  }
  if (mode['GlobalJob'] !== undefined) {
    const live = mine.filter((t) => t.desiredState !== 'shutdown' || t.state === 'complete');
    const complete = live.filter((t) => t.state === 'complete').length;
    if (live.length > 0 && complete === live.length) return { state: 'converged', done: complete, wanted: live.length };
    return failedOrPending(complete, live.length);
  }
  const wanted = mode['Global'] !== undefined
    ? mine.filter((t) => t.desiredState === 'running').length
    : Number((mode['Replicated'] as Json | undefined)?.['Replicas'] ?? 1);
  const running = mine.filter(runningLongEnough).length;
  // Old tasks still running mean a rolling update is under way.
  const stale = tasks.filter((t) => t.serviceId === service.id && t.state === 'running' && containerSpec(t.spec) !== current).length;
  if (running >= wanted && (wanted > 0 || mode['Global'] === undefined) && stale === 0 && service.updateState !== 'updating') {
    return { state: 'converged', done: running, wanted };
  }
  return failedOrPending(running, wanted);
}
