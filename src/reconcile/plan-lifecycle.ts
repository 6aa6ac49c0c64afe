import { UsageError } from '../errors.js';
import { startOrder } from '../graph/dependency-graph.js';
import { Label } from '../model/labels.js';
import { isRunning, needsStop } from '../model/container-state.js';
import { parseDependsOnLabel } from '../model/depends-on-label.js';
import type { DependsOn, Project } from '../model/project.js';
import type { ObservedContainer, Snapshot } from './actual.js';
import { hookRequest } from './hooks.js';
import { planPreStartHooks } from './pre-start-hooks.js';
import { PlanBuilder } from './plan-builder.js';
import { orphansOf } from './plan-up-orphans.js';
import type { AwaitCondition, Plan } from './plan-types.js';

/** service → its depends_on entries: from the project, or from the label Compose writes on each container. */
export type ServiceDependencies = Readonly<Record<string, Readonly<Record<string, DependsOn>>>>;

export function serviceDependencies(project: Project | undefined, snapshot: Snapshot): ServiceDependencies {
  const out: Record<string, Record<string, DependsOn>> = {};
  if (project !== undefined) {
    for (const [name, s] of Object.entries({ ...project.disabled_services, ...project.services })) out[name] = { ...s.depends_on };
  }
  for (const c of snapshot.containers) {
    if (c.oneoff || Object.hasOwn(out, c.service)) continue;
    out[c.service] = parseDependsOnLabel(c.summary.labels[Label.dependsOn] ?? '');
  }
  return out;
}

export interface LifecycleOptions {
  /** Services named on the command line; empty means all. */
  readonly services: readonly string[];
  readonly timeout?: number | undefined;
}

/** Replicas only: not one-offs, nor a failed pre_start hook's container kept for inspection. */
function serviceContainers(snapshot: Snapshot): ObservedContainer[] {
  return snapshot.containers
    .filter((c) => !c.oneoff && c.hook === undefined)
    .sort((a, b) => a.service.localeCompare(b.service) || a.number - b.number);
}

/** The named services, checked against what is known (project or labels); all when none are named. */
function selected(deps: ServiceDependencies, snapshot: Snapshot, names: readonly string[], project?: Project): Set<string> {
  // With a file, "all" means its services (orphans are left to --remove-orphans); without one, whatever the labels name.
  const all = project === undefined
    ? new Set([...Object.keys(deps), ...snapshot.containers.map((c) => c.service)])
    : new Set(Object.keys(project.services));
  const known = new Set([...all, ...Object.keys(deps)]);
  for (const name of names) {
    if (!known.has(name)) throw new UsageError(`no such service: ${name}`, `known services: ${[...known].sort().join(', ')}`);
  }
  return new Set(names.length === 0 ? all : names);
}

function withDeps(deps: ServiceDependencies, names: Set<string>): Set<string> {
  const out = new Set<string>();
  const visit = (name: string): void => {
    if (out.has(name)) return;
    out.add(name);
    for (const dep of Object.keys(deps[name] ?? {})) visit(dep);
  };
  for (const n of names) visit(n);
  return out;
}

/** Services that must restart with `names`: their dependents with `depends_on.restart: true`, transitively. */
export function restartDependents(deps: ServiceDependencies, names: Iterable<string>): Set<string> {
  const out = new Set<string>(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [service, list] of Object.entries(deps)) {
      if (out.has(service)) continue;
      if (Object.entries(list).some(([dep, d]) => d.restart && out.has(dep))) {
        out.add(service);
        grew = true;
      }
    }
  }
  return out;
}

function order(deps: ServiceDependencies, services: Iterable<string>): string[] {
  const set = new Set(services);
  const map: Record<string, string[]> = {};
  for (const s of set) map[s] = Object.keys(deps[s] ?? {}).filter((d) => set.has(d));
  return startOrder(map);
}

function awaitsFor(deps: ServiceDependencies, service: string, containers: readonly ObservedContainer[], active: Set<string>): AwaitCondition[] {
  return Object.entries(deps[service] ?? {})
    .filter(([dep]) => active.has(dep))
    .map(([dep, d]) => ({
      service: dep,
      condition: d.condition,
      required: d.required,
      containers: containers.filter((c) => c.service === dep).map((c) => c.name),
    }));
}

