import { ExitCode } from '../../errors.js';
import { silentSink } from '../../model/events.js';
import { pullImages } from '../../reconcile/image-flows.js';
import { commandFlow, printDryRun } from '../planned-command.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagChoice } from '../flag-values.js';
import { loadForCommand } from '../load-project.js';

export const pullCommand: CommandDefinition = {
  name: 'pull',
  usage: '[SERVICE...]',
  flags: [
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Print nothing but errors' },
    { name: 'ignore-pull-failures', type: 'boolean', description: 'Pull what can be pulled; report the rest as warnings' },
    { name: 'include-deps', type: 'boolean', description: 'Also pull the images of the services named services depend on' },
    // Deprecated in Compose, which accepts and ignores them.
    { name: 'parallel', type: 'boolean', description: 'Deprecated; ignored, as by Compose', hidden: true },
    { name: 'no-parallel', type: 'boolean', description: 'Deprecated; ignored, as by Compose', hidden: true },
    { name: 'ignore-buildable', type: 'boolean', description: 'Skip services that build their image' },
    { name: 'policy', type: 'string', valueName: 'POLICY', description: 'always, or missing (only images not present)', default: 'always' },
  ],
  async run(context) {
    const policy = flagChoice(context.flags, 'policy', ['always', 'missing'] as const, 'always');
    const project = await loadForCommand(context, context.args);
    const engine = await context.engine();
    const quiet = flagBoolean(context.flags, 'quiet');
    const plan = await pullImages(engine, project, context.args, {
      policy,
      includeDeps: flagBoolean(context.flags, 'include-deps'),
      ignoreBuildable: flagBoolean(context.flags, 'ignore-buildable'),
      ignoreFailures: flagBoolean(context.flags, 'ignore-pull-failures'),
      ...commandFlow(context, quiet ? { ...silentSink, warn: (m) => context.ui.warn(m) } : context.ui.events),
    });
    await printDryRun(context, plan);
    return ExitCode.ok;
  },
};
