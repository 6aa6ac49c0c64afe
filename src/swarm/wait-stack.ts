import type { SwarmApi, SwarmService } from '../engine/swarm-api.js';
import { InterruptedError, RuntimeError } from '../errors.js';
import { progress, type EventSink } from '../model/events.js';
import { serviceProgress, type ServiceProgress } from './converge.js';

export interface WaitOptions {
  /** Service engine names to wait for. */
  readonly services: readonly string[];
  /** Milliseconds; undefined waits as long as it takes. */
  readonly timeoutMs?: number;
  /** Failures older than this (ms since the epoch) are history, not this deploy's. */
  readonly since: number;
  readonly events: EventSink;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
}

const LOG_LINES = 10;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function failureReport(api: SwarmApi, service: SwarmService, p: ServiceProgress): Promise<string> {
  const task = p.failingTask;
  let logs: string[] = [];
  if (task !== undefined) {
    const tty = ((service.spec['TaskTemplate'] as Record<string, any> | undefined)?.['ContainerSpec']?.['TTY']) === true;
    logs = await api.serviceLogs(service.id, LOG_LINES, tty).catch(() => []);
  }
  const shown = logs.length === 0 ? '' : `\n  last log lines:\n${logs.map((l) => `    ${l}`).join('\n')}`;
  return `${service.spec.Name}: ${p.reason ?? 'not converged'} (${p.done}/${p.wanted})${shown}`;
}

/**
 * Waits for all the services at once until each converged (jobs: completed), one failed, or the
 * timeout; one list of services and one of tasks per round, whatever the stack's size.
 */
export async function waitForServices(api: SwarmApi, options: WaitOptions): Promise<void> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const pending = new Set(options.services);
  const shown = new Map<string, string>();
  for (const name of pending) options.events.emit(progress('service', name, 'waiting', false));
  for (;;) {
    if (options.signal?.aborted === true) throw new InterruptedError('interrupted while waiting for the stack to converge');
    const services = (await api.listServices([])).filter((s) => pending.has(s.spec.Name));
    const tasks = services.length === 0 ? [] : await api.listTasks({ services: services.map((s) => s.id) });
    const now = Date.now();
    const failures: string[] = [];
    for (const service of services) {
      const p = serviceProgress(service, tasks, now, options.since);
      if (p.state === 'converged') {
        pending.delete(service.spec.Name);
        options.events.emit(progress('service', service.spec.Name, 'converged', true, `${p.done}/${p.wanted}`));
      } else if (p.state === 'failed') {
        failures.push(await failureReport(api, service, p));
      } else {
        const detail = `${p.done}/${p.wanted}${p.reason === undefined ? '' : ` ${p.reason}`}`;
        if (shown.get(service.spec.Name) !== detail) options.events.emit(progress('service', service.spec.Name, 'waiting', false, detail));
        shown.set(service.spec.Name, detail);
      }
    }
    for (const name of pending) if (!services.some((s) => s.spec.Name === name)) failures.push(`${name}: the service is gone`);
    if (failures.length > 0) {
      throw new RuntimeError(`the stack did not converge:\n${failures.map((f) => `  ${f}`).join('\n')}`,
        'see `tscompose stack ps STACK --no-trunc` for every task and its error');
    }
    if (pending.size === 0) return;
    if (Date.now() >= deadline) {
      const reports = await Promise.all(services.filter((s) => pending.has(s.spec.Name)).map((s) => failureReport(api, s, serviceProgress(s, tasks, now, options.since))));
      throw new RuntimeError(`the stack did not converge within the wait timeout:\n${reports.map((r) => `  ${r}`).join('\n')}`,
        'raise --wait-timeout, or see `tscompose stack ps STACK --no-trunc`');
    }
    await sleep(options.pollMs ?? 250, options.signal);
  }
}
