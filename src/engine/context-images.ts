import { CONTEXT_DOCKERFILE, CONTEXT_IMAGE_LABEL, CONTEXT_UNDER } from '../model/context-image.js';
import { Label } from '../model/labels.js';
import type { BuildRequest, NamedContextRequest } from './engine.js';

/**
 * Runs a build whose named contexts include folders or git repositories: each becomes an image
 * first (BuildKit caches its `COPY`, so an unchanged folder costs little), the build reads those
 * images in their place, and they are removed once it ends, whether it succeeded or not.
 */
export async function buildWithContextImages(
  request: BuildRequest,
  build: (request: BuildRequest, main: boolean) => Promise<string>,
  removeImage: (image: string) => Promise<void>,
  cloneGit: (url: string, image: string) => Promise<{ readonly context: string; remove(): Promise<void> }>,
): Promise<string> {
  const standIns = (request.namedContexts ?? []).filter((c) => c.from !== undefined);
  const made: string[] = [];
  try {
    await Promise.all(standIns.map(async (context) => {
      made.push(context.image);
      await buildContextImage(request, context, build, cloneGit);
    }));
    return await build(request, true);
  } finally {
    await Promise.all(made.map((image) => removeImage(image).catch(() => undefined)));
  }
}

async function buildContextImage(
  request: BuildRequest,
  context: NamedContextRequest,
  build: (request: BuildRequest, main: boolean) => Promise<string>,
  cloneGit: (url: string, image: string) => Promise<{ readonly context: string; remove(): Promise<void> }>,
): Promise<void> {
  const from = context.from;
  if (from === undefined) return;
  const clone = 'git' in from ? await cloneGit(from.git, request.tags[0] ?? context.image) : undefined;
  try {
    await build({
      context: clone?.context ?? ('folder' in from ? from.folder : ''),
      dockerfileInline: CONTEXT_DOCKERFILE,
      contextUnder: CONTEXT_UNDER,
      tags: [context.image],
      args: {},
      labels: { ...pick(request.labels, [Label.project, Label.service]), [CONTEXT_IMAGE_LABEL]: context.name },
      extraHosts: [],
      noCache: request.noCache,
      pull: false,
      cacheFrom: [],
      builder: 'buildkit',
    }, false);
  } finally {
    await clone?.remove();
  }
}

function pick(labels: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(labels, k)).map((k) => [k, labels[k] as string]));
}

/** A step's name as the user wrote it: a stand-in image shown by its context's name (`COPY --from=assets`). */
export function contextStepName(name: string, contexts: readonly NamedContextRequest[]): string {
  let out = name;
  for (const c of contexts) if (c.from !== undefined) out = out.split(c.image).join(c.name);
  return out;
}
