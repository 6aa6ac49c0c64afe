import { ExitCode } from '../../errors.js';
import { planPause } from '../../reconcile/plan-lifecycle.js';
import type { CommandDefinition } from '../command.js';
import { runPlannedCommand } from '../planned-command.js';

export const pauseCommand: CommandDefinition = {
  name: 'pause',
  usage: '[SERVICE...]',
  flags: [],
  async run(context) {
    await runPlannedCommand(context, (project, snapshot) => planPause(project, snapshot, { services: context.args, pause: true }));
    return ExitCode.ok;
  },
};
