import { BuildError } from '../errors.js';
import { CONTEXT_DOCKERFILE, CONTEXT_IMAGE_LABEL, CONTEXT_UNDER } from '../model/context-image.js';
import { Label } from '../model/labels.js';
import type { BuildRequest, BuildStepUpdate, NamedContextRequest } from './engine.js';

type Build = (request: BuildRequest, onOutput?: (line: string) => void, onStep?: (step: BuildStepUpdate) => void) => Promise<string>;

/**
 * Runs a build whose named contexts include folders or git repositories: each becomes an image
 * first (BuildKit caches its `COPY`, so an unchanged folder costs little), the build reads those
 * images in their place, and they are removed once it ends, whether it succeeded or not. Its steps
 * and errors name the contexts as the user wrote them, never the stand-in images.
 */
export async function buildWithContextImages(
  request: BuildRequest,
  build: Build,
  removeImage: (image: string) => Promise<void>,
  onOutput?: (line: string) => void,
  onStep?: (step: BuildStepUpdate) => void,
): Promise<string> {
  const contexts = request.namedContexts ?? [];
  const shown = (text: string): string => contexts.reduce((out, c) => (c.from === undefined ? out : out.split(c.image).join(c.name)), text);
  const made: string[] = [];
  try {
    await Promise.all(contexts.map(async (context) => {
      if (context.from === undefined) return;
      made.push(context.image);
      await build(standInRequest(request, context.name, context.image, context.from)).catch((error: unknown) => {
        throw error instanceof BuildError
          ? new BuildError(request.tags[0] ?? request.context, `additional context "${context.name}": ${error.reason}`, error.hint === undefined ? {} : { hint: error.hint })
          : error;
      });
    }));
    return await build(request, onOutput, onStep === undefined ? undefined : (step) => onStep({ ...step, name: shown(step.name) }));
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    throw new BuildError(error.image, shown(error.reason), {
      ...(error.step === undefined ? {} : { step: shown(error.step) }),
      output: error.output,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    });
  } finally {
    await Promise.all(made.map((image) => removeImage(image).catch(() => undefined)));
  }
}

/** The stand-in's build: the folder's files (a git repository is fetched like a git context) and nothing else. */
function standInRequest(request: BuildRequest, name: string, image: string, from: NonNullable<NamedContextRequest['from']>): BuildRequest {
  return {
    ...('git' in from ? { context: from.git, remote: from.git } : { context: from.folder }),
    dockerfileInline: CONTEXT_DOCKERFILE,
    contextUnder: CONTEXT_UNDER,
    tags: [image],
    args: {},
    labels: { ...pick(request.labels, [Label.project, Label.service]), [CONTEXT_IMAGE_LABEL]: name },
    extraHosts: [],
    noCache: request.noCache,
    pull: false,
    cacheFrom: [],
    builder: 'buildkit',
  };
}

function pick(labels: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(labels, k)).map((k) => [k, labels[k] as string]));
}
