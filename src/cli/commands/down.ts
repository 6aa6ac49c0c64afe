import { ExitCode } from '../../errors.js';
import { takeDown } from '../../reconcile/take-down.js';
import { commandFlow, printDryRun } from '../planned-command.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagChoice, flagNumber, flagOrEnvBoolean } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';

export const downCommand: CommandDefinition = {
  name: 'down',
  usage: '[SERVICE...]',
  flags: [
    { name: 'volumes', short: 'v', type: 'boolean', description: 'Remove named volumes declared in the file and anonymous volumes' },
    { name: 'remove-orphans', type: 'boolean', description: 'Remove containers of services no longer in the files, and one-off containers' },
    { name: 'rmi', type: 'string', valueName: 'TYPE', description: 'Remove images: local (built for the project) or all' },
    { name: 'timeout', short: 't', type: 'number', valueName: 'SECONDS', description: 'Stop timeout' },
  ],
  async run(context) {
    const removeImages = context.flags['rmi'] === undefined
      ? 'none'
      : flagChoice(context.flags, 'rmi', ['local', 'all'] as const, 'local');
    const { name, project } = await loadProjectOrName(context);
    const engine = await context.engine();
    const plan = await takeDown(engine, name, project, {
      removeVolumes: flagBoolean(context.flags, 'volumes'),
      removeOrphans: flagOrEnvBoolean(context.flags, 'remove-orphans', context.env, 'COMPOSE_REMOVE_ORPHANS'),
      timeout: flagNumber(context.flags, 'timeout'),
      removeImages,
      services: context.args,
      ...commandFlow(context),
    });
    if (context.global.dryRun) await printDryRun(context, plan);
    else if (plan.nodes.length === 0) context.ui.warn(`no resources found to remove for project "${name}"`);
    return ExitCode.ok;
  },
};
