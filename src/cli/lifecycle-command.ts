import type { Engine } from '../engine/engine.js';
import { RuntimeError, UsageError } from '../errors.js';
import type { Project } from '../model/project.js';
import type { Snapshot } from '../reconcile/actual.js';
import { runLifecycle, serviceContainerNames } from '../reconcile/lifecycle.js';
import { formatPlan } from '../reconcile/plan-text.js';
import type { Plan } from '../reconcile/plan-types.js';
import { waitForContainers } from '../reconcile/wait-services.js';
import type { CommandContext, FlagSpec, ParsedFlags } from './command.js';
import { flagBoolean, flagNumber } from './flag-values.js';
import { loadProjectOrName } from './load-project.js';

export const WAIT_FLAGS: readonly FlagSpec[] = [
  { name: 'wait', type: 'boolean', description: 'Wait until every service is running (healthy if it has a healthcheck) or completed with exit 0' },
  { name: 'wait-timeout', type: 'number', valueName: 'SECONDS', description: 'Give up waiting after this many seconds (implies --wait)' },
];

export interface WaitChoice {
  readonly wait: boolean;
  readonly timeoutMs: number | undefined;
}

export function waitChoice(flags: ParsedFlags): WaitChoice {
  const seconds = flagNumber(flags, 'wait-timeout');
  if (seconds !== undefined && seconds <= 0) throw new UsageError('--wait-timeout must be a positive number of seconds');
  return { wait: flagBoolean(flags, 'wait') || seconds !== undefined, timeoutMs: seconds === undefined ? undefined : seconds * 1000 };
}

/** Waits for the containers of `services` (all when empty) after a start, and reports the ones that failed. */
export async function waitForServices(
  context: CommandContext,
  engine: Engine,
  projectName: string,
  services: readonly string[],
  choice: WaitChoice,
  mustComplete?: ReadonlySet<string>,
): Promise<void> {
  const names = await serviceContainerNames(engine, projectName, services);
  await waitForContainers(engine, names, {
    sink: context.ui.events,
    signal: context.signal,
    ...(choice.timeoutMs === undefined ? {} : { timeoutMs: choice.timeoutMs }),
    ...(mustComplete === undefined ? {} : { mustComplete }),
  });
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
    sink: context.ui.events,
    signal: context.signal,
    dryRun: context.global.dryRun,
    ...(options.confirm === undefined ? {} : { confirm: options.confirm }),
  });
  if (context.global.dryRun) {
    await context.ui.close();
    context.ui.out(formatPlan(result.plan));
  }
  return { engine, name, project, ...result };
}

export function refuse(message: string, hint: string): never {
  throw new RuntimeError(message, hint);
}
