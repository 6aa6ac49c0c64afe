import { ExitCode, RuntimeError } from '../../errors.js';
import { planRemove } from '../../reconcile/plan-lifecycle.js';
import type { Plan } from '../../reconcile/plan-types.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean } from '../flag-values.js';
import { runPlannedCommand } from '../planned-command.js';

function removed(plan: Plan): string[] {
  return plan.nodes.filter((n) => n.operation.type === 'remove-container').map((n) => n.display);
}

/**
 * Without -f, Compose asks "Are you sure?". With a terminal we ask too; with no terminal (CI,
 * pipes) there is nobody to answer, so we list what would go and refuse, pointing at -f, rather
 * than read an answer from a stdin that is not a person.
 */
export const rmCommand: CommandDefinition = {
  name: 'rm',
  usage: '[SERVICE...]',
  flags: [
    { name: 'force', short: 'f', type: 'boolean', description: 'Do not ask for confirmation' },
    { name: 'stop', short: 's', type: 'boolean', description: 'Stop the containers first if needed' },
    { name: 'volumes', short: 'v', type: 'boolean', description: 'Remove anonymous volumes attached to the containers' },
    { name: 'all', short: 'a', type: 'boolean', description: 'Deprecated; ignored, as by Compose', hidden: true },
  ],
  async run(context) {
    const force = flagBoolean(context.flags, 'force');
    const { plan, applied } = await runPlannedCommand(
      context,
      (project, snapshot) => planRemove(project, snapshot, {
        services: context.args,
        stop: flagBoolean(context.flags, 'stop'),
        removeVolumes: flagBoolean(context.flags, 'volumes'),
      }),
      force ? {} : {
        confirm: async (p) => {
          const question = `Going to remove ${removed(p).join(', ')}`;
          if (context.ui.confirm === undefined || !context.ui.interactive) {
            throw new RuntimeError(`${question}: not without a confirmation, and there is no terminal to ask on`, 'add -f (--force) to remove without asking');
          }
          return context.ui.confirm(`${question}\nAre you sure?`);
        },
      },
    );
    if (!context.global.dryRun && removed(plan).length === 0) context.ui.info('No stopped containers');
    else if (!applied && !context.global.dryRun) context.ui.info('Removal cancelled');
    return ExitCode.ok;
  },
};
