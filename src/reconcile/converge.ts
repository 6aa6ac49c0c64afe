import type { Engine } from '../engine/engine.js';
import type { EventSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import { readSnapshot } from './actual.js';
import { applyPlan } from './apply.js';
import { planDown, type DownPlanOptions } from './plan-down.js';
import { defaultUpPlanOptions, planUp, type UpPlanOptions } from './plan.js';
import type { Plan } from './plan-types.js';

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
  const snapshot = await readSnapshot(engine, project.name);
  const plan = planUp(project, snapshot, options);
  for (const warning of plan.warnings) options.sink.warn(warning);
  if (options.dryRun === true) return plan;
  await options.onPlan?.(plan);
  await applyPlan(engine, plan, {
    sink: options.sink,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    pullImage: (image) => engine.pullImage(image),
    ...(options.beforeStart === undefined ? {} : { beforeStart: options.beforeStart }),
  });
  return plan;
}

/**
 * What a one-off container of `service` needs before it can be created: its networks, its named
 * volumes and its image, without touching any service container (`run --no-deps`).
 */
export async function prepareInfrastructure(engine: Engine, project: Project, service: string, options: FlowOptions): Promise<void> {
  const snapshot = await readSnapshot(engine, project.name);
  const full = planUp(project, snapshot, { ...defaultUpPlanOptions, services: [service], noDeps: true, noStart: true });
  const infra = full.nodes.filter((n) => ['create-network', 'create-volume', 'pull-image'].includes(n.operation.type));
  await applyPlan(engine, { nodes: infra, warnings: [] }, {
    sink: options.sink,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    pullImage: (image) => engine.pullImage(image),
  });
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
