import { ExitCode } from '../../errors.js';
import { silentSink } from '../../model/events.js';
import { pushImages } from '../../reconcile/image-flows.js';
import { commandFlow, printDryRun } from '../planned-command.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean } from '../flag-values.js';
import { loadForCommand } from '../load-project.js';

export const pushCommand: CommandDefinition = {
  name: 'push',
  usage: '[SERVICE...]',
  flags: [
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Print nothing but errors' },
    { name: 'include-deps', type: 'boolean', description: 'Push the images of the services these depend on too' },
    { name: 'ignore-push-failures', type: 'boolean', description: 'Push what can be pushed; report the rest as warnings' },
  ],
  async run(context) {
    const project = await loadForCommand(context, context.args);
    const engine = await context.engine();
    const quiet = flagBoolean(context.flags, 'quiet');
    const plan = await pushImages(engine, project, context.args, {
      ignoreFailures: flagBoolean(context.flags, 'ignore-push-failures'),
      includeDeps: flagBoolean(context.flags, 'include-deps'),
      ...commandFlow(context, quiet ? { ...silentSink, warn: (m) => context.ui.warn(m) } : context.ui.events),
    });
    await printDryRun(context, plan);
    return ExitCode.ok;
  },
};
