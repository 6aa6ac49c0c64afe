import { ExitCode, UsageError } from '../../errors.js';
import { parseDurationNs } from '../../model/duration.js';
import { reapProjects } from '../../reconcile/reap.js';
import { formatTable } from '../../ui/table.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagString } from '../flag-values.js';

export const cleanupCommand: CommandDefinition = {
  name: 'cleanup',
  flags: [
    { name: 'older-than', type: 'string', valueName: 'DURATION', description: 'Only projects whose newest container is older than this (30m, 1h, 2h30m)' },
    { name: 'prefix', type: 'string', valueName: 'TEXT', description: 'Only projects whose name starts with this' },
    { name: 'all-tools', type: 'boolean', description: 'Also projects that tscompose did not make (Docker Compose\'s)' },
  ],
  async run(context) {
    const age = flagString(context.flags, 'older-than');
    const ageNs = age === undefined ? undefined : parseDurationNs(age);
    if (age !== undefined && ageNs === undefined) throw new UsageError(`invalid --older-than "${age}"`, 'use a duration such as 30m, 1h or 2h30m');
    const prefix = flagString(context.flags, 'prefix');
    const engine = await context.engine();
    const targets = await reapProjects(engine, {
      ...(prefix === undefined ? {} : { prefix }),
      ...(ageNs === undefined ? {} : { olderThanMs: ageNs / 1e6 }),
      allTools: flagBoolean(context.flags, 'all-tools'),
    }, { sink: context.ui.events, dryRun: context.global.dryRun, now: Date.now() });
    await context.ui.close();
    if (targets.length === 0) {
      context.ui.info('no project matches');
      return ExitCode.ok;
    }
    context.ui.out(formatTable(
      [context.global.dryRun ? 'WOULD REMOVE' : 'REMOVED', 'CONTAINERS', 'NETWORKS', 'VOLUMES', 'WHY'],
      targets.map((t) => [t.project, String(t.containers), String(t.networks), String(t.volumes), t.reason]),
    ));
    return ExitCode.ok;
  },
};
