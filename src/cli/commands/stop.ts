import { ExitCode } from '../../errors.js';
import { planStop } from '../../reconcile/plan-lifecycle.js';
import type { CommandDefinition } from '../command.js';
import { flagNumber } from '../flag-values.js';
import { runPlannedCommand } from '../planned-command.js';

export const stopCommand: CommandDefinition = {
  name: 'stop',
  usage: '[SERVICE...]',
  flags: [{ name: 'timeout', short: 't', type: 'number', valueName: 'SECONDS', description: 'Seconds to wait before killing' }],
  async run(context) {
    await runPlannedCommand(context, (project, snapshot) =>
      planStop(project, snapshot, { services: context.args, timeout: flagNumber(context.flags, 'timeout') }));
    return ExitCode.ok;
  },
};
