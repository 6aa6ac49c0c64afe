import { ExitCode } from '../../errors.js';
import { converge } from '../../reconcile/converge.js';
import { commandFlow, printDryRun } from '../planned-command.js';
import type { CommandDefinition } from '../command.js';
import { loadForCommand } from '../load-project.js';
import { checkBuildKeys } from '../build-check.js';
import { targetServices } from '../../reconcile/plan.js';
import { IMAGE_FLAGS, QUIET_PULL_FLAG, YES_FLAG, imageOptions, withQuietImages } from '../image-flags.js';
import { RECONCILE_FLAGS, reconcileOptions } from './up.js';

export const createCommand: CommandDefinition = {
  name: 'create',
  usage: '[SERVICE...]',
  flags: [...RECONCILE_FLAGS, ...IMAGE_FLAGS, QUIET_PULL_FLAG, YES_FLAG],
  async run(outer) {
    const context = withQuietImages(outer);
    const options = { ...reconcileOptions(context.flags, context.env, context.args, context.global.allResources), ...imageOptions(context.flags), noStart: true };
    const project = await loadForCommand(context, context.args);
    if (options.build !== 'never') checkBuildKeys(project, targetServices(project, context.args, false));
    const engine = await context.engine();
    await printDryRun(context, await converge(engine, project, { ...options, ...commandFlow(context) }));
    return ExitCode.ok;
  },
};
