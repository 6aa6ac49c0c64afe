import { envBool } from '../../config/env-bool.js';
import { ExitCode, UsageError } from '../../errors.js';
import { converge } from '../../reconcile/converge.js';
import { formatPlan } from '../../reconcile/plan-text.js';
import type { CommandDefinition, ParsedFlags } from '../command.js';
import { flagBoolean, flagList, flagNumber, flagOrEnvBoolean, parseScale } from '../flag-values.js';
import { loadForCommand } from '../load-project.js';
import { checkBuildKeys } from '../build-check.js';
import { IMAGE_FLAGS, QUIET_BUILD_FLAG, QUIET_PULL_FLAG, YES_FLAG, imageOptions, withQuietImages } from '../image-flags.js';
import { targetServices, type UpPlanOptions } from '../../reconcile/plan.js';
import { WAIT_FLAGS, downOnFailure, waitChoice, waitForServices } from '../wait-flags.js';
import { servicesThatMustComplete } from '../../reconcile/container-judges.js';
import { ATTACH_FLAGS, checkDetachConflicts, upAttached } from './up-attached.js';

/** The flags of `up` and `create` that shape the plan. */
export const RECONCILE_FLAGS = [
  { name: 'force-recreate', type: 'boolean', description: 'Recreate containers even if nothing changed' },
  { name: 'no-recreate', type: 'boolean', description: 'Never recreate existing containers' },
  { name: 'always-recreate-deps', type: 'boolean', description: 'Recreate dependencies too (with --force-recreate)' },
  { name: 'no-deps', type: 'boolean', description: 'Do not act on linked services' },
  { name: 'remove-orphans', type: 'boolean', description: 'Remove containers of services no longer in the files' },
  { name: 'renew-anon-volumes', short: 'V', type: 'boolean', description: 'Recreate anonymous volumes instead of keeping their data' },
  { name: 'scale', type: 'string', repeat: true, valueName: 'SERVICE=N', description: 'Number of replicas (overrides scale in the file)' },
] as const;

export function reconcileOptions(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
  services: readonly string[],
  allResources = false,
): UpPlanOptions {
  if (flagBoolean(flags, 'force-recreate') && flagBoolean(flags, 'no-recreate')) {
    throw new UsageError('--force-recreate and --no-recreate cannot be used together');
  }
  const removeOrphans = flagOrEnvBoolean(flags, 'remove-orphans', env, 'COMPOSE_REMOVE_ORPHANS');
  const ignoreOrphans = envBool(env, 'COMPOSE_IGNORE_ORPHANS');
  if (removeOrphans && ignoreOrphans) {
    throw new UsageError('COMPOSE_IGNORE_ORPHANS and --remove-orphans (or COMPOSE_REMOVE_ORPHANS) cannot be combined');
  }
  return {
    services,
    noDeps: flagBoolean(flags, 'no-deps'),
    forceRecreate: flagBoolean(flags, 'force-recreate'),
    noRecreate: flagBoolean(flags, 'no-recreate'),
    alwaysRecreateDeps: flagBoolean(flags, 'always-recreate-deps'),
    renewAnonVolumes: flagBoolean(flags, 'renew-anon-volumes'),
    removeOrphans,
    ignoreOrphans,
    noStart: flagBoolean(flags, 'no-start'),
    scale: parseScale(flagList(flags, 'scale')),
    timeout: flagNumber(flags, 'timeout'),
    allResources,
  };
}

export const upCommand: CommandDefinition = {
  name: 'up',
  usage: '[SERVICE...]',
  flags: [
    { name: 'detach', short: 'd', type: 'boolean', description: 'Run in the background and return' },
    { name: 'no-start', type: 'boolean', description: 'Create but do not start' },
    { name: 'timeout', short: 't', type: 'number', valueName: 'SECONDS', description: 'Stop timeout when containers are replaced' },
    ...RECONCILE_FLAGS,
    ...IMAGE_FLAGS,
    QUIET_PULL_FLAG,
    QUIET_BUILD_FLAG,
    YES_FLAG,
    { name: 'menu', type: 'boolean', description: 'Accepted for Compose\'s scripts: tscompose has no interactive menu (nor does COMPOSE_MENU make one)' },
    ...ATTACH_FLAGS,
    ...WAIT_FLAGS,
  ],
  async run(outer) {
    const context = withQuietImages(outer);
    const wait = waitChoice(context.flags);
    // --wait implies -d, as in Compose.
    const detach = flagBoolean(context.flags, 'detach') || wait.wait;
    if (detach) checkDetachConflicts(context);
    const options = { ...reconcileOptions(context.flags, context.env, context.args, context.global.allResources), ...imageOptions(context.flags) };
    const project = await loadForCommand(context, context.args);
    if (options.build !== 'never') checkBuildKeys(project, targetServices(project, context.args, false));
    if (!detach && !context.global.dryRun && !options.noStart) return upAttached(context, project, options);
    const engine = await context.engine();
    await downOnFailure(context, wait, { engine: context.engine, name: project.name, project }, async () => {
      const plan = await converge(engine, project, {
        ...options,
        sink: context.ui.events,
        signal: context.signal,
        dryRun: context.global.dryRun,
        concurrency: context.global.parallel,
      });
      if (context.global.dryRun) {
        await context.ui.close();
        context.ui.out(formatPlan(plan));
      } else if (wait.wait) {
        await waitForServices(context, engine, project, project.name, targetServices(project, options.services, options.noDeps), wait,
          servicesThatMustComplete(project));
      }
    });
    return ExitCode.ok;
  },
};
