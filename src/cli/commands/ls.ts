import type { ContainerSummary } from '../../engine/engine.js';
import { ExitCode, UsageError } from '../../errors.js';
import { Label } from '../../model/labels.js';
import { renderList, type ListLayout } from '../../ui/list-format.js';
import { tabwrite } from '../../ui/table.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagList } from '../flag-values.js';

/** Fields for `--format TEMPLATE` (tscompose's extension: Compose takes table or json only). */
const PROJECT_LAYOUT: ListLayout = {
  table: 'table {{.Name}}\t{{.Status}}\t{{.ConfigFiles}}',
  headers: { Name: 'NAME', Status: 'STATUS', ConfigFiles: 'CONFIG FILES' },
};

export interface ProjectListing {
  readonly name: string;
  /** `running(2), exited(1)`: containers per state, states sorted. */
  readonly status: string;
  readonly configFiles: string;
}

/** Groups containers by their project label. Pure, for tests. */
export function listProjects(containers: readonly ContainerSummary[]): ProjectListing[] {
  const byProject = new Map<string, ContainerSummary[]>();
  for (const c of containers) {
    const name = c.labels[Label.project];
    if (name === undefined || name === '') continue;
    byProject.set(name, [...(byProject.get(name) ?? []), c]);
  }
  return [...byProject.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, list]) => {
      const counts = new Map<string, number>();
      for (const c of list) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
      const files = new Set(list.map((c) => c.labels[Label.configFiles] ?? '').filter((f) => f !== ''));
      return {
        name,
        status: [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}(${n})`).join(', '),
        configFiles: [...files].join(','),
      };
    });
}

export const lsCommand: CommandDefinition = {
  name: 'ls',
  flags: [
    { name: 'all', short: 'a', type: 'boolean', description: 'Include projects with no running container' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only project names' },
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'table, json, or a Go TEMPLATE (\'{{.Name}} {{.Status}}\')', default: 'table' },
    { name: 'filter', type: 'string', repeat: true, valueName: 'name=TEXT', description: 'Only projects whose name contains TEXT' },
  ],
  async run(context) {
    const format = typeof context.flags['format'] === 'string' ? context.flags['format'] : 'table';
    if (format !== 'json') renderList(format, [], PROJECT_LAYOUT);
    const names = flagList(context.flags, 'filter').map((f) => {
      const match = /^name=(.*)$/.exec(f);
      if (match === null) throw new UsageError(`unsupported filter "${f}"`, 'use --filter name=TEXT');
      return match[1] as string;
    });
    const engine = await context.engine();
    const containers = await engine.containers.list({ all: flagBoolean(context.flags, 'all'), labels: [Label.project] });
    const projects = listProjects(containers).filter((p) => names.every((n) => p.name.includes(n)));
    if (flagBoolean(context.flags, 'quiet')) {
      for (const p of projects) context.ui.out(p.name);
    } else if (format === 'json') {
      context.ui.out(JSON.stringify(projects.map((p) => ({ Name: p.name, Status: p.status, ConfigFiles: p.configFiles }))));
    } else if (format === 'table') {
      // Compose prints this table with 20-wide columns (its PrintPrettySection).
      context.ui.out(tabwrite(['NAME\tSTATUS\tCONFIG FILES', ...projects.map((p) => `${p.name}\t${p.status}\t${p.configFiles}`)].join('\n'), { minWidth: 20, padding: 3 }));
    } else {
      const text = renderList(format, projects.map((p) => ({ Name: p.name, Status: p.status, ConfigFiles: p.configFiles })), PROJECT_LAYOUT);
      if (text !== '') context.ui.out(text);
    }
    return ExitCode.ok;
  },
};
