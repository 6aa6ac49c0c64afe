import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { BuildInputsDigest, BuildRequest, BuildSecret, BuildSsh } from '../engine/engine.js';
import { canonicalJson } from '../model/config-hash.js';
import { Label } from '../model/labels.js';
import type { Project, Service } from '../model/project.js';
import { namedContextRequests } from './named-contexts.js';

/** Ours: digests of what an image was built from, so `up` can rebuild when the context or Dockerfile changed. */
export const BUILD_INPUTS_LABEL = 'io.tscompose.build-inputs';

/** What the `build` command adds on top of the file: --no-cache, --pull, --build-arg. */
export interface BuildOverrides {
  readonly noCache?: boolean;
  readonly pull?: boolean;
  /** Already resolved (a bare `--build-arg K` takes K from the environment in the command). */
  readonly args?: Readonly<Record<string, string>>;
  /** `build --ssh`: added to every service's build.ssh. */
  readonly ssh?: readonly string[];
}

/** BuildKit unless DOCKER_BUILDKIT is false (0, false, no), as Compose chooses. */
export function chosenBuilder(environment: Readonly<Record<string, string | undefined>>): 'buildkit' | 'classic' {
  const raw = environment['DOCKER_BUILDKIT']?.trim().toLowerCase();
  return raw === '0' || raw === 'false' || raw === 'no' || raw === 'off' ? 'classic' : 'buildkit';
}

/** `default`, `default=/run/agent.sock`, `key=~/.ssh/a,~/.ssh/b`: Compose's ssh entries. */
export function parseSshEntry(entry: string, home: string | undefined): BuildSsh {
  const eq = entry.indexOf('=');
  const id = (eq === -1 ? entry : entry.slice(0, eq)).trim() || 'default';
  const paths = eq === -1 ? [] : entry.slice(eq + 1).split(',').map((p) => p.trim()).filter((p) => p !== '')
    .map((p) => (p.startsWith('~/') && home !== undefined ? `${home}${p.slice(1)}` : p));
  return { id, paths };
}

/** `type=registry,ref=r/x:cache` → its fields; a bare reference is `{ type: 'registry', ref }`. */
export function parseCacheEntry(entry: string): Readonly<Record<string, string>> {
  if (!entry.includes('=')) return { type: 'registry', ref: entry };
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of entry.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** The build's secrets by id (the target, else the source name), from a file or an environment variable. */
function buildSecrets(project: Project, service: Service): BuildSecret[] {
  const out: BuildSecret[] = [];
  for (const ref of service.build?.secrets ?? []) {
    const declared = Object.hasOwn(project.secrets ?? {}, ref.source) ? project.secrets[ref.source] : undefined;
    const id = ref.target ?? ref.source;
    if (declared?.file !== undefined) out.push({ id, source: { file: declared.file } });
    else if (declared?.environment !== undefined) {
      const value = Object.hasOwn(project.environment, declared.environment) ? project.environment[declared.environment] : undefined;
      if (value !== undefined) out.push({ id, source: { value } });
    } else if (declared?.content !== undefined) out.push({ id, source: { value: declared.content } });
  }
  return out;
}

export type BuildInputPart = 'context' | 'dockerfile' | 'options' | 'bases';

const PART_CAUSE: Readonly<Record<BuildInputPart, string>> = {
  context: 'build context changed',
  dockerfile: 'Dockerfile changed',
  options: 'build options changed',
  bases: 'base image changed',
};

/** The `bases` part when the images a build reads cannot be pinned (see BuildInputsDigest). */
const UNKNOWN = '-';

function short(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Build args as sent: an arg left without a value (unset in the environment too) is not sent. */
function buildArgs(service: Service, overrides: BuildOverrides): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.build?.args ?? {})) if (value !== null) out[key] = value;
  return { ...out, ...overrides.args };
}

/** The options of a build that change its result (not --no-cache or --pull, which change how it runs). */
function optionsDigest(service: Service, args: Record<string, string>): string {
  const build = service.build;
  return short(canonicalJson({
    args,
    target: build?.target,
    labels: build?.labels,
    network: build?.network,
    extra_hosts: build?.extra_hosts,
    shm_size: build?.shm_size,
    dockerfile: build?.dockerfile_inline === undefined ? build?.dockerfile : undefined,
    // Absent (not empty) without them, so labels written before they were supported still match.
    additional_contexts: build?.additional_contexts,
  }));
}

/** `context=…,dockerfile=…,options=…,bases=…`: the label value. */
export function buildInputsLabel(service: Service, digest: BuildInputsDigest, overrides: BuildOverrides = {}): string {
  const options = optionsDigest(service, buildArgs(service, overrides));
  return `context=${digest.context.slice(0, 16)},dockerfile=${digest.dockerfile.slice(0, 16)},options=${options},bases=${digest.bases ?? UNKNOWN}`;
}

