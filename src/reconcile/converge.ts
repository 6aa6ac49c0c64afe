import type { Engine } from '../engine/engine.js';
import type { Project } from '../model/project.js';
import { readSnapshot } from './actual.js';
import { applyPlan } from './apply.js';
import { walkOptions, type FlowOptions } from './flow-options.js';
import { planUp, targetServices, type UpPlanOptions } from './plan.js';
import { isImageStep, pullWithProgress, readImageInputs } from './image-inputs.js';
import type { Plan } from './plan-types.js';
import { checkBeforeChange } from './check-before-change.js';
import { replanOnRecoverableFailure, underProjectLock } from './project-run.js';

/** Hooks for attached `up`: see the plan before it runs, act between each create and start. */
export interface ConvergeHooks {
  readonly onPlan?: (plan: Plan) => Promise<void> | void;
  readonly beforeStart?: (container: string, service: string) => Promise<void>;
}

/**
 * Read once, plan, apply: `up` and `create`. Returns the plan that was (or would be) applied.
 * Runs of the project on this machine take turns (the project lock); a change by another machine
 * in the middle makes the run read and plan again.
 */
export async function converge(
  engine: Engine,
  project: Project,
  options: UpPlanOptions & FlowOptions & ConvergeHooks,
): Promise<Plan> {
  const targets = targetServices(project, options.services, options.noDeps);
  // Checks that change nothing run before the lock: a refusal never waits for another run.
  const checked = await checkBeforeChange(engine, project, targets, options.sink);
  return underProjectLock(engine, project.name, options, () =>
    replanOnRecoverableFailure(options, project.name, (learned) =>
      convergeOnce(engine, checked.project, { ...options, unstartable: learned.unstartable }, targets, checked)));
}

async function convergeOnce(
  engine: Engine,
  project: Project,
  options: UpPlanOptions & FlowOptions & ConvergeHooks,
  targets: readonly string[],
  checked: Awaited<ReturnType<typeof checkBeforeChange>>,
): Promise<Plan> {
  const snapshot = await readSnapshot(engine, project.name);
  const inputs = { ...await readImageInputs(engine, project, targets, options), seccompProfiles: checked.seccompProfiles, proxyEnvironment: checked.proxyEnvironment };
  const plan = planUp(project, snapshot, { ...options, ...inputs });
  for (const warning of plan.warnings) options.sink.warn(warning);
  if (options.dryRun === true) return plan;
  await options.onPlan?.(plan);
  const applyOptions = {
    ...walkOptions(options),
    pullImage: pullWithProgress(engine, options.sink),
    ...(options.beforeStart === undefined ? {} : { beforeStart: options.beforeStart }),
  };
  const imageSteps = plan.nodes.filter((n) => isImageStep(n.operation.type));
  if (imageSteps.length === 0) {
    await applyPlan(engine, plan, applyOptions);
    return plan;
  }
  // Images first, then plan the containers again against the new image IDs: a rebuilt or newly
  // pulled image recreates the containers that run it, and the plan says so.
  await applyPlan(engine, { nodes: imageSteps, warnings: [] }, applyOptions);
  const containers = planUp(project, await readSnapshot(engine, project.name), { ...options, ...inputs, imagesReady: true });
  await applyPlan(engine, containers, applyOptions);
  return { nodes: [...imageSteps, ...containers.nodes], warnings: plan.warnings };
}
