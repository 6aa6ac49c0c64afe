import { ExitCode } from '../../errors.js';
import { planRestart } from '../../reconcile/plan-lifecycle.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagNumber } from '../flag-values.js';
import { runPlannedCommand } from '../planned-command.js';

export const restartCommand: CommandDefinition = {
  name: 'restart',
  usage: '[SERVICE...]',
  flags: [
    { name: 'timeout', short: 't', type: 'number', valueName: 'SECONDS', description: 'Seconds to wait before killing' },
    { name: 'no-deps', type: 'boolean', description: 'Restart only the named services, not their dependents' },
  ],
  async run(context) {
    await runPlannedCommand(context, (project, snapshot) => planRestart(project, snapshot, {
      services: context.args,
      timeout: flagNumber(context.flags, 'timeout'),
      noDeps: flagBoolean(context.flags, 'no-deps'),
    }));
    return ExitCode.ok;
  },
};
