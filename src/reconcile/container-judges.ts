import type { ContainerDetails } from '../engine/engine.js';
import { needsStop } from '../model/container-state.js';
import type { DependencyCondition, Project } from '../model/project.js';

/**
 * Where one container stands against what a wait asks of it. `met` may say how (for progress
 * lines). Every judge is pure: plain container details in, a verdict out.
 */
export type Verdict =
  | { readonly kind: 'met'; readonly how?: 'running' | 'healthy' | 'completed' | 'exited' }
  | { readonly kind: 'waiting' }
  | { readonly kind: 'failed'; readonly reason: string };

export type Judge = (c: ContainerDetails) => Verdict;

const MET: Verdict = { kind: 'met' };
const WAITING: Verdict = { kind: 'waiting' };

const lastHealthOutput = (c: ContainerDetails): string => {
  const entry = c.healthLog.at(-1);
  return entry === undefined ? '' : `; last health check (exit ${entry.exitCode}): ${entry.output.trim()}`;
};

/** A depends_on condition (a dependency before its dependent starts). */
export function judgeCondition(condition: DependencyCondition): Judge {
  return (c) => {
    switch (condition) {
      case 'service_started':
        return MET;
      case 'service_healthy':
        if (c.health === 'healthy') return MET;
        if (c.health === 'none') return { kind: 'failed', reason: `${c.name} has no healthcheck, so it can never become healthy` };
        if (c.health === 'unhealthy') return { kind: 'failed', reason: `${c.name} is unhealthy${lastHealthOutput(c)}` };
        if (!c.running && c.state !== 'restarting' && c.state !== 'created') {
          return { kind: 'failed', reason: `${c.name} exited with code ${c.exitCode} before becoming healthy${lastHealthOutput(c)}` };
        }
        return WAITING;
      case 'service_completed_successfully':
        if (c.state === 'exited' || c.state === 'dead') {
          return c.exitCode === 0 ? MET : { kind: 'failed', reason: `${c.name} exited with code ${c.exitCode}` };
        }
        return WAITING;
    }
  };
}

/**
 * `--wait` (`up`, `start`, `test`, the API): running (healthy, when it has a healthcheck) is ready,
 * and so is a one-shot container that exited 0. A container that others wait on with
 * service_completed_successfully (`mustComplete`) is ready only once it exited 0.
 */
export function judgeReadiness(c: ContainerDetails, mustComplete = false): Verdict {
  switch (c.state) {
    case 'running':
      if (mustComplete) return c.health === 'unhealthy' ? { kind: 'failed', reason: 'unhealthy' } : WAITING;
      if (c.health === 'none' || c.health === 'healthy') return { kind: 'met', how: c.health === 'healthy' ? 'healthy' : 'running' };
      if (c.health === 'unhealthy') return { kind: 'failed', reason: 'unhealthy' };
      return WAITING;
    case 'exited':
    case 'dead':
      return c.exitCode === 0 ? { kind: 'met', how: 'completed' } : { kind: 'failed', reason: `exited with code ${c.exitCode}` };
    case 'paused':
      return { kind: 'failed', reason: 'paused' };
    default:
      return WAITING;
  }
}

/** The `wait` command: done once the container is no longer running (its exit code is the answer). */
export function judgeStopped(c: ContainerDetails): Verdict {
  return needsStop(c.state) ? WAITING : { kind: 'met', how: 'exited' };
}

/** Between readiness probes (ports, HTTP): a container that stopped running will never answer. */
export function judgeStillRunning(c: ContainerDetails): Verdict {
  if (c.running || c.state === 'restarting') return MET;
  return { kind: 'failed', reason: `the container ${c.state === 'exited' ? `exited with code ${c.exitCode}` : `is ${c.state}`}` };
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