/** `start`: every stopped container of the named services and their dependencies, in dependency order. */
export function planStart(project: Project | undefined, snapshot: Snapshot, options: LifecycleOptions): Plan {
  const plan = new PlanBuilder();
  const deps = serviceDependencies(project, snapshot);
  const targets = withDeps(deps, selected(deps, snapshot, options.services, project));
  const containers = serviceContainers(snapshot).filter((c) => targets.has(c.service));
  const startNodes = new Map<string, string[]>();
  for (const service of order(deps, targets)) {
    const dependencyStarts = Object.keys(deps[service] ?? {}).flatMap((d) => startNodes.get(d) ?? []);
    const mine = containers.filter((x) => x.service === service);
    // As in Compose, the pre_start hooks run when every replica of the service starts anew.
    const hooks = project !== undefined && (project.services[service]?.pre_start ?? []).length > 0 && mine.length > 0
      && mine.every((c) => !isRunning(c.state) && c.state !== 'paused')
      ? planPreStartHooks({
        plan, project, service, snapshot, after: dependencyStarts, replica: [...mine].sort((a, b) => a.number - b.number)[0]?.id ?? '',
        awaits: awaitsFor(deps, service, containers, targets),
        serviceContainer: (svc) => containers.find((c) => c.service === svc)?.name ?? svc,
      })
      : [];
    const after = [...dependencyStarts, ...hooks];
    const nodes: string[] = [];
    for (const c of mine) {
      const resource = `container:${c.name}`;
      if (c.state === 'paused') {
        nodes.push(plan.add(resource, c.name, { type: 'unpause-container', container: c.id }, 'paused', after));
      } else if (!isRunning(c.state)) {
        const start = plan.add(resource, c.name, {
          type: 'start-container', service, container: c.id, awaits: awaitsFor(deps, service, containers, targets), allocatesPorts: false,
        }, c.state, after);
        nodes.push(start);
        for (const [i, hook] of (project?.services[service]?.post_start ?? []).entries()) {
          nodes.push(plan.add(resource, c.name, { type: 'exec-hook', container: c.id, hook: 'post_start', request: hookRequest(hook) },
            `post_start hook ${i + 1}`, [start]));
        }
      }
    }
    startNodes.set(service, nodes);
  }
  if (containers.length === 0) plan.warnings.push('no containers to start: run `up` (or `create`) first');
  return plan.build();
}

/** `stop`: running containers of the named services, each after the containers that depend on it. */
export function planStop(project: Project | undefined, snapshot: Snapshot, options: LifecycleOptions): Plan {
  const plan = new PlanBuilder();
  const deps = serviceDependencies(project, snapshot);
  const targets = selected(deps, snapshot, options.services, project);
  const containers = serviceContainers(snapshot).filter((c) => targets.has(c.service));
  const stopNodes = new Map<string, string[]>();
  for (const service of order(deps, targets).reverse()) {
    const after = [...targets].filter((s) => Object.keys(deps[s] ?? {}).includes(service)).flatMap((s) => stopNodes.get(s) ?? []);
    const nodes: string[] = [];
    for (const c of containers.filter((x) => x.service === service)) {
      if (!needsStop(c.state)) continue;
      const resource = `container:${c.name}`;
      const hooks = c.state === 'running'
        ? (project?.services[service]?.pre_stop ?? []).map((hook, i) => plan.add(resource, c.name,
          { type: 'exec-hook', container: c.id, hook: 'pre_stop', request: hookRequest(hook) }, `pre_stop hook ${i + 1}`, after))
        : [];
      nodes.push(plan.add(resource, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout }, 'stop',
        hooks.length > 0 ? hooks : after));
    }
    stopNodes.set(service, nodes);
  }
  return plan.build();
}

