import type { ContainerState, ContainerSummary, Engine, ImageSummary, NetworkSummary, VolumeSummary } from '../engine/engine.js';
import { Label, belongsToProject, containerNumberOf, projectFilter } from '../model/labels.js';

/** Our own label: per-key digests of the hashed config, so a recreate can say which keys changed. */
export const KEY_DIGESTS_LABEL = 'io.tscompose.key-digests';

export interface ObservedContainer {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  /** 0 for one-off containers, which have no number. */
  readonly number: number;
  readonly oneoff: boolean;
  /** The lifecycle hook it ran (`pre_start`): such a container is no replica of its service. */
  readonly hook: string | undefined;
  readonly state: ContainerState;
  readonly status: string;
  readonly configHash: string | undefined;
  /** key → short digest, when the container was made by tscompose. */
  readonly keyDigests: Readonly<Record<string, string>> | undefined;
  readonly imageId: string | undefined;
  readonly networks: readonly string[];
  readonly summary: ContainerSummary;
}

/** Everything the planner may know about the engine: read once, before planning. */
export interface Snapshot {
  readonly project: string;
  readonly containers: readonly ObservedContainer[];
  /** Every network on the engine: few, and needed to check external and unlabelled ones by name. */
  readonly networks: readonly NetworkSummary[];
  readonly volumes: readonly VolumeSummary[];
  /** Images present locally, by every tag they carry. */
  readonly images: ReadonlyMap<string, ImageSummary>;
}

export function observeContainer(c: ContainerSummary): ObservedContainer {
  const digests = c.labels[KEY_DIGESTS_LABEL];
  return {
    id: c.id,
    name: c.name,
    service: c.labels[Label.service] ?? '',
    number: containerNumberOf(c.labels),
    oneoff: (c.labels[Label.oneoff] ?? 'False') === 'True',
    hook: c.labels[Label.hook],
    state: c.state,
    status: c.status,
    configHash: c.labels[Label.configHash],
    keyDigests: digests === undefined ? undefined : parseKeyDigests(digests),
    imageId: c.labels[Label.image],
    networks: c.networks,
    summary: c,
  };
}

export function parseKeyDigests(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.lastIndexOf('=');
    if (at > 0) out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/**
 * Two networks of one name (two runs made it at once): which containers each one holds, from the
 * network's side, as the engine's "in use" check sees it (a container's own list entry may not
 * name the copy it joined yet).
 */
async function withDuplicateEndpoints(engine: Engine, networks: readonly NetworkSummary[]): Promise<NetworkSummary[]> {
  const count = new Map<string, number>();
  for (const n of networks) count.set(n.name, (count.get(n.name) ?? 0) + 1);
  return Promise.all(networks.map(async (n) => ((count.get(n.name) ?? 0) > 1 ? { ...n, endpoints: await engine.networks.endpoints(n.id) } : n)));
}

/** One list call per kind, in parallel. */
export async function readSnapshot(
  engine: Engine,
  project: string,
  options: { readonly images?: boolean } = {},
): Promise<Snapshot> {
  const [containers, networks, volumes, images] = await Promise.all([
    engine.containers.list({ all: true, labels: [projectFilter(project)] }),
    engine.networks.list([]),
    engine.volumes.list([]),
    options.images === false ? Promise.resolve([]) : engine.images.list({}),
  ]);
  const byTag = new Map<string, ImageSummary>();
  for (const image of images) {
    for (const tag of image.repoTags) byTag.set(tag, image);
    byTag.set(image.id, image);
  }
  return {
    project,
    containers: containers.filter((c) => belongsToProject(c.labels, project)).map(observeContainer),
    networks: await withDuplicateEndpoints(engine, networks),
    volumes,
    images: byTag,
  };
}

/** `busybox` and `busybox:latest` name the same image; digests and IDs stay as they are. */
export function imageKey(reference: string): string {
  if (reference.startsWith('sha256:') || reference.includes('@')) return reference;
  const lastSlash = reference.lastIndexOf('/');
  return reference.slice(lastSlash + 1).includes(':') ? reference : `${reference}:latest`;
}
