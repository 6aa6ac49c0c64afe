import type { ContainerDetails, Engine } from '../engine/engine.js';
import { RuntimeError } from '../errors.js';
import type { DependencyCondition } from '../model/project.js';
import type { AwaitCondition } from './plan-types.js';

export type Verdict = { readonly kind: 'met' } | { readonly kind: 'waiting' } | { readonly kind: 'failed'; readonly reason: string };

const lastHealthOutput = (c: ContainerDetails): string => {
  const entry = c.healthLog.at(-1);
  return entry === undefined ? '' : `; last health check (exit ${entry.exitCode}): ${entry.output.trim()}`;
};

/** Where one container stands against a depends_on condition. Pure, so tests can table it. */
export function judgeContainer(condition: DependencyCondition, c: ContainerDetails): Verdict {
  switch (condition) {
    case 'service_started':
      return { kind: 'met' };
    case 'service_healthy':
      if (c.health === 'healthy') return { kind: 'met' };
      if (c.health === 'none') return { kind: 'failed', reason: `${c.name} has no healthcheck, so it can never become healthy` };
      if (c.health === 'unhealthy') return { kind: 'failed', reason: `${c.name} is unhealthy${lastHealthOutput(c)}` };
      if (!c.running && c.state !== 'restarting' && c.state !== 'created') {
        return { kind: 'failed', reason: `${c.name} exited with code ${c.exitCode} before becoming healthy${lastHealthOutput(c)}` };
      }
      return { kind: 'waiting' };
    case 'service_completed_successfully':
      if (c.state === 'exited' || c.state === 'dead') {
        return c.exitCode === 0
          ? { kind: 'met' }
          : { kind: 'failed', reason: `${c.name} exited with code ${c.exitCode}` };
      }
      return { kind: 'waiting' };
  }
}

/**
 * Waits until every container of a dependency meets the condition. Driven by engine events: one
 * inspect at the start and one per relevant event, never a polling loop.
 */
export async function waitForCondition(
  engine: Engine,
  condition: AwaitCondition,
  options: { readonly signal?: AbortSignal; readonly timeoutMs?: number } = {},
): Promise<void> {
  if (condition.condition === 'service_started' || condition.containers.length === 0) return;
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(abort, options.timeoutMs);
  try {
    // Subscribe first, so a change between the inspect and the subscription is not lost.
    const events = engine.system.events(
      { type: ['container'], container: [...condition.containers], event: ['health_status', 'die', 'start', 'destroy', 'restart'] },
      controller.signal,
    )[Symbol.asyncIterator]();
    const firstEvent = events.next();
    const check = async (): Promise<Verdict> => {
      const verdicts = await Promise.all(condition.containers.map(async (name) => {
        try {
          return judgeContainer(condition.condition, await engine.containers.inspect(name));
        } catch (error) {
          return { kind: 'failed', reason: `${name}: ${(error as Error).message}` } as Verdict;
        }
      }));
      return verdicts.find((v) => v.kind === 'failed') ?? verdicts.find((v) => v.kind === 'waiting') ?? { kind: 'met' };
    };
    let next = firstEvent;
    for (;;) {
      const verdict = await check();
      if (verdict.kind === 'met') return;
      if (verdict.kind === 'failed') throw dependencyFailed(condition, verdict.reason);
      const event = await next;
      if (event.done === true) {
        if (options.signal?.aborted === true) throw new RuntimeError('interrupted while waiting for dependencies');
        throw dependencyFailed(condition, `timed out waiting for ${condition.condition.replace('service_', '')}`);
      }
      next = events.next();
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
    controller.abort();
  }
}

function dependencyFailed(condition: AwaitCondition, reason: string): RuntimeError {
  return new RuntimeError(
    `dependency ${condition.service} failed to start: ${reason}`,
    condition.condition === 'service_healthy'
      ? `see its logs: tscompose logs ${condition.service}`
      : undefined,
  );
}
