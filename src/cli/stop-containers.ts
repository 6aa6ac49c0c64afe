import type { ContainerSummary, Engine } from '../engine/engine.js';
import { Label } from '../model/labels.js';
import { parseDurationSeconds } from '../model/duration.js';
import type { Project } from '../model/project.js';
import { walkGraph } from '../graph/walk.js';
import { dependencyMap } from '../reconcile/plan.js';
import type { Renderer } from '../ui/renderer.js';

const DEFAULT_STOP_SECONDS = 10;

/** The stop timeout of a container: -t, else the service's stop_grace_period, else 10 s. */
export function stopTimeout(project: Project, service: string, override: number | undefined): number {
  if (override !== undefined) return override;
  const grace = project.services[service]?.stop_grace_period;
  return (grace === undefined ? undefined : parseDurationSeconds(grace)) ?? DEFAULT_STOP_SECONDS;
}

/**
 * Stops containers in reverse dependency order (a container stops once those that depend on it
 * have), in parallel wherever the graph allows. A container that used its whole timeout and was
 * killed ignored SIGTERM: say so, with the usual fix. `force` (the second Ctrl-C) kills whatever
 * is still stopping.
 */
export async function stopContainers(
  engine: Engine,
  project: Project,
  containers: readonly ContainerSummary[],
  options: { readonly timeout: number | undefined; readonly ui: Renderer; readonly force?: AbortSignal },
): Promise<void> {
  const onForce = (): void => {
    for (const c of containers) void engine.containers.kill(c.id).catch(() => undefined);
  };
  options.force?.addEventListener('abort', onForce, { once: true });
  try {
    const deps = dependencyMap(project.services);
    const serviceOf = (c: ContainerSummary): string => c.labels[Label.service] ?? '';
    const waitsFor = new Map(containers.map((c) => [c.id, containers
      .filter((other) => (deps[serviceOf(other)] ?? []).includes(serviceOf(c)))
      .map((other) => other.id)] as const));
    const byId = new Map(containers.map((c) => [c.id, c]));
    await walkGraph(waitsFor, async (id) => {
      const c = byId.get(id) as ContainerSummary;
      const service = serviceOf(c);
      const seconds = stopTimeout(project, service, options.timeout);
      const started = Date.now();
      await engine.containers.stop(c.id, seconds).catch(() => undefined);
      const took = (Date.now() - started) / 1000;
      if (seconds === 0 || took < seconds - 0.25 || options.force?.aborted === true) return;
      const details = await engine.containers.inspect(c.id).catch(() => undefined);
      if (details?.exitCode === 137) {
        options.ui.warn(
          `${c.name} did not stop on SIGTERM and was killed after ${seconds}s: its main process ignores the signal ` +
          `(often a shell-form command running as PID 1); consider \`init: true\` on service "${service}", or an exec-form command that handles SIGTERM`,
        );
      }
    });
  } finally {
    options.force?.removeEventListener('abort', onForce);
  }
}