/** `restart`: in dependency order, waiting for conditions; dependents declaring `restart: true` come along. */
export function planRestart(
  project: Project | undefined,
  snapshot: Snapshot,
  options: LifecycleOptions & { readonly noDeps: boolean },
): Plan {
  const plan = new PlanBuilder();
  const deps = serviceDependencies(project, snapshot);
  const named = selected(deps, snapshot, options.services, project);
  const targets = options.noDeps || options.services.length === 0 ? named : restartDependents(deps, named);
  const containers = serviceContainers(snapshot).filter((c) => targets.has(c.service));
  const nodesOf = new Map<string, string[]>();
  for (const service of order(deps, targets)) {
    const after = Object.keys(deps[service] ?? {}).flatMap((d) => nodesOf.get(d) ?? []);
    const nodes: string[] = [];
    for (const c of containers.filter((x) => x.service === service)) {
      const cause = named.has(service) ? 'restart' : 'depends on a restarted service (restart: true)';
      nodes.push(plan.add(`container:${c.name}`, c.name, {
        type: 'restart-container', service, container: c.id, timeout: options.timeout,
        awaits: awaitsFor(deps, service, containers, targets),
      }, cause, after));
    }
    nodesOf.set(service, nodes);
  }
  return plan.build();
}

/** `kill`: running containers of the named services; with `removeOrphans`, orphans are removed too. */
export function planKill(
  project: Project | undefined,
  snapshot: Snapshot,
  options: LifecycleOptions & { readonly signal: string | undefined; readonly removeOrphans: boolean },
): Plan {
  const plan = new PlanBuilder();
  const deps = serviceDependencies(project, snapshot);
  const targets = selected(deps, snapshot, options.services, project);
  for (const c of serviceContainers(snapshot).filter((x) => targets.has(x.service) && isRunning(x.state))) {
    plan.add(`container:${c.name}`, c.name, { type: 'kill-container', container: c.id, signal: options.signal },
      options.signal === undefined ? 'kill' : `kill -s ${options.signal}`);
  }
  if (options.removeOrphans && project !== undefined) planOrphanRemoval(project, snapshot, plan);
  return plan.build();
}

function planOrphanRemoval(project: Project, snapshot: Snapshot, plan: PlanBuilder): void {
  for (const c of orphansOf(project, snapshot.containers)) {
    plan.add(`container:${c.name}`, c.name, { type: 'remove-container', container: c.id, removeVolumes: false }, 'orphan');
  }
}

/** `rm`: stopped containers of the named services (`stop` first stops the running ones). */
export function planRemove(
  project: Project | undefined,
  snapshot: Snapshot,
  options: LifecycleOptions & { readonly stop: boolean; readonly removeVolumes: boolean },
): Plan {
  const stopPlan = options.stop ? planStop(project, snapshot, options) : { nodes: [], warnings: [] };
  const plan = new PlanBuilder();
  for (const n of stopPlan.nodes) plan.add(n.resource, n.display, n.operation, n.cause, n.dependsOn);
  const deps = serviceDependencies(project, snapshot);
  const targets = selected(deps, snapshot, options.services, project);
  const stoppedBy = new Map(stopPlan.nodes.filter((n) => n.operation.type === 'stop-container').map((n) => [n.resource, n.id]));
  for (const c of serviceContainers(snapshot).filter((x) => targets.has(x.service))) {
    const resource = `container:${c.name}`;
    const stop = stoppedBy.get(resource);
    if (stop === undefined && needsStop(c.state)) continue;
    plan.add(resource, c.name, { type: 'remove-container', container: c.id, removeVolumes: options.removeVolumes }, 'rm',
      stop === undefined ? [] : [stop]);
  }
  return plan.build();
}

/** `pause` and `unpause`: running (or paused) containers of the named services. */
export function planPause(project: Project | undefined, snapshot: Snapshot, options: LifecycleOptions & { readonly pause: boolean }): Plan {
  const plan = new PlanBuilder();
  const deps = serviceDependencies(project, snapshot);
  const targets = selected(deps, snapshot, options.services, project);
  for (const c of serviceContainers(snapshot).filter((x) => targets.has(x.service))) {
    if (options.pause && c.state === 'running') {
      plan.add(`container:${c.name}`, c.name, { type: 'pause-container', container: c.id }, 'pause');
    } else if (!options.pause && c.state === 'paused') {
      plan.add(`container:${c.name}`, c.name, { type: 'unpause-container', container: c.id }, 'unpause');
    }
  }
  return plan.build();
}
