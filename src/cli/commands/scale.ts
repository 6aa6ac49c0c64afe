import { ExitCode, UsageError } from '../../errors.js';
import type { CommandDefinition } from '../command.js';
import { checkServices } from '../check-services.js';
import { loadForCommand } from '../load-project.js';

/** `web=3 worker=0` into a map, refusing what Compose refuses (a missing name or a count that is not a number). */
export function parseReplicas(args: readonly string[]): Map<string, number> {
  if (args.length === 0) throw new UsageError('scale needs at least one SERVICE=REPLICAS', 'tscompose scale web=3');
  const replicas = new Map<string, number>();
  for (const arg of args) {
    const at = arg.indexOf('=');
    const name = at === -1 ? '' : arg.slice(0, at);
    const value = at === -1 ? '' : arg.slice(at + 1);
    if (name === '' || value === '') throw new UsageError(`invalid scale specifier: ${arg}`, 'use SERVICE=REPLICAS, e.g. web=3');
    if (!/^\d+$/.test(value)) throw new UsageError(`invalid scale specifier: can't parse replica value as int: ${arg}`, 'use SERVICE=REPLICAS, e.g. web=3');
    replicas.set(name, Number(value));
  }
  return replicas;
}

/** Compose's `scale`: up's plan for the named services with their replica counts overridden, then started. */
export const scaleCommand: CommandDefinition = {
  name: 'scale',
  usage: 'SERVICE=REPLICAS...',
  flags: [{ name: 'no-deps', type: 'boolean', description: 'Do not start the services they depend on' }],
  async run(context) {
    const replicas = parseReplicas(context.args);
    const services = [...replicas.keys()].sort();
    const project = await loadForCommand(context, services);
    checkServices(project, services);
    // Imported here so that `scale --help` does not load the planner.
    const [{ converge }, { reconcileOptions }, { commandFlow, printDryRun }] = await Promise.all([
      import('../../reconcile/converge.js'), import('./up.js'), import('../planned-command.js'),
    ]);
    const options = {
      ...reconcileOptions(context.flags, context.env, services, context.global.allResources),
      scale: Object.fromEntries(replicas),
      removeOrphans: false,
    };
    const engine = await context.engine();
    await printDryRun(context, await converge(engine, project, { ...options, ...commandFlow(context) }));
    return ExitCode.ok;
  },
};
