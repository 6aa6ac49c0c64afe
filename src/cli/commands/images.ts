import { ExitCode } from '../../errors.js';
import { Label, projectFilter } from '../../model/labels.js';
import { formatBytes } from '../../ui/format-bytes.js';
import { formatTable } from '../../ui/table.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagChoice } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';

interface ImageRow {
  readonly container: string;
  readonly repository: string;
  readonly tag: string;
  readonly id: string;
  readonly size: number;
}

/** `repo:tag` at its last colon after the last slash (a registry port is not a tag). */
function splitTag(reference: string): [string, string] {
  const slash = reference.lastIndexOf('/');
  const colon = reference.indexOf(':', slash + 1);
  return colon === -1 ? [reference, 'latest'] : [reference.slice(0, colon), reference.slice(colon + 1)];
}

export const imagesCommand: CommandDefinition = {
  name: 'images',
  usage: '[SERVICE...]',
  flags: [
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'table or json', default: 'table' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only image IDs' },
  ],
  async run(context) {
    const format = flagChoice(context.flags, 'format', ['table', 'json'] as const, 'table');
    const { name } = await loadProjectOrName(context);
    const engine = await context.engine();
    const [containers, images] = await Promise.all([
      engine.containers.list({ all: true, labels: [projectFilter(name)] }),
      engine.images.list({}),
    ]);
    const byId = new Map(images.map((i) => [i.id, i]));
    const rows: ImageRow[] = containers
      .filter((c) => context.args.length === 0 || context.args.includes(c.labels[Label.service] ?? ''))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
      .map((c) => {
        const image = byId.get(c.imageId);
        const tagged = image?.repoTags.find((t) => t === c.image) ?? image?.repoTags[0] ?? c.image;
        const [repository, tag] = splitTag(tagged);
        return { container: c.name, repository, tag, id: c.imageId, size: image?.size ?? 0 };
      });
    if (flagBoolean(context.flags, 'quiet')) {
      for (const id of new Set(rows.map((r) => r.id))) context.ui.out(id);
    } else if (format === 'json') {
      context.ui.out(JSON.stringify(rows.map((r) => ({
        ID: r.id, ContainerName: r.container, Repository: r.repository, Tag: r.tag, Size: r.size,
      }))));
    } else {
      context.ui.out(formatTable(
        ['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'],
        rows.map((r) => [r.container, r.repository, r.tag, r.id.replace(/^sha256:/, '').slice(0, 12), formatBytes(r.size)]),
      ));
    }
    return ExitCode.ok;
  },
};
