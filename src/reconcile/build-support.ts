import type { Project, Service } from '../model/project.js';
import { isAbsolute } from 'node:path';
import { parseGitContext } from '../model/git-url.js';
import { parseCacheEntry } from './build-request.js';
import { namedContexts } from './named-contexts.js';

/** A build key the chosen builder cannot honour: where it is, why, and what to do. */
export interface BuildRefusal {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint: string;
}

const CLASSIC_HINT = 'unset DOCKER_BUILDKIT (or set it to 1) to build with BuildKit, or remove the key';

/** Keys only BuildKit can do; the classic builder refuses them as Compose's classic builder does. */
const CLASSIC_REFUSED: readonly (keyof NonNullable<Service['build']>)[] = [
  'secrets', 'ssh', 'additional_contexts', 'cache_to', 'platforms', 'privileged',
];

/**
 * What the engine's builders cannot do, per service: nothing is silently dropped. With BuildKit
 * through the Engine API (1.41 here), the request has no field for cache export other than inline,
 * attestations or entitlements; the exporter writes one platform; named contexts are emulated.
 */
export function buildRefusals(project: Project, services: readonly string[], builder: 'buildkit' | 'classic'): BuildRefusal[] {
  const out: BuildRefusal[] = [];
  for (const name of services) {
    const service = Object.hasOwn(project.services, name) ? project.services[name] : undefined;
    const build = service?.build as (NonNullable<Service['build']> & Record<string, unknown>) | undefined;
    if (build === undefined) continue;
    const at = (key: string, ...rest: (string | number)[]) => ['services', name, 'build', key, ...rest];
    const present = (key: string): boolean => {
      const value = build[key];
      if (value === undefined || value === false) return false;
      if (Array.isArray(value)) return value.length > 0;
      if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
      return true;
    };
    const remote = !isAbsolute(build.context);
    if (builder === 'classic') {
      for (const key of [...CLASSIC_REFUSED, 'entitlements', 'provenance', 'sbom', 'no_cache_filter']) {
        if (key === 'platforms' && (build.platforms?.length ?? 0) <= 1) continue;
        if (!present(key)) continue;
        out.push({ path: at(key), message: `build.${key} needs BuildKit, and DOCKER_BUILDKIT=0 selects the classic builder`, hint: CLASSIC_HINT });
      }
      if (remote && present('dockerfile_inline')) {
        out.push({ path: at('dockerfile_inline'), message: `build.dockerfile_inline cannot be used with the remote context ${build.context} by the classic builder: the engine reads the Dockerfile from what it fetches`, hint: CLASSIC_HINT });
      }
      continue;
    }
    // A git context is fetched here when the Dockerfile is given here; a tarball is fetched by the engine.
    if (remote && parseGitContext(build.context) === undefined && present('dockerfile_inline')) {
      out.push({ path: at('dockerfile_inline'), message: `build.dockerfile_inline cannot be used with the tarball context ${build.context}: the engine reads the Dockerfile from the tarball`, hint: 'put the Dockerfile in the tarball, or use a folder or a git URL as the context' });
    }
    out.push(...secretRefusals(project, service as Service, at));
    out.push(...contextRefusals(project, service as Service, at));
    for (const [i, entry] of (build.cache_to ?? []).entries()) {
      const type = parseCacheEntry(entry)['type'];
      if (type !== 'inline') {
        out.push({ path: at('cache_to', i), message: `cache_to type "${type ?? ''}" cannot be exported by the engine's BuildKit: the Engine API exports only the inline cache`, hint: 'use `type=inline` and push the image, then list it in cache_from' });
      }
    }
    for (const [i, entry] of (build.cache_from ?? []).entries()) {
      const cache = parseCacheEntry(entry);
      if (cache['type'] !== 'registry' || cache['ref'] === undefined) {
        out.push({ path: at('cache_from', i), message: `cache_from type "${cache['type'] ?? ''}" cannot be imported by the engine's BuildKit: it imports images (with inline cache) only`, hint: 'name an image, `type=registry,ref=REGISTRY/NAME:TAG`' });
      }
    }
    if ((build.platforms?.length ?? 0) > 1) {
      out.push({ path: at('platforms'), message: `build.platforms lists ${build.platforms?.length ?? 0} platforms, but the engine's image store holds one platform per image`, hint: 'keep one platform, or build the others with buildx' });
    }
    if (build.privileged === true) {
      out.push({ path: at('privileged'), message: 'build.privileged needs the security.insecure entitlement, which the Engine API cannot grant', hint: 'run the privileged step in a container (`run`), or build with buildx' });
    }
    for (const [i, e] of ((build['entitlements'] as readonly string[] | undefined) ?? []).entries()) {
      if (e === 'network.host') continue;
      out.push({ path: at('entitlements', i), message: `entitlement "${e}" cannot be granted through the Engine API`, hint: 'only network.host (with `network: host`) is possible here' });
    }
    for (const key of ['provenance', 'sbom', 'no_cache_filter']) {
      if (present(key)) out.push({ path: at(key), message: `build.${key} is not supported by this engine's BuildKit (Engine API 1.41)`, hint: key === 'no_cache_filter' ? 'use no_cache (the whole build), or `build --no-cache`' : 'remove the key; attestations need buildx' });
    }
  }
  return out;
}

