import type { Engine } from '../engine/engine.js';
import type { HostProbe } from '../engine/host-probe.js';
import { RuntimeError } from '../errors.js';
import { describeCheck, type ReadinessCheck } from '../model/readiness.js';
import { judgeStillRunning } from './container-judges.js';

export interface ReadinessDeps {
  readonly engine: Engine;
  readonly probe: HostProbe;
  /** Resolves once the container's output has matched `pattern` `times` times; rejects if it ends first. */
  readonly awaitLogMatch: (container: string, pattern: RegExp, times: number, signal: AbortSignal) => Promise<void>;
}

export class ReadinessError extends RuntimeError {
  constructor(readonly container: string, readonly check: ReadinessCheck, reason: string) {
    super(`${container} never became ready (${describeCheck(check)}): ${reason}`, `see its output: tscompose logs`);
  }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/** Where to reach a published container port from this host: 0.0.0.0 and :: mean loopback. */
async function publishedAddress(engine: Engine, container: string, port: number): Promise<{ host: string; port: number } | undefined> {
  const details = await engine.containers.inspect(container);
  const bindings = details.ports[`${port}/tcp`] ?? null;
  const first = bindings?.find((b) => b.hostPort !== '');
  if (first === undefined) return undefined;
  const host = first.hostIp === '' || first.hostIp === '0.0.0.0' || first.hostIp === '::' ? '127.0.0.1' : first.hostIp;
  return { host, port: Number(first.hostPort) };
}

/** Fails fast when the container is no longer running, with its exit code. */
async function assertRunning(engine: Engine, container: string, check: ReadinessCheck): Promise<void> {
  const verdict = judgeStillRunning(await engine.containers.inspect(container));
  if (verdict.kind === 'failed') throw new ReadinessError(container, check, verdict.reason);
}

/**
 * Waits until one container passes one check, within the signal's lifetime. Ports and HTTP have
 * no engine events, so they are probed with a bounded backoff (100 ms doubling to 1 s); the
 * container's state is checked between probes so a crash fails at once.
 */
export async function waitForCheck(deps: ReadinessDeps, container: string, check: ReadinessCheck, signal: AbortSignal): Promise<void> {
  if (check.kind === 'log') {
    await deps.awaitLogMatch(container, new RegExp(check.pattern), check.times, signal).catch((error: unknown) => {
      if (signal.aborted) throw new ReadinessError(container, check, 'timed out');
      throw new ReadinessError(container, check, (error as Error).message);
    });
    return;
  }
  const address = await publishedAddress(deps.engine, container, check.port);
  if (address === undefined) {
    throw new ReadinessError(container, check, `container port ${check.port}/tcp is not published`);
  }
  let delay = 100;
  let last = 'nothing answered';
  while (!signal.aborted) {
    if (check.kind === 'port') {
      if (await deps.probe.tcp(address.host, address.port, 1000)) return;
      last = `nothing listens on ${address.host}:${address.port}`;
    } else {
      const status = await deps.probe.httpStatus(address.host, address.port, check.path, 2000);
      const ok = status !== undefined && (check.status === undefined ? status >= 200 && status < 300 : status === check.status);
      if (ok) return;
      last = status === undefined ? `no HTTP answer on ${address.host}:${address.port}` : `answered ${status}`;
    }
    await assertRunning(deps.engine, container, check);
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 1000);
  }
  throw new ReadinessError(container, check, `timed out; last: ${last}`);
}
