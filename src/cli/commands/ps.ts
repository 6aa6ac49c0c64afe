import type { ContainerSummary } from '../../engine/engine.js';
import { byName } from '../../model/name-order.js';
import { ExitCode, UsageError } from '../../errors.js';
import { Label, projectFilter } from '../../model/labels.js';
import { formatPorts } from '../../ui/format-ports.js';
import { goTimeString, timeAgo } from '../../ui/format-time.js';
import { lazyFields } from '../../ui/lazy-fields.js';
import { renderList, type ListLayout } from '../../ui/list-format.js';
import type { CommandDefinition } from '../command.js';
import { checkServices } from '../check-services.js';
import { flagBoolean, flagList } from '../flag-values.js';
import { resolveProjectName } from '../../config/project-name.js';

const STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'] as const;

function truncateCommand(command: string): string {
  const text = command.length > 20 ? `${command.slice(0, 19)}…` : command;
  return `"${text}"`;
}

const CONTAINER_LAYOUT: ListLayout = {
  table: 'table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}',
  headers: {
    ID: 'CONTAINER ID', Name: 'NAME', Project: 'PROJECT', Service: 'SERVICE', Image: 'IMAGE', Command: 'COMMAND',
    CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE',
    Labels: 'LABELS', Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES', Networks: 'NETWORKS',
  },
};

/** Compose's container context for templates: its fields as its formatter computes them (strings, mostly). */
function templateRow(c: ContainerSummary, project: string, trunc: boolean): Record<string, unknown> {
  const labels = c.labels;
  return lazyFields({
    Command: () => (trunc ? truncateCommand(c.command) : JSON.stringify(c.command)),
    CreatedAt: () => goTimeString(c.created),
    ExitCode: () => Number(/^Exited \((-?\d+)\)/.exec(c.status)?.[1] ?? 0),
    Health: () => /\((healthy|unhealthy|health: starting)\)/.exec(c.status)?.[1]?.replace('health: ', '') ?? '',
    ID: () => (trunc ? c.id.slice(0, 12) : c.id),
    Image: () => c.image,
    Label: () => (name: unknown) => (typeof name === 'string' && Object.hasOwn(labels, name) ? labels[name] : ''),
    Labels: () => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','),
    LocalVolumes: () => '0',
    Mounts: () => '',
    Name: () => c.name,
    Names: () => c.name,
    Networks: () => c.networks.join(','),
    Ports: () => formatPorts(c.ports),
    Project: () => project,
    Publishers: () => c.ports.map((p) => ({ URL: p.ip ?? '', TargetPort: p.privatePort, PublishedPort: p.publicPort ?? 0, Protocol: p.type })),
    RunningFor: () => timeAgo(c.created),
    Service: () => labels[Label.service] ?? '',
    Size: () => '0B',
    State: () => c.state,
    Status: () => c.status,
  });
}

function jsonRow(c: ContainerSummary, project: string): Record<string, unknown> {
  return {
    ID: c.id,
    Name: c.name,
    Names: c.name,
    Image: c.image,
    Command: c.command,
    Project: project,
    Service: c.labels[Label.service] ?? '',
    Created: c.created,
    CreatedAt: new Date(c.created * 1000).toISOString(),
    RunningFor: timeAgo(c.created),
    State: c.state,
    Status: c.status,
    Health: /\((healthy|unhealthy|health: starting)\)/.exec(c.status)?.[1]?.replace('health: ', '') ?? '',
    ExitCode: Number(/^Exited \((-?\d+)\)/.exec(c.status)?.[1] ?? 0),
    Labels: c.labels,
    Networks: c.networks,
    Ports: formatPorts(c.ports),
    Publishers: c.ports.map((p) => ({
      URL: p.ip ?? '',
      TargetPort: p.privatePort,
      PublishedPort: p.publicPort ?? 0,
      Protocol: p.type,
    })),
  };
}

export const psCommand: CommandDefinition = {
  name: 'ps',
  usage: '[SERVICE...]',
  flags: [
    { name: 'all', short: 'a', type: 'boolean', description: 'Show stopped containers too' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only container IDs' },
    { name: 'services', type: 'boolean', description: 'Only service names' },
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'table, json (one object per line), table TEMPLATE or a Go TEMPLATE (\'{{.Name}}\\t{{.Status}}\')', default: 'table' },
    { name: 'status', type: 'string', repeat: true, valueName: 'STATE', description: `Only containers in this state: ${STATES.join(', ')}` },
    { name: 'filter', type: 'string', repeat: true, valueName: 'KEY=VALUE', description: 'Filter by property (status=STATE)' },
    { name: 'no-trunc', type: 'boolean', description: 'Do not truncate the command' },
    { name: 'orphans', type: 'boolean', description: 'Include containers of services no longer in the files (--orphans=false leaves them out)', default: true },
  ],
  async run(context) {
    const format = typeof context.flags['format'] === 'string' ? context.flags['format'] : 'table';
    renderList(format, [], CONTAINER_LAYOUT); // a template that does not parse is refused before any engine call
    const statuses = [
      ...flagList(context.flags, 'status'),
      ...flagList(context.flags, 'filter').map((f) => {
        const [key, value] = f.split('=');
        if (key !== 'status' || value === undefined) throw new UsageError(`unsupported filter "${f}"`, 'use --filter status=STATE');
        return value;
      }),
    ];
    for (const s of statuses) {
      if (!(STATES as readonly string[]).includes(s)) throw new UsageError(`invalid status "${s}"`, `use one of: ${STATES.join(', ')}`);
    }
    // Listing needs only the project's name: skip the full load (and its validation) unless services are named.
    // With -p, not even the loader's modules are imported.
    const orphans = context.flags['orphans'] !== false;
    const { name, project } = context.args.length === 0 && orphans
      ? {
        name: context.global.projectName !== undefined && context.global.projectName !== ''
          ? resolveProjectName({ flag: context.global.projectName, projectDirectory: context.cwd }).name
          : await (await import('../../config/load.js')).loadProjectName(context.loadOptions),
        project: undefined,
      }
      : await (await import('../load-project.js')).loadProjectOrName(context);
    checkServices(project, context.args);
    const engine = await context.engine();
    const all = flagBoolean(context.flags, 'all') || statuses.length > 0;
    const containers = (await engine.containers.list({ all, labels: [projectFilter(name)] }))
      // A failed pre_start hook's container is kept for `docker logs`, but is no replica (as in Compose).
      .filter((c) => c.labels[Label.hook] === undefined)
      .filter((c) => context.args.length === 0 || context.args.includes(c.labels[Label.service] ?? ''))
      .filter((c) => orphans || project === undefined || Object.hasOwn(project.services, c.labels[Label.service] ?? ''))
      .filter((c) => statuses.length === 0 || statuses.includes(c.state))
      .sort(byName);

    if (flagBoolean(context.flags, 'quiet')) {
      for (const c of containers) context.ui.out(c.id);
    } else if (flagBoolean(context.flags, 'services')) {
      for (const s of [...new Set(containers.map((c) => c.labels[Label.service] ?? ''))].sort()) context.ui.out(s);
    } else if (format === 'json') {
      for (const c of containers) context.ui.out(JSON.stringify(jsonRow(c, name)));
    } else {
      const trunc = !flagBoolean(context.flags, 'no-trunc');
      const text = renderList(format, containers.map((c) => templateRow(c, name, trunc)), CONTAINER_LAYOUT);
      if (text !== '') context.ui.out(text);
    }
    return ExitCode.ok;
  },
};
