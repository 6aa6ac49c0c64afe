import { ExitCode } from '../../errors.js';
import { buildImages } from '../../reconcile/image-flows.js';
import { formatPlan } from '../../reconcile/plan-text.js';
import { silentSink } from '../../model/events.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagList } from '../flag-values.js';
import { parseBuildArgs } from '../image-flags.js';
import { loadForCommand } from '../load-project.js';

export const buildCommand: CommandDefinition = {
  name: 'build',
  usage: '[SERVICE...]',
  flags: [
    { name: 'no-cache', type: 'boolean', description: 'Do not use the build cache' },
    { name: 'pull', type: 'boolean', description: 'Always pull newer versions of the base images' },
    { name: 'build-arg', type: 'string', repeat: true, valueName: 'KEY[=VALUE]', description: 'Set a build argument (KEY alone: from the environment)' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Print nothing but errors' },
    { name: 'push', type: 'boolean', description: 'Push the images after building them' },
  ],
  async run(context) {
    const args = parseBuildArgs(flagList(context.flags, 'build-arg'), context.env);
    const project = await loadForCommand(context, context.args);
    const engine = await context.engine();
    const plan = await buildImages(engine, project, context.args, {
      overrides: {
        ...(flagBoolean(context.flags, 'no-cache') ? { noCache: true } : {}),
        ...(flagBoolean(context.flags, 'pull') ? { pull: true } : {}),
        ...(Object.keys(args).length === 0 ? {} : { args }),
      },
      push: flagBoolean(context.flags, 'push'),
      sink: flagBoolean(context.flags, 'quiet') ? silentSink : context.ui.events,
      signal: context.signal,
      dryRun: context.global.dryRun,
    });
    if (context.global.dryRun) context.ui.out(formatPlan(plan));
    return ExitCode.ok;
  },
};
