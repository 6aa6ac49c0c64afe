import type { Engine } from '../engine/engine.js';
import type { EventSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import { readSnapshot } from './actual.js';
import { ApplyError, applyPlan } from './apply.js';
import type { BuildOverrides } from './build-request.js';
import { pullWithProgress, readImageInputs } from './image-inputs.js';
import { planBuild, planPull, planPush, type PullPlanOptions } from './plan-image-commands.js';
import { targetServices } from './plan.js';
import { walkOptions } from './flow-options.js';
import type { Plan } from './plan-types.js';

export interface ImageFlowOptions {
  readonly sink: EventSink;
  readonly signal?: AbortSignal;
  readonly dryRun?: boolean;
  /** Most pulls, builds or pushes in flight at once (--parallel, COMPOSE_PARALLEL_LIMIT). */
  readonly concurrency?: number;
  /** Keep going past a failed pull or push, and report the failures as warnings. */
  readonly ignoreFailures?: boolean;
}

async function run(engine: Engine, plan: Plan, options: ImageFlowOptions): Promise<Plan> {
  if (options.dryRun === true) return plan;
  try {
    await applyPlan(engine, plan, {
      ...walkOptions(options),
      continueOnError: options.ignoreFailures === true,
      pullImage: pullWithProgress(engine, options.sink),
    });
  } catch (error) {
    if (!(error instanceof ApplyError) || options.ignoreFailures !== true) throw error;
    for (const f of error.failures) options.sink.warn(`${f.node.display}: ${(f.error as Error).message} (ignored)`);
  }
  return plan;
}

/** `build`: digest the inputs (for the label `up` compares), build, and push with --push. */
export async function buildImages(
  engine: Engine,
  project: Project,
  services: readonly string[],
  options: ImageFlowOptions & { readonly overrides: BuildOverrides; readonly push: boolean; readonly withDependencies?: boolean },
): Promise<Plan> {
  const withDependencies = options.withDependencies === true;
  const { buildInputs } = await readImageInputs(engine, project, targetServices(project, services, !withDependencies), {});
  return run(engine, planBuild(project, services, { overrides: options.overrides, push: options.push, buildInputs: buildInputs ?? new Map(), withDependencies }), options);
}

export async function pullImages(
  engine: Engine,
  project: Project,
  services: readonly string[],
  options: ImageFlowOptions & PullPlanOptions,
): Promise<Plan> {
  const snapshot = await readSnapshot(engine, project.name);
  return run(engine, planPull(project, services, snapshot, options), options);
}

export async function pushImages(
  engine: Engine,
  project: Project,
  services: readonly string[],
  options: ImageFlowOptions & { readonly includeDeps?: boolean },
): Promise<Plan> {
  return run(engine, planPush(project, services, options.includeDeps === true), options);
}
