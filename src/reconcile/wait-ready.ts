import type { Engine } from '../engine/engine.js';
import type { HostProbe } from '../engine/host-probe.js';
import { RuntimeError } from '../errors.js';
import { progress } from '../model/events.js';
import { Label } from '../model/labels.js';
import { byName } from '../model/name-order.js';
import { listServiceContainers } from './find-containers.js';
import { describeCheck, type ServiceReadiness } from '../model/readiness.js';
import { logMatcher } from './log-match.js';
import { ReadinessError, waitForCheck } from './readiness-wait.js';
import { WaitError, describeTimeout, reportContainer, waitForContainers, type ContainerReport, type WaitOptions } from './wait-services.js';

/** Readiness checks without a ready_timeout, under a wait without a timeout, give up after this. */
export const DEFAULT_READY_TIMEOUT_MS = 60_000;

export interface ReadyWaitOptions extends WaitOptions {
  readonly readiness: readonly ServiceReadiness[];
  readonly probe: HostProbe;
}

interface Target {
  readonly name: string;
  readonly service: string;
}

/** The running project's service containers (not one-offs) of `services`, all when empty. */
async function targets(engine: Engine, projectName: string, services: readonly string[]): Promise<Target[]> {
  return (await listServiceContainers(engine, projectName, { services, all: true }))
    .map((c) => ({ name: c.name, service: c.labels[Label.service] ?? '' }));
}

/** One container's checks, all at once, within the service's own timeout. */
async function checkContainer(engine: Engine, target: Target, readiness: ServiceReadiness, options: ReadyWaitOptions, signal: AbortSignal): Promise<void> {
  const timeoutMs = readiness.timeoutMs ?? options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const bounded = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  const texts = readiness.checks.map(describeCheck);
  options.sink.emit(progress('container', target.name, 'waiting', false, texts.join(', ')));
  const deps = { engine, probe: options.probe, awaitLogMatch: logMatcher(engine) };
  await Promise.all(readiness.checks.map((check) => waitForCheck(deps, target.name, check, bounded)));
  options.sink.emit(progress('container', target.name, 'ready', true, texts.join(', ')));
}

/**
 * `--wait` with readiness: every container running (healthy when it has a healthcheck) or
 * completed, and every readiness check of its service holding. Both waits run together; the first
 * failure stops the rest and the error reports every container that failed, with its last log lines.
 */
export async function waitForProjectReady(
  engine: Engine,
  projectName: string,
  services: readonly string[],
  options: ReadyWaitOptions,
): Promise<void> {
  const all = await targets(engine, projectName, services);
  if (all.length === 0) return;
  const controller = new AbortController();
  const interrupted = (): void => controller.abort();
  options.signal?.addEventListener('abort', interrupted, { once: true });
  // The healthcheck wait keeps its own timer (and reports on it); this one bounds the readiness checks.
  const deadline = new AbortController();
  let timedOut = false;
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    deadline.abort();
  }, options.timeoutMs);

  const reports = new Map<string, ContainerReport>();
  const lines = options.logLines ?? 10;
  const healthWait = waitForContainers(engine, all.map((t) => t.name), { ...options, signal: controller.signal })
    .catch((error: unknown) => {
      if (!(error instanceof WaitError)) {
        // Our own abort after another failure surfaces as an interruption: the other failure is the story.
        if (controller.signal.aborted) return;
        throw error;
      }
      for (const r of error.reports) if (!reports.has(r.name)) reports.set(r.name, r);
      controller.abort();
    });
  const checks = all.flatMap((target) => {
    const readiness = options.readiness.find((r) => r.service === target.service);
    if (readiness === undefined || readiness.checks.length === 0) return [];
    return [checkContainer(engine, target, readiness, options, AbortSignal.any([controller.signal, deadline.signal])).catch(async (error: unknown) => {
      const first = !controller.signal.aborted || timedOut;
      if (!timedOut) controller.abort();
      if (!first || options.signal?.aborted === true) return;
      if (!(error instanceof ReadinessError)) throw error;
      const details = await engine.containers.inspect(target.name).catch(() => undefined);
      const problem = error.message.startsWith(`${target.name} `) ? error.message.slice(target.name.length + 1) : error.message;
      options.sink.emit(progress('container', target.name, 'error', true, problem));
      reports.set(target.name, await reportContainer(engine, target.name, details, { kind: 'failed', reason: problem }, lines));
    })];
  });
  try {
    await Promise.all([healthWait, ...checks]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', interrupted);
    controller.abort();
  }
  if (options.signal?.aborted === true) throw new RuntimeError('interrupted while waiting for the services');
  if (reports.size > 0) {
    const ordered = [...reports.values()].sort(byName);
    throw new WaitError(ordered, timedOut && options.timeoutMs !== undefined ? describeTimeout(options.timeoutMs) : undefined);
  }
}
