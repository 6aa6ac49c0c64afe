import type { ContainerSummary, StatsSample } from '../../engine/engine.js';
import { ExitCode, UsageError } from '../../errors.js';
import { formatBytes, statsFigures } from '../../model/stats.js';
import { formatBytes as decimalBytes } from '../../ui/format-bytes.js';
import { renderList, type ListLayout } from '../../ui/list-format.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';
import { checkServices } from '../check-services.js';
import { listServiceContainers } from '../../reconcile/find-containers.js';

/** The docker CLI's stats context: fields, headers and default table. */
const STATS_LAYOUT: ListLayout = {
  table: 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}',
  headers: {
    Container: 'CONTAINER', Name: 'NAME', ID: 'CONTAINER ID', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT',
    MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS',
  },
};

/** One row as the docker CLI's stats formatter shows it; `--` while no sample has come. */
export function statsRow(c: ContainerSummary, s: StatsSample | undefined, trunc: boolean): Record<string, string> {
  const base = { BlockIO: '--', CPUPerc: '--', Container: c.id.slice(0, 12), ID: trunc ? c.id.slice(0, 12) : c.id, MemPerc: '--', MemUsage: '-- / --', Name: c.name, NetIO: '--', PIDs: '--' };
  if (s === undefined) return base;
  const f = statsFigures(s);
  return {
    ...base,
    BlockIO: `${decimalBytes(s.blockRead)} / ${decimalBytes(s.blockWrite)}`,
    CPUPerc: `${f.cpuPercent.toFixed(2)}%`,
    MemPerc: `${f.memoryPercent.toFixed(2)}%`,
    MemUsage: `${formatBytes(f.memoryUsed, true)} / ${formatBytes(f.memoryLimit, true)}`,
    NetIO: `${decimalBytes(s.networkRx)} / ${decimalBytes(s.networkTx)}`,
    PIDs: String(s.pids),
  };
}

// Move home and clear to the end of the screen: a redraw in place, as docker stats does on a terminal.
const REDRAW = '\u001b[H\u001b[J';

export const statsCommand: CommandDefinition = {
  name: 'stats',
  usage: '[SERVICE]',
  flags: [
    { name: 'all', short: 'a', type: 'boolean', description: 'Stopped containers too' },
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'table, json, table TEMPLATE or a Go TEMPLATE (\'{{.Name}} {{.CPUPerc}}\')', default: 'table' },
    { name: 'no-stream', type: 'boolean', description: 'Print one sample and return' },
    { name: 'no-trunc', type: 'boolean', description: 'Full container IDs' },
  ],
  async run(context) {
    if (context.args.length > 1) throw new UsageError('stats takes at most one SERVICE', 'tscompose stats web');
    const format = typeof context.flags['format'] === 'string' ? context.flags['format'] : 'table';
    renderList(format, [], STATS_LAYOUT);
    const trunc = !flagBoolean(context.flags, 'no-trunc');
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, context.args);
    const engine = await context.engine();
    const containers = await listServiceContainers(engine, name, { services: context.args, all: flagBoolean(context.flags, 'all') });
    const render = (samples: ReadonlyMap<string, StatsSample>): string =>
      renderList(format, containers.map((c) => statsRow(c, samples.get(c.id), trunc)), STATS_LAYOUT);

    if (flagBoolean(context.flags, 'no-stream')) {
      const samples = await Promise.all(containers.map(async (c) => [c.id, await engine.containers.stats(c.id)] as const));
      const text = render(new Map(samples));
      if (text !== '') context.ui.out(text);
      return ExitCode.ok;
    }

    // Streaming: one engine stream per container, a frame a second until Ctrl-C.
    const latest = new Map<string, StatsSample>();
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    context.signal.addEventListener('abort', onAbort, { once: true });
    const streams = containers.map((c) => engine.containers.streamStats(c.id, (s) => latest.set(c.id, s), stop.signal)
      .catch((error: unknown) => context.ui.warn(`stats of ${c.name}: ${error instanceof Error ? error.message : String(error)}`)));
    const redraw = context.terminal.stdoutIsTTY;
    try {
      while (!stop.signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          stop.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
        });
        if (stop.signal.aborted) break;
        const text = render(latest);
        if (redraw) context.terminal.writeOut(`${REDRAW}${text}\n`);
        else if (text !== '') context.ui.out(text);
      }
    } finally {
      context.signal.removeEventListener('abort', onAbort);
      stop.abort();
      await Promise.all(streams);
    }
    return ExitCode.ok;
  },
};
