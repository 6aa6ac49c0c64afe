import type { ContainerDetails, Engine } from '../engine/engine.js';
import { RuntimeError } from '../errors.js';
import { progress, type EventSink } from '../model/events.js';
import { Label } from '../model/labels.js';
import type { Project } from '../model/project.js';

export type Readiness =
  | { readonly kind: 'ready'; readonly how: 'running' | 'healthy' | 'completed' }
  | { readonly kind: 'waiting' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Where a container stands for `--wait`: running (healthy, when it has a healthcheck) is ready, and
 * so is a one-shot container that exited 0. A container that others wait on with
 * service_completed_successfully (`mustComplete`) is ready only once it exited 0. Pure.
 */
export function judgeReadiness(c: ContainerDetails, mustComplete = false): Readiness {
  switch (c.state) {
    case 'running':
      if (mustComplete) return c.health === 'unhealthy' ? { kind: 'failed', reason: 'unhealthy' } : { kind: 'waiting' };
      if (c.health === 'none' || c.health === 'healthy') return { kind: 'ready', how: c.health === 'healthy' ? 'healthy' : 'running' };
      if (c.health === 'unhealthy') return { kind: 'failed', reason: 'unhealthy' };
      return { kind: 'waiting' };
    case 'exited':
    case 'dead':
      return c.exitCode === 0 ? { kind: 'ready', how: 'completed' } : { kind: 'failed', reason: `exited with code ${c.exitCode}` };
    case 'paused':
      return { kind: 'failed', reason: 'paused' };
    default:
      return { kind: 'waiting' };
  }
}

/** One container's account in a failure report: what state, what health said, what it printed last. */
export interface ContainerReport {
  readonly name: string;
  readonly service: string;
  readonly problem: string;
  readonly state: string;
  readonly health: string | undefined;
  readonly logLines: readonly string[];
}

export class WaitError extends RuntimeError {
  constructor(readonly reports: readonly ContainerReport[], timedOut: string | undefined) {
    super(
      `${timedOut === undefined ? 'some services did not become ready' : `services not ready after ${timedOut}`}:\n${reports.map(formatReport).join('\n')}`,
      'fix the failing service and run the command again; `tscompose logs SERVICE` shows its whole output',
    );
  }
}

function formatReport(r: ContainerReport): string {
  const lines = [`  ${r.service} (${r.name}): ${r.problem}; state ${r.state}`];
  if (r.health !== undefined) lines.push(`    last health check: ${r.health}`);
  if (r.logLines.length === 0) lines.push('    (no log output)');
  else lines.push(`    last ${r.logLines.length} log line${r.logLines.length === 1 ? '' : 's'}:`, ...r.logLines.map((l) => `    | ${l}`));
  return lines.join('\n');
}

export interface WaitOptions {
  readonly sink: EventSink;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Log lines shown per failing container. */
  readonly logLines?: number;
  /** Services others depend on with service_completed_successfully: they must finish, not just run. */
  readonly mustComplete?: ReadonlySet<string>;
}

/** The services some other service waits on with service_completed_successfully. */
export function servicesThatMustComplete(project: Project): Set<string> {
  const out = new Set<string>();
  for (const service of Object.values(project.services)) {
    for (const [dependency, d] of Object.entries(service.depends_on)) {
      if (d.condition === 'service_completed_successfully') out.add(dependency);
    }
  }
  return out;
}

export function describeTimeout(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function stateText(c: ContainerDetails): string {
  return c.state === 'exited' || c.state === 'dead' ? `${c.state} (${c.exitCode})` : c.health === 'none' ? c.state : `${c.state} (${c.health})`;
}

/**
 * Waits until every container is ready (see judgeReadiness). Event driven: one inspect per
 * container at the start, then one per engine event about it. Fails on the first failed
 * container, or at the timeout, with a report of every container that is not ready.
 */
export async function waitForContainers(engine: Engine, containers: readonly string[], options: WaitOptions): Promise<void> {
  if (containers.length === 0) return;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  let timedOut = false;
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const latest = new Map<string, ContainerDetails>();
  const verdicts = new Map<string, Readiness>();
  try {
    const events = engine.system.events(
      { type: ['container'], container: [...containers], event: ['health_status', 'die', 'start', 'destroy', 'restart', 'pause', 'unpause', 'oom'] },
      controller.signal,
    )[Symbol.asyncIterator]();
    let next = events.next();
    const judge = async (name: string): Promise<void> => {
      let verdict: Readiness;
      try {
        const details = await engine.containers.inspect(name);
        latest.set(name, details);
        verdict = judgeReadiness(details, options.mustComplete?.has(details.labels[Label.service] ?? '') === true);
      } catch (error) {
        verdict = { kind: 'failed', reason: (error as Error).message };
      }
      const before = verdicts.get(name);
      verdicts.set(name, verdict);
      if (before?.kind === verdict.kind && (verdict.kind !== 'ready' || before.kind !== 'ready' || before.how === verdict.how)) return;
      if (verdict.kind === 'waiting') options.sink.emit(progress('container', name, 'waiting', false));
      else if (verdict.kind === 'ready') {
        options.sink.emit(progress('container', name, verdict.how === 'completed' ? 'exited' : verdict.how === 'healthy' ? 'healthy' : 'running', true,
          verdict.how === 'completed' ? 'completed (exit 0)' : undefined));
      } else options.sink.emit(progress('container', name, 'error', true, verdict.reason));
    };
    await Promise.all(containers.map(judge));
    for (;;) {
      if ([...verdicts.values()].some((v) => v.kind === 'failed')) break;
      if ([...verdicts.values()].every((v) => v.kind === 'ready')) return;
      const event = await next;
      if (event.done === true) break;
      next = events.next();
      const name = event.value.attributes['name'];
      if (name !== undefined && containers.includes(name)) await judge(name);
      else await Promise.all(containers.map(judge));
    }
    if (options.signal?.aborted === true && !timedOut) throw new RuntimeError('interrupted while waiting for the services');
    controller.abort();
    const notReady = containers.filter((n) => verdicts.get(n)?.kind !== 'ready');
    const reports = await Promise.all(notReady.map((n) => reportContainer(engine, n, latest.get(n), verdicts.get(n), options.logLines ?? 10)));
    throw new WaitError(reports, timedOut && options.timeoutMs !== undefined ? describeTimeout(options.timeoutMs) : undefined);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
    controller.abort();
  }
}

/** What a failing container's report says: state, last health check output, last log lines. */
export async function reportContainer(
  engine: Engine,
  name: string,
  details: ContainerDetails | undefined,
  verdict: Readiness | undefined,
  lines: number,
): Promise<ContainerReport> {
  const logLines = await engine.containers.tailLogs(name, lines).catch(() => []);
  const health = details?.healthLog.at(-1);
  return {
    name,
    service: details?.labels[Label.service] ?? name,
    problem: verdict?.kind === 'failed' ? verdict.reason : details?.health === 'starting' ? 'still starting (health: starting)' : 'not ready',
    state: details === undefined ? 'unknown' : stateText(details),
    health: health === undefined ? undefined : `exit ${health.exitCode}: ${health.output.trim() || '(no output)'}`,
    logLines,
  };
}
