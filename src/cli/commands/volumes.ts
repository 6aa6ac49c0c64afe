import type { VolumeSummary } from '../../engine/engine.js';
import { ExitCode } from '../../errors.js';
import { Label, projectFilter } from '../../model/labels.js';
import { renderList, type ListLayout } from '../../ui/list-format.js';
import type { CommandDefinition } from '../command.js';
import { checkServices } from '../check-services.js';
import { flagBoolean } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';

/** The docker CLI's volume context: `docker volume ls`'s fields, headers and default table. */
const VOLUME_LAYOUT: ListLayout = {
  table: 'table {{.Driver}}\t{{.Name}}',
  headers: {
    ID: 'ID', Name: 'VOLUME NAME', Group: 'GROUP', Driver: 'DRIVER', Scope: 'SCOPE', Availability: 'AVAILABILITY',
    Mountpoint: 'MOUNTPOINT', Labels: 'LABELS', Links: 'LINKS', Size: 'SIZE', Status: 'STATUS',
  },
};

function templateRow(v: VolumeSummary): Record<string, unknown> {
  return {
    Availability: 'N/A',
    Driver: v.driver,
    Group: 'N/A',
    Label: (name: unknown) => (typeof name === 'string' && Object.hasOwn(v.labels, name) ? v.labels[name] : ''),
    Labels: Object.entries(v.labels).map(([k, value]) => `${k}=${value}`).join(','),
    Links: 'N/A',
    Mountpoint: v.mountpoint ?? '',
    Name: v.name,
    Scope: v.scope ?? '',
    Size: 'N/A',
    Status: 'N/A',
  };
}

/** Compose's `volumes`: the project's volumes (by label); with services, those their containers mount. */
export const volumesCommand: CommandDefinition = {
  name: 'volumes',
  usage: '[SERVICE...]',
  flags: [
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only volume names' },
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'table, json, table TEMPLATE or a Go TEMPLATE (\'{{.Name}}\')', default: 'table' },
  ],
  async run(context) {
    const format = typeof context.flags['format'] === 'string' ? context.flags['format'] : 'table';
    renderList(format, [], VOLUME_LAYOUT);
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, context.args);
    const engine = await context.engine();
    let volumes = await engine.volumes.list([projectFilter(name)]);
    if (context.args.length > 0) {
      const containers = await engine.containers.list({ all: false, labels: [projectFilter(name)] });
      const mounted = new Set(containers
        .filter((c) => context.args.includes(c.labels[Label.service] ?? ''))
        .flatMap((c) => c.mounts.map((m) => m.name ?? '')));
      volumes = volumes.filter((v) => mounted.has(v.name));
    }
    volumes.sort((a, b) => a.name.localeCompare(b.name));
    if (flagBoolean(context.flags, 'quiet')) {
      for (const v of volumes) context.ui.out(v.name);
      return ExitCode.ok;
    }
    const text = renderList(format, volumes.map(templateRow), VOLUME_LAYOUT);
    if (text !== '') context.ui.out(text);
    return ExitCode.ok;
  },
};
