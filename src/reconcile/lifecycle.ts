import type { Engine } from '../engine/engine.js';
import type { Project } from '../model/project.js';
import { readSnapshot, type Snapshot } from './actual.js';
import { applyPlan } from './apply.js';
import { walkOptions, type FlowOptions } from './flow-options.js';
import type { Plan } from './plan-types.js';

/** Read the project's containers once, plan with `planner`, apply unless it is a dry run. */
export async function runLifecycle(
  engine: Engine,
  projectName: string,
  project: Project | undefined,
  planner: (project: Project | undefined, snapshot: Snapshot) => Plan,
  options: FlowOptions & { readonly confirm?: (plan: Plan) => Promise<boolean> },
): Promise<{ readonly plan: Plan; readonly applied: boolean }> {
  const snapshot = await readSnapshot(engine, projectName, { images: false });
  const plan = planner(project, snapshot);
  for (const warning of plan.warnings) options.sink.warn(warning);
  if (options.dryRun === true || plan.nodes.length === 0) return { plan, applied: false };
  if (options.confirm !== undefined && !(await options.confirm(plan))) return { plan, applied: false };
  await applyPlan(engine, plan, walkOptions(options));
  return { plan, applied: true };
}
