import { ExitCode } from '../../errors.js';
import { planKill } from '../../reconcile/plan-lifecycle.js';
import type { CommandDefinition } from '../command.js';
import { flagOrEnvBoolean, flagString } from '../flag-values.js';
import { runPlannedCommand } from '../planned-command.js';

export const killCommand: CommandDefinition = {
  name: 'kill',
  usage: '[SERVICE...]',
  flags: [
    { name: 'signal', short: 's', type: 'string', valueName: 'SIGNAL', description: 'Signal to send (default SIGKILL)' },
    { name: 'remove-orphans', type: 'boolean', description: 'Remove containers of services no longer in the files' },
  ],
  async run(context) {
    await runPlannedCommand(context, (project, snapshot) => planKill(project, snapshot, {
      services: context.args,
      signal: flagString(context.flags, 'signal'),
      removeOrphans: flagOrEnvBoolean(context.flags, 'remove-orphans', context.env, 'COMPOSE_REMOVE_ORPHANS'),
    }));
    return ExitCode.ok;
  },
};
