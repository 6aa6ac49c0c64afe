import type { Engine } from '../engine/engine.js';
import { RuntimeError } from '../errors.js';
import { parseImageReference, pinImageReference } from '../model/image-reference.js';

/**
 * The digest each image reference names now, for `config --resolve-image-digests`: asked of the
 * registry through the engine, as Compose does; when the registry cannot be asked, the digest the
 * local image got from that registry (with a warning: it may be stale). References already
 * pinned are only normalised. Reads only; changes nothing.
 */
export async function resolveImageDigests(
  engine: Engine,
  references: readonly string[],
  warn: (message: string) => void,
): Promise<Map<string, string>> {
  // One registry round trip per image, all at once: a project's images are independent.
  const unique = [...new Set(references)];
  const digests = await Promise.all(unique.map((reference) => resolveOne(engine, reference, warn)));
  return new Map(unique.map((reference, i) => [reference, digests[i] as string]));
}

async function resolveOne(engine: Engine, reference: string, warn: (message: string) => void): Promise<string> {
  const parsed = parseImageReference(reference);
  if (parsed.digest !== undefined) return pinImageReference(reference, parsed.digest);
  const fromRegistry = await engine.swarm.distributionDigest(reference, { registryAuth: await engine.swarm.registryAuth(reference) });
  if (fromRegistry !== undefined) return pinImageReference(reference, fromRegistry);
  const local = await engine.images.inspect(reference);
  const repoDigest = local?.repoDigests?.find((d) => parseImageReference(d).name === parsed.name);
  if (repoDigest === undefined) {
    throw new RuntimeError(
      `cannot resolve the digest of image ${reference}: the registry did not answer and no local copy came from it`,
      'push the image (or check that its registry answers), then run config again',
    );
  }
  warn(`image ${reference}: the registry did not answer; pinned to the digest of the local copy, which may be older`);
  return pinImageReference(reference, parseImageReference(repoDigest).digest as string);
}
