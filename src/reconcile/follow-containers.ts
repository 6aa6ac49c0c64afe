import type { ContainerDetails, Engine } from '../engine/engine.js';
import type { Judge, Verdict } from './container-judges.js';

/** The engine events after which a followed container is inspected again. */
const EVENTS = ['health_status', 'die', 'start', 'destroy', 'restart', 'pause', 'unpause', 'oom'];

export interface FollowOptions {
  /** `all` (the default): until every container is met; `any`: until the first one is. */
  readonly until?: 'all' | 'any';
  readonly signal?: AbortSignal;
  /** Gives up after this long: the outcome is `timeout`. */
  readonly timeoutMs?: number;
  /** Called when a container's verdict changes (progress lines, the `wait` command's exit codes). */
  readonly onVerdict?: (name: string, verdict: Verdict, details: ContainerDetails | undefined) => void;
}

export interface FollowResult {
  /**
   * `failed`: a verdict failed (the first failure ends the follow); `aborted`: the caller's signal;
   * `timeout`: the deadline passed (or the engine closed the event stream).
   */
  readonly outcome: 'met' | 'failed' | 'timeout' | 'aborted';
  readonly verdicts: ReadonlyMap<string, Verdict>;
  /** The last inspect of each container that could be inspected. */
  readonly details: ReadonlyMap<string, ContainerDetails>;
}

/**
 * Follows containers until the judge says done: one inspect each at the start, then one per engine
 * event about it, never a polling loop. Ends at the first failed verdict, when every container (or
 * with `until: 'any'`, one) is met, at the abort signal or at the deadline. A container that cannot
 * be inspected is failed.
 */
export async function followContainers(engine: Engine, containers: readonly string[], judge: Judge, options: FollowOptions = {}): Promise<FollowResult> {
  const verdicts = new Map<string, Verdict>();
  const details = new Map<string, ContainerDetails>();
  if (containers.length === 0) return { outcome: 'met', verdicts, details };
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  let timedOut = false;
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const settled = (): FollowResult['outcome'] | undefined => {
    const all = [...verdicts.values()];
    if (all.some((v) => v.kind === 'failed')) return 'failed';
    if (options.until === 'any' ? all.some((v) => v.kind === 'met') : all.length === containers.length && all.every((v) => v.kind === 'met')) return 'met';
    return undefined;
  };
  const inspect = async (name: string): Promise<void> => {
    let verdict: Verdict;
    let latest: ContainerDetails | undefined;
    try {
      latest = await engine.containers.inspect(name);
      details.set(name, latest);
      verdict = judge(latest);
    } catch (error) {
      verdict = { kind: 'failed', reason: `${name}: ${(error as Error).message}` };
    }
    const before = verdicts.get(name);
    verdicts.set(name, verdict);
    if (!sameVerdict(before, verdict)) options.onVerdict?.(name, verdict, latest);
  };
  try {
    // Subscribe first, so a change between the inspect and the subscription is not lost.
    const events = engine.system.events({ type: ['container'], container: [...containers], event: EVENTS }, controller.signal)[Symbol.asyncIterator]();
    let next = events.next();
    await Promise.all(containers.map(inspect));
    for (;;) {
      const outcome = settled();
      if (outcome !== undefined) return { outcome, verdicts, details };
      const event = await next;
      if (event.done === true) return { outcome: options.signal?.aborted === true && !timedOut ? 'aborted' : 'timeout', verdicts, details };
      next = events.next();
      const name = event.value.attributes['name'];
      if (name !== undefined && containers.includes(name)) await inspect(name);
      else await Promise.all(containers.map(inspect));
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
    controller.abort();
  }
}

function sameVerdict(a: Verdict | undefined, b: Verdict): boolean {
  if (a === undefined || a.kind !== b.kind) return false;
  return a.kind !== 'met' || b.kind !== 'met' || a.how === b.how;
}
