import type { ContainerSummary, Engine } from '../../engine/engine.js';
import { ExitCode, UsageError } from '../../errors.js';
import { Label, projectFilter } from '../../model/labels.js';
import { shortContainerName } from '../../model/naming.js';
import { LogMerger } from '../../ui/log-merger.js';
import type { ContainerLogWriter } from '../../ui/log-printer.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagNumber, flagString } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';
import { checkServices } from '../check-services.js';
import { listServiceContainers } from '../../reconcile/find-containers.js';

/** How long a followed line is held back so lines of other containers with earlier stamps can pass it. */
const MERGE_WINDOW_MS = 300;

function parseTail(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === 'all') return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`invalid --tail "${raw}"`, 'use a number of lines or "all"');
  return Number(raw);
}

/** The logs endpoint takes `since` as Unix seconds: `2024-05-01T10:00:00.5Z` → `1714557600.5`. */
export function unixSeconds(rfc3339: string): string {
  const match = /^(.*?:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  if (match === null) return String(Math.floor(Date.parse(rfc3339) / 1000));
  const seconds = Math.floor(Date.parse(`${match[1] ?? ''}${match[3] ?? 'Z'}`) / 1000);
  return match[2] === undefined ? String(seconds) : `${seconds}.${match[2]}`;
}

export const logsCommand: CommandDefinition = {
  name: 'logs',
  usage: '[SERVICE...]',
  flags: [
    { name: 'follow', short: 'f', type: 'boolean', description: 'Keep following, including containers started or recreated later' },
    { name: 'tail', short: 'n', type: 'string', valueName: 'N', description: 'Lines from the end of each container\'s log (default: all)' },
    { name: 'since', type: 'string', valueName: 'TIME', description: 'Only lines after a time (2024-01-02T13:23:37Z) or duration (42m)' },
    { name: 'until', type: 'string', valueName: 'TIME', description: 'Only lines before a time or duration' },
    { name: 'timestamps', short: 't', type: 'boolean', description: 'Show the engine\'s timestamp on each line' },
    { name: 'no-log-prefix', type: 'boolean', description: 'Do not print the container name before each line' },
    { name: 'no-color', type: 'boolean', description: 'Plain prefixes, no colours' },
    { name: 'index', type: 'number', valueName: 'N', description: 'Only this replica of the service' },
    {
      name: 'merge', type: 'boolean',
      description: 'One stream in time order across containers: asks the engine for each line\'s timestamp and sorts by it ' +
        `(with -f, lines are held ${MERGE_WINDOW_MS} ms so a late line from another container can still go before them)`,
    },
  ],
  async run(context) {
    const follow = flagBoolean(context.flags, 'follow');
    const merge = flagBoolean(context.flags, 'merge');
    const showTimestamps = flagBoolean(context.flags, 'timestamps');
    const tail = parseTail(flagString(context.flags, 'tail'));
    const index = flagNumber(context.flags, 'index');
    const since = flagString(context.flags, 'since');
    const until = flagString(context.flags, 'until');
    const { name: project, project: model } = await loadProjectOrName(context);
    checkServices(model, context.args);
    const engine = await context.engine();

    const printer = await context.ui.logPrinter({
      prefix: !flagBoolean(context.flags, 'no-log-prefix'),
      color: !flagBoolean(context.flags, 'no-color'),
    });
    const merger = merge ? new LogMerger(printer, showTimestamps) : undefined;
    const writerFor = (name: string): ContainerLogWriter => merger?.writer(name) ?? printer.writer(name);

    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    context.signal.addEventListener('abort', onAbort, { once: true });

    const wanted = (labels: Readonly<Record<string, string>>): boolean =>
      labels[Label.oneoff] !== 'True' &&
      (context.args.length === 0 || context.args.includes(labels[Label.service] ?? '')) &&
      (index === undefined || Number(labels[Label.containerNumber]) === index);

    const active = new Map<string, Promise<void>>();
    const stream = (id: string, name: string, tty: boolean, from: { tail?: number; since?: string }): Promise<void> => {
      const writer = writerFor(shortContainerName(project, name));
      const previous = active.get(id) ?? Promise.resolve();
      const run = previous.then(() => engine.containers.logs(id, {
        follow,
        timestamps: showTimestamps || merge,
        tty,
        signal: stop.signal,
        ...(from.tail === undefined ? {} : { tail: from.tail }),
        ...(from.since === undefined ? {} : { since: from.since }),
        ...(until === undefined ? {} : { until }),
      }, (s, data) => writer.push(s, data)))
        .catch((error: unknown) => context.ui.warn(`logs of ${name}: ${(error as Error).message}`))
        .finally(() => writer.flush());
      active.set(id, run);
      return run;
    };

    // Subscribe before listing, so a container started in between is not missed.
    // A new container (a recreate, a scale-up) is shown from its first line; a restarted one from
    // where its last run ended, so nothing is printed twice.
    const watching = follow ? watchStarts(engine, project, stop.signal, async (id) => {
      const details = await engine.containers.inspect(id).catch(() => undefined);
      if (details === undefined || !wanted(details.labels)) return;
      const ranBefore = active.has(id) && !details.finishedAt.startsWith('0001-');
      void stream(id, details.name, details.tty, ranBefore ? { since: unixSeconds(details.finishedAt) } : {});
    }) : Promise.resolve();

    const containers: ContainerSummary[] = await listServiceContainers(engine, project, {
      services: context.args, all: true, ...(index === undefined ? {} : { index }),
    });
    printer.register(containers.map((c) => shortContainerName(project, c.name)));
    if (follow) merger?.startWindow(MERGE_WINDOW_MS);
    const ttys = await Promise.all(containers.map(async (c) => (await engine.containers.inspect(c.id)).tty));
    const first = containers.map((c, i) => stream(c.id, c.name, ttys[i] === true, {
      ...(tail === undefined ? {} : { tail }),
      ...(since === undefined ? {} : { since }),
    }));

    try {
      if (follow) await watching;
      else await Promise.all(first);
    } finally {
      context.signal.removeEventListener('abort', onAbort);
      stop.abort();
      await Promise.allSettled([...active.values()]);
      merger?.stop();
    }
    return ExitCode.ok;
  },
};

/** Calls `onStart` for every container of the project that starts, until `signal` aborts. */
async function watchStarts(
  engine: Engine,
  project: string,
  signal: AbortSignal,
  onStart: (id: string) => Promise<void>,
): Promise<void> {
  for await (const event of engine.system.events({ type: ['container'], event: ['start'], label: [projectFilter(project)] }, signal)) {
    await onStart(event.id);
  }
}
