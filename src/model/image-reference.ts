/**
 * An image reference in Docker's full form, as the docker/distribution reference package normalises
 * it: `busybox` is `docker.io/library/busybox:latest`; `127.0.0.1:5000/app:1` keeps its registry.
 */
export interface ImageReference {
  /** `docker.io/library/busybox`, `127.0.0.1:5000/app`. */
  readonly name: string;
  readonly tag?: string;
  /** `sha256:...` when the reference is pinned. */
  readonly digest?: string;
}

const HUB = 'docker.io';

export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const named = at === -1 ? reference : reference.slice(0, at);
  const slash = named.lastIndexOf('/');
  const colon = named.indexOf(':', slash + 1);
  const repository = colon === -1 ? named : named.slice(0, colon);
  const tag = colon === -1 ? (digest === undefined ? 'latest' : undefined) : named.slice(colon + 1);
  const first = repository.indexOf('/');
  const head = first === -1 ? '' : repository.slice(0, first);
  const hasDomain = head.includes('.') || head.includes(':') || head === 'localhost';
  let domain = hasDomain ? head : HUB;
  let path = hasDomain ? repository.slice(first + 1) : repository;
  if (domain === 'index.docker.io') domain = HUB;
  if (domain === HUB && !path.includes('/')) path = `library/${path}`;
  return { name: `${domain}/${path}`, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

export function formatImageReference(ref: ImageReference): string {
  return `${ref.name}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

/** The reference pinned to `digest`, keeping its tag: `docker.io/library/busybox:1@sha256:...`. */
export function pinImageReference(reference: string, digest: string): string {
  return formatImageReference({ ...parseImageReference(reference), digest });
}
