// Every call watch makes into the engine and the reconcile flows, in one place: the rest of the
// room sees only WatchPort.
import type { Engine, ExecOutcome, ExecRequest } from '../engine/engine.js';
import { projectFilter, serviceFilter } from '../model/labels.js';
import type { EventSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import { converge } from '../reconcile/converge.js';
import { runLifecycle } from '../reconcile/lifecycle.js';
import { planRestart } from '../reconcile/plan-lifecycle.js';
import { defaultUpPlanOptions } from '../reconcile/plan.js';
import { listServiceContainers } from '../reconcile/find-containers.js';

export interface WatchedContainer {
  readonly id: string;
  readonly name: string;
}

/** What watching does to the engine. */
export interface WatchPort {
  /** The service's running containers, listed again each time (others may have recreated them). */
  runningContainers(service: string): Promise<WatchedContainer[]>;
  /** Extracts a tar at `/` in the container, owned by the container's user (as Compose does). */
  putArchive(container: string, tar: Buffer): Promise<void>;
  exec(container: string, request: ExecRequest): Promise<ExecOutcome>;
  /** Restarts the services' containers through plan and apply. */
  restart(services: readonly string[]): Promise<void>;
  /** Builds the services' images and recreates their containers through plan and apply. */
  rebuild(services: readonly string[]): Promise<void>;
  /** The IDs of the services' images now (to tell which one a rebuild left dangling). */
  serviceImageIds(services: readonly string[]): Promise<Set<string>>;
  /** Removes the project's dangling images of these services, except `keep`; returns the removed IDs. */
  pruneDangling(services: readonly string[], keep: ReadonlySet<string>): Promise<string[]>;
}

/** `concurrency`: --parallel / COMPOSE_PARALLEL_LIMIT, for the restarts and rebuilds' plans. */
export function enginePort(engine: Engine, project: Project, sink: EventSink, signal?: AbortSignal, concurrency?: number): WatchPort {
  const flow = { sink, ...(signal === undefined ? {} : { signal }), ...(concurrency === undefined ? {} : { concurrency }) };
  return {
    async runningContainers(service) {
      return (await listServiceContainers(engine, project.name, { services: [service], all: false }))
        .filter((c) => c.state === 'running')
        .map((c) => ({ id: c.id, name: c.name }));
    },
    putArchive: (container, tar) => engine.containers.putArchive(container, '/', tar, { keepOwner: true }),
    exec: (container, request) => engine.exec.run(container, request),
    async restart(services) {
      await runLifecycle(engine, project.name, project, (p, snapshot) => planRestart(p, snapshot, {
        services, timeout: undefined, noDeps: true,
      }), flow);
    },
    async rebuild(services) {
      await converge(engine, project, {
        ...defaultUpPlanOptions, services, noDeps: true, forceRecreate: true, build: 'always', ...flow,
      });
    },
    async serviceImageIds(services) {
      const ids = new Set<string>();
      for (const service of services) {
        for (const c of await listServiceContainers(engine, project.name, { services: [service], all: true })) ids.add(c.imageId);
      }
      return ids;
    },
    async pruneDangling(services, keep) {
      const removed: string[] = [];
      for (const service of services) {
        const images = await engine.images.list({ labels: [projectFilter(project.name), serviceFilter(service)] });
        for (const image of images) {
          const dangling = image.repoTags.every((t) => t === '<none>:<none>');
          if (!dangling || keep.has(image.id)) continue;
          // Still used by a container (another command's): the engine refuses, and that is right.
          await engine.images.remove(image.id).then(() => removed.push(image.id), () => undefined);
        }
      }
      return removed;
    },
  };
}
