import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { EventSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import { readSnapshot } from './actual.js';
import { applyPlan } from './apply.js';
import { planDown, type DownPlanOptions } from './plan-down.js';
import { defaultUpPlanOptions, planUp, targetServices, type UpPlanOptions } from './plan.js';
import { isImageStep, pullWithProgress, readImageInputs } from './image-inputs.js';
import type { Plan } from './plan-types.js';
import { preflight, type Preflight } from './preflight.js';

export interface FlowOptions {
  readonly sink: EventSink;
  readonly signal?: AbortSignal;
  /** Plan only: nothing is changed on the engine. */
  readonly dryRun?: boolean;
}

/** Hooks for attached `up`: see the plan before it runs, act between each create and start. */
export interface ConvergeHooks {
  readonly onPlan?: (plan: Plan) => Promise<void> | void;
  readonly beforeStart?: (container: string, service: string) => Promise<void>;
}

/** Read once, plan, apply: `up` and `create`. Returns the plan that was (or would be) applied. */
export async function converge(
  engine: Engine,
  project: Project,
  options: UpPlanOptions & FlowOptions & ConvergeHooks,
): Promise<Plan> {
  const targets = targetServices(project, options.services, options.noDeps);
  const checked = await checkBeforeChange(engine, project, targets, options.sink);
  const snapshot = await readSnapshot(engine, project.name);
  const inputs = { ...await readImageInputs(engine, project, targets, options), seccompProfiles: checked.seccompProfiles };
  const plan = planUp(project, snapshot, { ...options, ...inputs });
  for (const warning of plan.warnings) options.sink.warn(warning);
  if (options.dryRun === true) return plan;
  await options.onPlan?.(plan);
  const applyOptions = {
    sink: options.sink,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
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

/**
 * What a one-off container of `service` needs before it can be created: its networks, its named
 * volumes and its image, without touching any service container (`run --no-deps`).
 */
export async function prepareInfrastructure(engine: Engine, project: Project, service: string, options: FlowOptions): Promise<Preflight> {
  const checked = await checkBeforeChange(engine, project, [service], options.sink);
  const snapshot = await readSnapshot(engine, project.name);
  const upOptions = { ...defaultUpPlanOptions, services: [service], noDeps: true, noStart: true };
  const inputs = await readImageInputs(engine, project, [service], upOptions);
  const full = planUp(project, snapshot, { ...upOptions, ...inputs });
  const infra = full.nodes.filter((n) => ['create-network', 'create-volume'].includes(n.operation.type) || isImageStep(n.operation.type));
  await applyPlan(engine, { nodes: infra, warnings: [] }, {
    sink: options.sink,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    pullImage: pullWithProgress(engine, options.sink),
  });
  return checked;
}

/** Preflight against this engine's API version, reading files relative to the project folder. */
export async function checkBeforeChange(engine: Engine, project: Project, services: readonly string[], sink: EventSink): Promise<Preflight> {
  const { apiVersion } = await engine.version();
  const checked = preflight({
    project,
    services,
    apiVersion,
    readFile: (file) => {
      try {
        return readFileSync(resolve(project.working_dir, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  for (const warning of checked.warnings) sink.warn(warning);
  return checked;
}

/** Takes the project off the engine; keeps going past a failed step so volumes still go with -v. */
export async function takeDown(
  engine: Engine,
  projectName: string,
  project: Project | undefined,
  options: DownPlanOptions & FlowOptions,
): Promise<Plan> {
  const snapshot = await readSnapshot(engine, projectName, { images: options.removeImages !== 'none' });
  const plan = planDown(project, snapshot, options);
  for (const warning of plan.warnings) options.sink.warn(warning);
  if (options.dryRun === true) return plan;
  await applyPlan(engine, plan, {
    sink: options.sink,
    continueOnError: true,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return plan;
}