/**
 * A build secret must have a value before the build starts: an `environment:` source whose variable
 * is unset would otherwise fail only at the `RUN` that mounts it (or, with `required=false`, build
 * without it), after other services were built. External secrets live in Swarm: a build cannot read them.
 */
function secretRefusals(project: Project, service: Service, at: (key: string, ...rest: (string | number)[]) => (string | number)[]): BuildRefusal[] {
  const out: BuildRefusal[] = [];
  for (const [i, ref] of (service.build?.secrets ?? []).entries()) {
    const declared = Object.hasOwn(project.secrets ?? {}, ref.source) ? project.secrets[ref.source] : undefined;
    if (declared === undefined) continue; // the loader refuses an undeclared secret
    if (declared.environment !== undefined && !Object.hasOwn(project.environment, declared.environment)) {
      out.push({
        path: at('secrets', i),
        message: `build secret "${ref.source}" reads environment variable ${declared.environment}, which is not set`,
        hint: `set ${declared.environment} in the environment or the project's .env file, or give the secret a file: source`,
      });
    } else if (declared.file === undefined && declared.environment === undefined && declared.content === undefined) {
      out.push({
        path: at('secrets', i),
        message: `build secret "${ref.source}" has no file, environment or content source${declared.external === true ? ' (an external secret is kept by Swarm, where a build cannot read it)' : ''}`,
        hint: 'give the top-level secret a file: or environment: source',
      });
    }
  }
  return out;
}

/**
 * Named contexts reach this engine's frontend as images (see named-contexts.ts): a folder, a git
 * repository, an image or a service's image can; an OCI layout or a tarball URL cannot. The
 * Dockerfile is rewritten here, so it must be read here: not from a tarball URL context.
 */
function contextRefusals(project: Project, service: Service, at: (key: string, ...rest: (string | number)[]) => (string | number)[]): BuildRefusal[] {
  const out: BuildRefusal[] = [];
  const contexts = namedContexts(service);
  for (const { name, source } of contexts) {
    if (source.kind === 'unsupported') {
      out.push({ path: at('additional_contexts', name), message: `additional context "${name}" (${source.value}) cannot be used with this engine: ${source.reason}`, hint: 'use a folder, a git URL, docker-image://IMAGE or service:NAME' });
    } else if (source.kind === 'service' && !Object.hasOwn(project.services, source.service)) {
      out.push({ path: at('additional_contexts', name), message: `additional context "${name}" reads service "${source.service}", which is not enabled`, hint: `enable its profile (--profile), or name it on the command line` });
    }
  }
  const context = service.build?.context ?? '';
  if (contexts.length > 0 && !isAbsolute(context) && parseGitContext(context) === undefined) {
    out.push({ path: at('additional_contexts'), message: `additional_contexts cannot be used with the tarball context ${context}: the Dockerfile that reads them is fetched by the engine`, hint: 'use a folder or a git URL as the build context' });
  }
  return out;
}
