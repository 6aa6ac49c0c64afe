import type { Engine } from '../engine/engine.js';
import type { Project } from '../model/project.js';
import { readSnapshot } from './actual.js';
import { applyPlan } from './apply.js';
import { checkBeforeChange, type CheckedProject } from './check-before-change.js';
import { walkOptions, type FlowOptions } from './flow-options.js';
import { pullWithProgress, readImageInputs } from './image-inputs.js';
import { defaultUpPlanOptions, planInfrastructure } from './plan.js';
import type { ImagePlanOptions } from './plan-images.js';

/**
 * What a one-off container of `service` needs before it can be created: its networks, its named
 * volumes and its image, without touching any service container (`run --no-deps`). Returns what
 * preflight found (seccomp profiles and the engine's proxy variables for the one-off's create
 * request) and the checked project.
 */
export async function prepareInfrastructure(
  engine: Engine,
  project: Project,
  service: string,
  options: FlowOptions & { readonly images?: Pick<ImagePlanOptions, 'build' | 'pull'> },
): Promise<CheckedProject> {
  const checked = await checkBeforeChange(engine, project, [service], options.sink);
  const snapshot = await readSnapshot(engine, project.name);
  const upOptions = { ...defaultUpPlanOptions, ...options.images, services: [service], noDeps: true, noStart: true };
  const inputs = await readImageInputs(engine, project, [service], upOptions);
  const plan = planInfrastructure(project, snapshot, { ...upOptions, ...inputs });
  for (const warning of plan.warnings) options.sink.warn(warning);
  await applyPlan(engine, plan, {
    ...walkOptions(options),
    pullImage: pullWithProgress(engine, options.sink),
  });
  return checked;
}
