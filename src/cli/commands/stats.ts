import { ExitCode, UsageError } from '../../errors.js';
import { formatBytes, statsFigures } from '../../model/stats.js';
import { formatTable } from '../../ui/table.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';
import { checkServices } from '../check-services.js';
import { listServiceContainers } from '../../reconcile/find-containers.js';

export const statsCommand: CommandDefinition = {
  name: 'stats',
  usage: '[SERVICE...]',
  flags: [
    { name: 'no-stream', type: 'boolean', description: 'Print one sample and return (the only mode for now)' },
    { name: 'all', short: 'a', type: 'boolean', description: 'Stopped containers too' },
    { name: 'no-trunc', type: 'boolean', description: 'Full container IDs' },
  ],
  async run(context) {
    if (!flagBoolean(context.flags, 'no-stream')) {
      throw new UsageError('only `stats --no-stream` is available for now', 'tscompose stats --no-stream');
    }
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, context.args);
    const engine = await context.engine();
    const containers = await listServiceContainers(engine, name, { services: context.args, all: flagBoolean(context.flags, 'all') });
    const samples = await Promise.all(containers.map((c) => engine.containers.stats(c.id)));
    const rows = containers.map((c, i) => {
      const s = samples[i];
      if (s === undefined) return [];
      const f = statsFigures(s);
      return [
        flagBoolean(context.flags, 'no-trunc') ? c.id : c.id.slice(0, 12),
        c.name,
        `${f.cpuPercent.toFixed(2)}%`,
        `${formatBytes(f.memoryUsed, true)} / ${formatBytes(f.memoryLimit, true)}`,
        `${f.memoryPercent.toFixed(2)}%`,
        `${formatBytes(s.networkRx, false)} / ${formatBytes(s.networkTx, false)}`,
        `${formatBytes(s.blockRead, false)} / ${formatBytes(s.blockWrite, false)}`,
        String(s.pids),
      ];
    });
    context.ui.out(formatTable(['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'], rows));
    return ExitCode.ok;
  },
};