function parseLabel(text: string): Record<string, string> {
  return Object.fromEntries(text.split(',').map((pair) => pair.split('=') as [string, string]));
}

/**
 * Why an image built earlier no longer matches its inputs; empty when it does (or when it was not
 * built by us). Base images count only when both sides know them (before a first pull they do not).
 */
export function buildInputsChanges(labelValue: string | undefined, expected: string): string[] {
  if (labelValue === undefined) return [];
  const before = parseLabel(labelValue);
  const now = parseLabel(expected);
  const known = (value: string | undefined): boolean => value !== undefined && value !== UNKNOWN;
  return (Object.keys(PART_CAUSE) as BuildInputPart[])
    .filter((part) => (part === 'bases' ? known(before[part]) && known(now[part]) : true) && before[part] !== now[part])
    .map((part) => PART_CAUSE[part]);
}

/**
 * A build that would give the image it built last time: the same context, Dockerfile, options and
 * base image IDs, nothing fetched from outside, no --no-cache or --pull. BuildKit would answer it
 * from its cache with the same image, so `up --build` may skip it.
 */
export function buildIsCurrent(labelValue: string | undefined, expected: string, service: Service, overrides: BuildOverrides = {}): boolean {
  if (labelValue === undefined || service.build?.no_cache === true || service.build?.pull === true) return false;
  if (overrides.noCache === true || overrides.pull === true) return false;
  const bases = parseLabel(labelValue)['bases'];
  return bases !== undefined && bases !== UNKNOWN && bases === parseLabel(expected)['bases'] && buildInputsChanges(labelValue, expected).length === 0;
}

/** The engine's build request for a service: the image name first, Compose's labels and ours. */
export function buildRequestFor(
  project: Project,
  serviceName: string,
  image: string,
  digest: BuildInputsDigest | undefined,
  overrides: BuildOverrides = {},
): BuildRequest {
  const service = project.services[serviceName] as Service;
  const build = service.build ?? { context: project.working_dir };
  const builder = chosenBuilder(project.environment);
  const inlineCache = (build.cache_to ?? []).some((c) => parseCacheEntry(c)['type'] === 'inline');
  const args = { ...buildArgs(service, overrides), ...(inlineCache ? { BUILDKIT_INLINE_CACHE: '1' } : {}) };
  const platform = service.platform ?? (build.platforms?.length === 1 ? build.platforms[0] : undefined) ?? project.environment['DOCKER_DEFAULT_PLATFORM'];
  const contexts = namedContextRequests(project, serviceName);
  const extraHosts = Object.entries(build.extra_hosts ?? {}).flatMap(([host, ips]) => ips.map((ip) => `${host}:${ip}`));
  return {
    context: build.context,
    ...(build.dockerfile === undefined ? {} : { dockerfile: build.dockerfile }),
    ...(build.dockerfile_inline === undefined ? {} : { dockerfileInline: build.dockerfile_inline }),
    tags: [image, ...(build.tags ?? []).filter((t) => t !== image)],
    args,
    ...(build.target === undefined ? {} : { target: build.target }),
    labels: {
      ...build.labels,
      [Label.project]: project.name,
      [Label.service]: serviceName,
      // Compose marks images of its classic builder only.
      ...(builder === 'classic' ? { [Label.imageBuilder]: 'classic' } : {}),
      ...(digest === undefined ? {} : { [BUILD_INPUTS_LABEL]: buildInputsLabel(service, digest, overrides) }),
    },
    ...(build.network === undefined ? {} : { network: build.network }),
    extraHosts,
    ...(build.shm_size === undefined ? {} : { shmSize: build.shm_size }),
    noCache: overrides.noCache ?? build.no_cache ?? false,
    pull: overrides.pull ?? build.pull ?? false,
    cacheFrom: (build.cache_from ?? []).map(parseCacheEntry).filter((c) => c['type'] === 'registry' && c['ref'] !== undefined).map((c) => c['ref'] as string),
    builder,
    ...(isAbsolute(build.context) ? {} : { remote: build.context }),
    secrets: buildSecrets(project, service),
    ssh: [...(build.ssh ?? []), ...(overrides.ssh ?? [])].map((e) => parseSshEntry(e, project.environment['HOME'])),
    ...(platform === undefined || platform === '' ? {} : { platform }),
    ...(build.ulimits === undefined ? {} : { ulimits: Object.entries(build.ulimits).map(([name, u]) => ({ name, soft: u.soft, hard: u.hard })) }),
    ...(build.isolation === undefined ? {} : { isolation: build.isolation }),
    ...(digest?.bases === undefined ? {} : { basesInEngine: true }),
    ...(contexts.length === 0 ? {} : { namedContexts: contexts }),
  };
}
