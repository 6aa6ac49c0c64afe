import { ExitCode } from '../../errors.js';
import { planStart } from '../../reconcile/plan-lifecycle.js';
import type { CommandDefinition } from '../command.js';
import { WAIT_FLAGS, downOnFailure, waitChoice, waitForServices } from '../wait-flags.js';
import { runPlannedCommand } from '../planned-command.js';

export const startCommand: CommandDefinition = {
  name: 'start',
  usage: '[SERVICE...]',
  flags: [...WAIT_FLAGS],
  async run(context) {
    const wait = waitChoice(context.flags);
    const { engine, name, project, plan } = await runPlannedCommand(context, (project, snapshot) =>
      planStart(project, snapshot, { services: context.args }));
    if (wait.wait && !context.global.dryRun) {
      const services = new Set(plan.nodes.flatMap((n) => (n.operation.type === 'start-container' ? [n.operation.service] : [])));
      await downOnFailure(context, wait, { engine: context.engine, name, project }, () =>
        waitForServices(context, engine, project, name, context.args.length === 0 ? [] : [...new Set([...context.args, ...services])], wait));
    }
    return ExitCode.ok;
  },
};
