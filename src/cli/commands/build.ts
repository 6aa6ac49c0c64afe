import { ExitCode } from '../../errors.js';
import { buildImages } from '../../reconcile/image-flows.js';
import { chosenBuilder } from '../../reconcile/build-request.js';
import { buildDefinitions } from '../../reconcile/build-definitions.js';
import { targetServices } from '../../reconcile/plan.js';
import { commandFlow, printDryRun } from '../planned-command.js';
import { silentSink } from '../../model/events.js';
import type { CommandDefinition } from '../command.js';
import { checkBuildKeys } from '../build-check.js';
import { flagBoolean, flagList } from '../flag-values.js';
import { BUILDKIT_FLAGS, refuseBuildKitFlags } from '../buildkit-flags.js';
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
    ...BUILDKIT_FLAGS,
    // Deprecated in Compose, which accepts and ignores them.
    { name: 'compress', type: 'boolean', description: 'Deprecated; ignored, as by Compose', hidden: true },
    { name: 'force-rm', type: 'boolean', description: 'Deprecated; ignored, as by Compose', hidden: true },
    { name: 'no-rm', type: 'boolean', description: 'Deprecated; ignored, as by Compose', hidden: true },
    { name: 'parallel', type: 'boolean', description: 'Deprecated; ignored, as by Compose', hidden: true },
  ],
  async run(context) {
    const args = parseBuildArgs(flagList(context.flags, 'build-arg'), context.env);
    const project = await loadForCommand(context, context.args);
    refuseBuildKitFlags(context.flags, chosenBuilder(project.environment));
    const withDependencies = flagBoolean(context.flags, 'with-dependencies');
    const services = targetServices(project, context.args, !withDependencies);
    checkBuildKeys(project, services);
    const ssh = flagList(context.flags, 'ssh');
    const overrides = {
      ...(flagBoolean(context.flags, 'no-cache') ? { noCache: true } : {}),
      ...(flagBoolean(context.flags, 'pull') ? { pull: true } : {}),
      ...(Object.keys(args).length === 0 ? {} : { args }),
      ...(ssh.length === 0 ? {} : { ssh }),
    };
    if (flagBoolean(context.flags, 'print')) {
      context.ui.out(`${JSON.stringify(buildDefinitions(project, services, overrides), null, 2)}\n`);
      return ExitCode.ok;
    }
    const engine = await context.engine();
    const plan = await buildImages(engine, project, context.args, {
      overrides,
      withDependencies,
      push: flagBoolean(context.flags, 'push'),
      ...commandFlow(context, flagBoolean(context.flags, 'quiet') ? silentSink : context.ui.events),
    });
    await printDryRun(context, plan);
    return ExitCode.ok;
  },
};
