import type { ContainerDetails, Engine } from '../engine/engine.js';
import { RuntimeError } from '../errors.js';
import { progress, type EventSink, type ProgressEvent } from '../model/events.js';
import { Label } from '../model/labels.js';
import { judgeReadiness, type Verdict } from './container-judges.js';
import { followContainers } from './follow-containers.js';

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

export function describeTimeout(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function stateText(c: ContainerDetails): string {
  return c.state === 'exited' || c.state === 'dead' ? `${c.state} (${c.exitCode})` : c.health === 'none' ? c.state : `${c.state} (${c.health})`;
}

/**
 * Waits until every container is ready (see judgeReadiness), with a progress line each time one's
 * verdict changes. Fails on the first failed container, or at the timeout, with a report of every
 * container that is not ready.
 */
export async function waitForContainers(engine: Engine, containers: readonly string[], options: WaitOptions): Promise<void> {
  const judge = (c: ContainerDetails): Verdict => judgeReadiness(c, options.mustComplete?.has(c.labels[Label.service] ?? '') === true);
  const { outcome, verdicts, details } = await followContainers(engine, containers, judge, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    onVerdict: (name, verdict) => options.sink.emit(readinessProgress(name, verdict)),
  });
  if (outcome === 'met') return;
  if (outcome === 'aborted') throw new RuntimeError('interrupted while waiting for the services');
  const notReady = containers.filter((n) => verdicts.get(n)?.kind !== 'met');
  const reports = await Promise.all(notReady.map((n) => reportContainer(engine, n, details.get(n), verdicts.get(n), options.logLines ?? 10)));
  throw new WaitError(reports, outcome === 'timeout' && options.timeoutMs !== undefined ? describeTimeout(options.timeoutMs) : undefined);
}

function readinessProgress(name: string, verdict: Verdict): ProgressEvent {
  switch (verdict.kind) {
    case 'waiting':
      return progress('container', name, 'waiting', false);
    case 'failed':
      return progress('container', name, 'error', true, verdict.reason);
    case 'met':
      return verdict.how === 'completed'
        ? progress('container', name, 'exited', true, 'completed (exit 0)')
        : progress('container', name, verdict.how === 'healthy' ? 'healthy' : 'running', true);
  }
}

/** What a failing container's report says: state, last health check output, last log lines. */
export async function reportContainer(
  engine: Engine,
  name: string,
  details: ContainerDetails | undefined,
  verdict: Verdict | undefined,
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
