import { ExitCode } from '../../errors.js';
import { converge } from '../../reconcile/converge.js';
import { formatPlan } from '../../reconcile/plan-text.js';
import type { CommandDefinition } from '../command.js';
import { loadForCommand } from '../load-project.js';
import { RECONCILE_FLAGS, reconcileOptions } from './up.js';

export const createCommand: CommandDefinition = {
  name: 'create',
  usage: '[SERVICE...]',
  flags: [...RECONCILE_FLAGS],
  async run(context) {
    const options = { ...reconcileOptions(context.flags, context.env, context.args), noStart: true };
    const project = await loadForCommand(context, context.args);
    const engine = await context.engine();
    const plan = await converge(engine, project, { ...options, sink: context.ui.events, signal: context.signal, dryRun: context.global.dryRun });
    if (context.global.dryRun) {
      await context.ui.close();
      context.ui.out(formatPlan(plan));
    }
    return ExitCode.ok;
  },
};
