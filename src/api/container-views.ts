import type { ContainerSummary, Engine, OutputStream } from '../engine/engine.js';
import { Label, containerNumberOf, isOneoff, projectFilter } from '../model/labels.js';
import { byName } from '../model/name-order.js';
import { listServiceContainers } from '../reconcile/find-containers.js';
import type { ContainerInfo, LogLine, LogOptions } from './types.js';

export function containerInfo(c: ContainerSummary): ContainerInfo {
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.status)?.[1]?.replace('health: ', '');
  return {
    name: c.name,
    service: c.labels[Label.service] ?? '',
    index: containerNumberOf(c.labels),
    state: c.state,
    health: (health ?? 'none') as ContainerInfo['health'],
    status: c.status,
    oneoff: isOneoff(c.labels),
  };
}

export async function listProjectContainers(engine: Engine, project: string, all: boolean): Promise<ContainerSummary[]> {
  return (await engine.containers.list({ all, labels: [projectFilter(project)] }))
    .sort(byName);
}

/** Every line the project's service containers printed, in time order across containers. */
export async function readLogLines(engine: Engine, project: string, options: LogOptions): Promise<LogLine[]> {
  const containers = options.services?.length === 0
    ? []
    : await listServiceContainers(engine, project, { all: true, ...(options.services === undefined ? {} : { services: options.services }) });
  const perContainer = await Promise.all(containers.map(async (c) => {
    const { tty } = await engine.containers.inspect(c.id);
    const partial: Record<OutputStream, string> = { stdout: '', stderr: '' };
    const lines: LogLine[] = [];
    const take = (stream: OutputStream, text: string): void => {
      const space = text.indexOf(' ');
      lines.push({ container: c.name, service: c.labels[Label.service] ?? '', stream, time: text.slice(0, space), text: text.slice(space + 1) });
    };
    await engine.containers.logs(c.id, { follow: false, timestamps: true, tty, ...(options.tail === undefined ? {} : { tail: options.tail }) }, (stream, data) => {
      const parts = (partial[stream] + data.toString('utf8')).split('\n');
      partial[stream] = parts.pop() ?? '';
      for (const line of parts) take(stream, line.replace(/\r$/, ''));
    });
    for (const stream of ['stdout', 'stderr'] as const) if (partial[stream] !== '') take(stream, partial[stream]);
    return lines;
  }));
  // RFC 3339 with nanoseconds sorts as text; the sort is stable, so one container's order holds.
  return perContainer.flat().sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}
