import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { BuildInputsDigest, Engine } from '../engine/engine.js';
import { outputLine, type EventSink } from '../model/events.js';
import { CONTEXT_DOCKERFILE } from '../model/context-image.js';
import type { Project } from '../model/project.js';
import { imageKey } from './actual.js';
import { contextOrder, imagesThroughContexts, namedContextRequests } from './named-contexts.js';
import { serviceImage } from '../model/naming.js';
import { policyMaxAgeMs, type ImagePlanOptions } from './plan-images.js';
import type { OperationType } from './plan-types.js';

export function isImageStep(type: OperationType): boolean {
  return type === 'pull-image' || type === 'build-image' || type === 'push-image';
}

/**
 * What the image plan needs beyond the snapshot, read before planning: digests of the build
 * inputs of the services that may be built, and tag times of images under periodic pull policies.
 */
export async function readImageInputs(
  engine: Engine,
  project: Project,
  services: readonly string[],
  options: ImagePlanOptions,
): Promise<Pick<ImagePlanOptions, 'buildInputs' | 'imageTagTimes' | 'now'>> {
  const buildInputs = new Map<string, BuildInputsDigest>();
  const imageTagTimes = new Map<string, number>();
  await Promise.all(contextOrder(project, services).map(async (name) => {
    const service = project.services[name];
    if (service === undefined) return;
    // Remote contexts (git URLs) are fetched by the engine: nothing here to digest.
    if (service.build !== undefined && options.build !== 'never' && isAbsolute(service.build.context)) {
      const digest = await digestWithContexts(engine, project, name, {
        context: service.build.context,
        ...(service.build.dockerfile === undefined ? {} : { dockerfile: service.build.dockerfile }),
        ...(service.build.dockerfile_inline === undefined ? {} : { dockerfileInline: service.build.dockerfile_inline }),
      });
      const bases = digest.images === undefined ? undefined : await baseImageIds(engine, digest.images);
      buildInputs.set(name, bases === undefined ? digest : { ...digest, bases });
    }
    const policy = options.pull ?? service.pull_policy;
    if (policy !== undefined && policyMaxAgeMs(policy) !== undefined) {
      const image = serviceImage(project, name);
      const tagged = Date.parse((await engine.images.inspect(image))?.lastTagTime ?? '');
      if (Number.isFinite(tagged)) imageTagTimes.set(imageKey(image), tagged);
    }
  }));
  return { buildInputs, imageTagTimes, now: Date.now() };
}

/**
 * The build's digest with its named contexts: a folder's content joins the context digest (so an
 * edit there rebuilds), an image or service context stands for its image among the bases, and a
 * git context cannot be pinned before the build (its bases stay unknown).
 */
async function digestWithContexts(
  engine: Engine,
  project: Project,
  name: string,
  request: { readonly context: string; readonly dockerfile?: string; readonly dockerfileInline?: string },
): Promise<BuildInputsDigest> {
  const requests = namedContextRequests(project, name);
  const folders = requests.flatMap((r) => (r.from !== undefined && 'folder' in r.from ? [{ name: r.name, folder: r.from.folder }] : []));
  const [digest, contexts] = await Promise.all([
    engine.images.digestBuildInputs(request),
    Promise.all(folders.map((f) => engine.images.digestBuildInputs({ context: f.folder, dockerfileInline: CONTEXT_DOCKERFILE }))),
  ]);
  if (requests.length === 0) return digest;
  const pinned = !requests.some((r) => r.from !== undefined && 'git' in r.from);
  const context = folders.length === 0
    ? digest.context
    : createHash('sha256').update([digest.context, ...folders.map((f, i) => `${f.name}=${contexts[i]?.context ?? ''}`)].join('\n')).digest('hex');
  const { images: _images, ...rest } = digest;
  return {
    ...rest,
    context,
    ...(digest.images === undefined || !pinned ? {} : { images: imagesThroughContexts(digest.images, requests) }),
  };
}

/** The local IDs of the images a build reads, digested; undefined when one is not in the engine. */
async function baseImageIds(engine: Engine, images: readonly string[]): Promise<string | undefined> {
  const ids = await Promise.all(images.map(async (image) => (await engine.images.inspect(image))?.id));
  if (ids.some((id) => id === undefined)) return undefined;
  const pairs = images.map((image, i) => `${image}@${ids[i]}`).sort();
  return createHash('sha256').update(pairs.join('\n')).digest('hex').slice(0, 16);
}

/** A pull whose status changes (not its progress bars) go to the sink as lines. */
export function pullWithProgress(engine: Engine, sink: EventSink): (image: string, platform?: string) => Promise<void> {
  return (image, platform) => engine.images.pull(image, (status) => {
    if (!status.includes('[')) sink.emit(outputLine('image', image, 'pulling', status));
  }, platform);
}
