import type { Engine } from '../engine/engine.js';
import type { EventSink } from '../model/events.js';
import type { FlowOptions } from '../reconcile/flow-options.js';
import type { Project } from '../model/project.js';
import type { Snapshot } from '../reconcile/actual.js';
import { runLifecycle } from '../reconcile/lifecycle.js';
import { formatPlan } from '../reconcile/plan-text.js';
import type { Plan } from '../reconcile/plan-types.js';
import type { CommandContext } from './command.js';
import { loadProjectOrName } from './load-project.js';

/**
 * What every engine-changing command hands its flow: progress to the terminal (or `sink`),
 * Ctrl-C, --dry-run and the --parallel bound, read in one place.
 */
export function commandFlow(context: CommandContext, sink: EventSink = context.ui.events): Required<FlowOptions> {
  return { sink, signal: context.signal, dryRun: context.global.dryRun, concurrency: context.global.parallel };
}

/** Prints the plan that `--dry-run` left unapplied (after the progress display has closed). */
export async function printDryRun(context: CommandContext, plan: Plan): Promise<void> {
  if (!context.global.dryRun) return;
  await context.ui.close();
  context.ui.out(formatPlan(plan));
}

/**
 * The shape every lifecycle command shares: load the project (or only its name, from -p), read,
 * plan, apply; `--dry-run` prints the plan instead.
 */
export async function runPlannedCommand(
  context: CommandContext,
  planner: (project: Project | undefined, snapshot: Snapshot) => Plan,
  options: { readonly confirm?: (plan: Plan) => Promise<boolean> } = {},
): Promise<{ readonly engine: Engine; readonly name: string; readonly project: Project | undefined; readonly plan: Plan; readonly applied: boolean }> {
  const { name, project } = await loadProjectOrName(context);
  const engine = await context.engine();
  const result = await runLifecycle(engine, name, project, planner, {
    ...commandFlow(context),
    ...(options.confirm === undefined ? {} : { confirm: options.confirm }),
  });
  await printDryRun(context, result.plan);
  return { engine, name, project, ...result };
}
