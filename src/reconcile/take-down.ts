import type { Engine } from '../engine/engine.js';
import type { Project } from '../model/project.js';
import { readSnapshot } from './actual.js';
import { applyPlan } from './apply.js';
import { walkOptions, type FlowOptions } from './flow-options.js';
import { planDown, type DownPlanOptions } from './plan-down.js';
import type { Plan } from './plan-types.js';
import { underProjectLock } from './project-run.js';

/** Takes the project off the engine; keeps going past a failed step so volumes still go with -v. */
export async function takeDown(
  engine: Engine,
  projectName: string,
  project: Project | undefined,
  options: DownPlanOptions & FlowOptions,
): Promise<Plan> {
  return underProjectLock(engine, projectName, options, () => takeDownOnce(engine, projectName, project, options));
}

async function takeDownOnce(
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
    ...walkOptions(options),
    continueOnError: true,
  });
  return plan;
}
