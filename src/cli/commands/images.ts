import { ExitCode } from '../../errors.js';
import { byName } from '../../model/name-order.js';
import { Label, projectFilter } from '../../model/labels.js';
import { formatBytes } from '../../ui/format-bytes.js';
import { timeAgo } from '../../ui/format-time.js';
import { renderList, type ListLayout } from '../../ui/list-format.js';
import { tabwrite } from '../../ui/table.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';

/** As the OCI image spec (and Compose's JSON) spells it. */
interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** `linux/amd64`, `linux/arm64/v8`, as containerd's platforms.Format; `unknown` when the engine does not say. */
function platformText(p: Platform | undefined): string {
  if (p === undefined || p.os === '') return 'unknown';
  return [p.os, p.architecture, p.variant].filter((part) => part !== undefined && part !== '').join('/');
}

/** How Go (and so Compose's JSON) writes a time it does not have. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

interface ImageRow {
  readonly container: string;
  readonly repository: string;
  readonly tag: string;
  readonly platform: Platform | undefined;
  readonly id: string;
  readonly size: number;
  readonly created: number | undefined;
  /** When a tag last moved to the image; Go's zero time when the engine does not know, as Compose prints it. */
  readonly lastTagTime: string;
}

/** Fields for `--format TEMPLATE` (tscompose's extension: Compose takes table or json only), as the table shows them. */
const IMAGE_LAYOUT: ListLayout = {
  table: 'table {{.ContainerName}}\t{{.Repository}}\t{{.Tag}}\t{{.Platform}}\t{{.ID}}\t{{.Size}}\t{{.Created}}',
  headers: { ContainerName: 'CONTAINER', Repository: 'REPOSITORY', Tag: 'TAG', Platform: 'PLATFORM', ID: 'IMAGE ID', Size: 'SIZE', Created: 'CREATED' },
};

/** `repo:tag` at its last colon after the last slash (a registry port is not a tag). */
function splitTag(reference: string): [string, string] {
  const slash = reference.lastIndexOf('/');
  const colon = reference.indexOf(':', slash + 1);
  return colon === -1 ? [reference, 'latest'] : [reference.slice(0, colon), reference.slice(colon + 1)];
}

const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
const created = (seconds: number | undefined): string => (seconds === undefined ? 'N/A' : timeAgo(seconds));

export const imagesCommand: CommandDefinition = {
  name: 'images',
  usage: '[SERVICE...]',
  flags: [
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'table, json, or a Go TEMPLATE (\'{{.Repository}}:{{.Tag}}\')', default: 'table' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only image IDs' },
  ],
  async run(context) {
    const format = typeof context.flags['format'] === 'string' ? context.flags['format'] : 'table';
    if (format !== 'json') renderList(format, [], IMAGE_LAYOUT);
    const { name } = await loadProjectOrName(context);
    const engine = await context.engine();
    const [containers, images] = await Promise.all([
      engine.containers.list({ all: true, labels: [projectFilter(name)] }),
      engine.images.list({}),
    ]);
    const byId = new Map(images.map((i) => [i.id, i]));
    // The image list does not carry the platform nor the last tag time: one inspect per image, as
    // Compose does, and only when the output shows them (not for -q, nor a template without them).
    const quiet = flagBoolean(context.flags, 'quiet');
    const showsDetails = !quiet && (format === 'json' || format === 'table' || /Platform|json/.test(format));
    const inspected = new Map(!showsDetails ? [] : await Promise.all([...new Set(containers.map((c) => c.imageId))].map(async (id) => {
      const details = await engine.images.inspect(id);
      const platform: Platform | undefined = details?.os === undefined || details.os === '' ? undefined : {
        os: details.os, architecture: details.architecture ?? '', ...(details.variant ? { variant: details.variant } : {}),
      };
      return [id, { platform, lastTagTime: details?.lastTagTime || GO_ZERO_TIME }] as const;
    })));
    const rows: ImageRow[] = containers
      .filter((c) => context.args.length === 0 || context.args.includes(c.labels[Label.service] ?? ''))
      .sort(byName)
      .map((c) => {
        const image = byId.get(c.imageId);
        const tagged = image?.repoTags.find((t) => t === c.image) ?? image?.repoTags[0] ?? c.image;
        const [repository, tag] = splitTag(tagged);
        const details = inspected.get(c.imageId);
        return {
          container: c.name, repository, tag, platform: details?.platform, id: c.imageId, size: image?.size ?? 0, created: image?.created,
          lastTagTime: details?.lastTagTime ?? GO_ZERO_TIME,
        };
      });
    if (quiet) {
      for (const id of new Set(rows.map((r) => r.id))) context.ui.out(id);
    } else if (format === 'json') {
      context.ui.out(JSON.stringify(rows.map((r) => ({
        ID: r.id, ContainerName: r.container, Repository: r.repository, Tag: r.tag, Size: r.size,
        ...(r.platform === undefined ? {} : { Platform: r.platform }),
        ...(r.created === undefined ? {} : { Created: new Date(r.created * 1000).toISOString() }),
        LastTagTime: r.lastTagTime,
      }))));
    } else if (format === 'table') {
      // Compose prints this table with 20-wide columns (its PrintPrettySection).
      context.ui.out(tabwrite([
        'CONTAINER\tREPOSITORY\tTAG\tPLATFORM\tIMAGE ID\tSIZE\tCREATED',
        ...rows.map((r) => [r.container, r.repository, r.tag, platformText(r.platform), shortId(r.id), formatBytes(r.size), created(r.created)].join('\t')),
      ].join('\n'), { minWidth: 20, padding: 3 }));
    } else {
      const text = renderList(format, rows.map((r) => ({
        ContainerName: r.container, Repository: r.repository, Tag: r.tag, Platform: platformText(r.platform), ID: shortId(r.id), Size: formatBytes(r.size), Created: created(r.created),
      })), IMAGE_LAYOUT);
      if (text !== '') context.ui.out(text);
    }
    return ExitCode.ok;
  },
};
