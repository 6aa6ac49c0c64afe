import { startOrder, withDependencies, type DependencyMap } from '../graph/dependency-graph.js';
import type { Project } from '../model/project.js';
import type { Snapshot } from './actual.js';
import { assertEnabledServices } from './known-services.js';
import { PlanBuilder } from './plan-builder.js';
import { planImages } from './plan-images.js';
import type { Plan } from './plan-types.js';
import { planContainers } from './plan-up-containers.js';
import { planNetworks } from './plan-up-networks.js';
import { planOrphans } from './plan-up-orphans.js';
import type { UpPlanOptions, UpState } from './plan-up-state.js';
import { planVolumes } from './plan-up-volumes.js';

export { defaultUpPlanOptions, type UpPlanOptions } from './plan-up-state.js';

export function dependencyMap(services: Project['services']): DependencyMap {
  const out: Record<string, string[]> = {};
  for (const [name, service] of Object.entries(services)) out[name] = Object.keys(service.depends_on);
  return out;
}

/** The services `up` acts on: the named ones and, unless --no-deps, what they depend on. */
export function targetServices(project: Project, names: readonly string[], noDeps: boolean): string[] {
  assertEnabledServices(project, names);
  if (names.length === 0) return Object.keys(project.services);
  const set = noDeps ? new Set(names) : withDependencies(dependencyMap(project.services), names);
  return [...set];
}

function initialState(project: Project, snapshot: Snapshot, options: UpPlanOptions, scope: UpState['scope']): UpState {
  const targets = new Set(targetServices(project, options.services, options.noDeps));
  const order = startOrder(dependencyMap(project.services)).filter((s) => targets.has(s));
  return {
    project,
    snapshot,
    options,
    plan: new PlanBuilder(),
    scope,
    order,
    targets,
    named: new Set(options.services.length === 0 ? order : options.services),
    observed: snapshot.containers.filter((c) => !c.oneoff && c.hook === undefined),
    stoppedForDependency: new Map(),
    disconnected: new Map(),
    networkNode: new Map(),
    volumeNode: new Map(),
    imageNode: new Map(),
    startNodes: new Map(),
    containerNames: new Map(),
    recreated: new Set(),
  };
}

/** The phases that prepare what containers need: networks, volumes, images. */
function planInfrastructurePhases(state: UpState): void {
  planNetworks(state);
  planVolumes(state);
  for (const [key, node] of planImages(state.project, state.order, state.snapshot, state.options, state.plan)) state.imageNode.set(key, node);
}

/**
 * The plan that brings the engine to the project, in a fixed sequence of phases over one state:
 * networks, volumes, images, containers, orphans. Each phase adds its steps (each with its cause)
 * and leaves in the state what the later ones wait on.
 */
export function planUp(project: Project, snapshot: Snapshot, options: UpPlanOptions): Plan {
  const state = initialState(project, snapshot, options, 'all');
  planInfrastructurePhases(state);
  planContainers(state);
  planOrphans(state);
  return state.plan.build();
}

/**
 * What a one-off container of the services needs before it is created (`run`): the first phases
 * of `planUp` only, touching no service container.
 */
export function planInfrastructure(project: Project, snapshot: Snapshot, options: UpPlanOptions): Plan {
  const state = initialState(project, snapshot, options, 'infrastructure');
  planInfrastructurePhases(state);
  return state.plan.build();
}
