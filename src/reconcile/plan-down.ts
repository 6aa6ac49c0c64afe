import { stopOrder } from '../graph/dependency-graph.js';
import { needsStop } from '../model/container-state.js';
import { parseDependsOnLabel } from '../model/depends-on-label.js';
import { Label } from '../model/labels.js';
import type { Project } from '../model/project.js';
import { defaultImageName } from '../model/naming.js';
import { imageKey, type ObservedContainer, type Snapshot } from './actual.js';
import { hookRequest } from './hooks.js';
import { PlanBuilder } from './plan-builder.js';
import type { Plan } from './plan-types.js';
import { noSuchService } from './known-services.js';
import { dependencyMap } from './plan.js';

export interface DownPlanOptions {
  readonly removeVolumes: boolean;
  readonly removeOrphans: boolean;
  readonly timeout: number | undefined;
  /** Images to remove: none, those built for the project (`local`), or every service image (`all`). */
  readonly removeImages: 'none' | 'local' | 'all';
  /** `down SERVICE...`: only these services' containers, and what no remaining container uses. Empty: the whole project. */
  readonly services?: readonly string[];
}

/**
 * The plan that takes a project off the engine: containers in reverse dependency order, then
 * networks, then (with -v) volumes. Works from the project model when there is one, and from the
 * labels alone (`project` undefined) when no compose file is at hand.
 */
export function planDown(project: Project | undefined, snapshot: Snapshot, options: DownPlanOptions): Plan {
  const plan = new PlanBuilder();
  const known = project === undefined
    ? undefined
    : new Set([...Object.keys(project.services), ...Object.keys(project.disabled_services)]);
  const targets = namedServices(project, known, snapshot, options.services ?? [], plan.warnings);
  if (targets !== undefined && targets.size === 0) return plan.build();
  const isOrphan = (c: ObservedContainer): boolean => known !== undefined && !known.has(c.service);
  const containers = snapshot.containers.filter((c) => {
    if (isOrphan(c)) return options.removeOrphans;
    const wanted = targets === undefined || targets.has(c.service);
    return wanted && (options.removeOrphans || !c.oneoff);
  });
  const orphans = known === undefined ? [] : snapshot.containers.filter((c) => isOrphan(c) && !options.removeOrphans);
  if (orphans.length > 0) {
    plan.warnings.push(
      `found orphan containers (${orphans.map((c) => c.name).sort().join(', ')}) for this project: run with --remove-orphans to remove them too`,
    );
  }
  // Networks, volumes and images that a container staying on the engine still uses are kept (Compose: "still in use").
  const removed = new Set(containers.map((c) => c.id));
  const remaining = snapshot.containers.filter((c) => !removed.has(c.id));
  const inUse = {
    networks: new Set(remaining.flatMap((c) => c.networks)),
    volumes: new Set(remaining.flatMap((c) => c.summary.mounts.map((m) => m.name)).filter((n): n is string => n !== undefined)),
    images: new Set(remaining.flatMap((c) => [c.summary.image, imageKey(c.summary.image), c.summary.imageId])),
  };

  // Dependencies from the model, or from the depends_on label Compose writes on each container.
  const deps: Record<string, string[]> = {};
  if (project !== undefined) Object.assign(deps, dependencyMap({ ...project.disabled_services, ...project.services }));
  for (const c of containers) {
    deps[c.service] ??= Object.keys(parseDependsOnLabel(c.summary.labels[Label.dependsOn] ?? ''));
  }
  const order = stopOrder(deps);
  const rank = new Map(order.map((s, i) => [s, i]));

  // A container is stopped after every container that depends on it.
  const stopNodes = new Map<string, string[]>();
  const removeNodes: string[] = [];
  const sorted = [...containers].sort((a, b) =>
    (rank.get(a.service) ?? -1) - (rank.get(b.service) ?? -1) || b.number - a.number || a.name.localeCompare(b.name));
  for (const c of sorted) {
    const resource = `container:${c.name}`;
    const dependents = Object.entries(deps).filter(([, list]) => list.includes(c.service)).map(([name]) => name);
    const after = dependents.flatMap((d) => stopNodes.get(d) ?? []);
    const hooks = c.state === 'running'
      ? (project?.services[c.service]?.pre_stop ?? []).map((hook, i) => plan.add(resource, c.name,
        { type: 'exec-hook', container: c.id, hook: 'pre_stop', request: hookRequest(hook) }, `pre_stop hook ${i + 1}`, after))
      : [];
    const stop = needsStop(c.state)
      ? plan.add(resource, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout }, 'down',
        hooks.length > 0 ? hooks : after)
      : undefined;
    if (stop !== undefined) stopNodes.set(c.service, [...(stopNodes.get(c.service) ?? []), stop]);
    removeNodes.push(plan.add(resource, c.name, { type: 'remove-container', container: c.id, removeVolumes: options.removeVolumes },
      'down', stop === undefined ? after : [stop]));
  }

  // Networks: the project's own (by label), never external ones.
  const networkKeys = project === undefined
    ? undefined
    : new Set(Object.entries(project.networks).filter(([, n]) => n.external !== true).map(([k]) => k));
  const networks = snapshot.networks
    .filter((n) => n.labels[Label.project] === snapshot.project)
    .filter((n) => networkKeys === undefined || networkKeys.has(n.labels[Label.network] ?? ''))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const n of networks) {
    if (inUse.networks.has(n.name)) {
      plan.warnings.push(`network ${n.name} is still in use: kept`);
      continue;
    }
    plan.add(`network:${n.labels[Label.network] ?? n.name}`, n.name, { type: 'remove-network', name: n.name, id: n.id },
      'down', removeNodes);
  }

  if (options.removeImages !== 'none') {
    const images = new Set<string>();
    if (project !== undefined) {
      for (const [name, service] of Object.entries(project.services)) {
        if (targets !== undefined && !targets.has(name)) continue;
        if (service.image === undefined) images.add(defaultImageName(project.name, name, project.name_separator));
        else if (options.removeImages === 'all') images.add(service.image);
      }
    } else {
      for (const c of targets === undefined ? snapshot.containers : containers) {
        const builtForProject = (['-', '_'] as const).some((separator) => c.summary.image === defaultImageName(snapshot.project, c.service, separator));
        if (options.removeImages === 'all' || builtForProject) images.add(c.summary.image);
      }
    }
    for (const image of [...images].sort()) {
      if (snapshot.images.size > 0 && !snapshot.images.has(imageKey(image))) continue;
      if (inUse.images.has(image) || inUse.images.has(imageKey(image))) continue;
      plan.add(`image:${image}`, image, { type: 'remove-image', image }, `down --rmi ${options.removeImages}`, removeNodes);
    }
  }

  if (options.removeVolumes) {
    const volumeKeys = project === undefined
      ? undefined
      : new Set(Object.entries(project.volumes).filter(([, v]) => v.external !== true).map(([k]) => k));
    const volumes = snapshot.volumes
      .filter((v) => v.labels[Label.project] === snapshot.project)
      .filter((v) => volumeKeys === undefined || volumeKeys.has(v.labels[Label.volume] ?? ''))
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const v of volumes) {
      if (inUse.volumes.has(v.name)) {
        plan.warnings.push(`volume ${v.name} is still in use: kept`);
        continue;
      }
      plan.add(`volume:${v.labels[Label.volume] ?? v.name}`, v.name, { type: 'remove-volume', name: v.name }, 'down -v', removeNodes);
    }
  }
  return plan.build();
}

/**
 * The services `down SERVICE...` takes off, or undefined for the whole project. With a file an
 * unknown name is a usage error (Compose too); from labels alone a name may just be gone already.
 */
function namedServices(
  project: Project | undefined,
  known: ReadonlySet<string> | undefined,
  snapshot: Snapshot,
  names: readonly string[],
  warnings: string[],
): ReadonlySet<string> | undefined {
  if (names.length === 0) return undefined;
  if (project !== undefined && known !== undefined) {
    for (const name of names) if (!known.has(name)) throw noSuchService(project, name);
    return new Set(names);
  }
  const present = new Set(snapshot.containers.map((c) => c.service));
  const found = new Set(names.filter((n) => present.has(n)));
  if (found.size === 0) warnings.push(`none of the services ${names.join(', ')} has a container in project "${snapshot.project}"`);
  return found;
}
