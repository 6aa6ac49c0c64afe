import type { BuildInputsDigest } from '../engine/engine.js';
import { ConfigError } from '../errors.js';
import { parseDurationNs } from '../model/duration.js';
import { serviceImage } from '../model/naming.js';
import type { Project, Service } from '../model/project.js';
import { imageKey, type Snapshot } from './actual.js';
import { BUILD_INPUTS_LABEL, buildInputsChanges, buildInputsLabel, buildIsCurrent, buildRequestFor, type BuildOverrides } from './build-request.js';
import type { PlanBuilder } from './plan-builder.js';
import { contextOrder, namedContexts } from './named-contexts.js';

export type PullFlag = 'always' | 'missing' | 'never' | 'build';

/** What `up` is told about images, and what was read for them before planning. */
export interface ImagePlanOptions {
  /** --build: build every service that has a build section; --no-build: never build. */
  readonly build?: 'auto' | 'always' | 'never';
  /** --pull: overrides every service's pull_policy. */
  readonly pull?: PullFlag;
  /** The image steps ran already (the second pass of `up`): plan containers only. */
  readonly imagesReady?: boolean;
  /** Digests of each built service's context and Dockerfile, by service. */
  readonly buildInputs?: ReadonlyMap<string, BuildInputsDigest>;
  /** When each image was last tagged (pulled or built), ms since the epoch, by image key. */
  readonly imageTagTimes?: ReadonlyMap<string, number>;
  /** The time periodic pull policies compare against, ms since the epoch. */
  readonly now?: number;
  readonly buildOverrides?: BuildOverrides;
}

export type ImageAction =
  | { readonly action: 'none' }
  | { readonly action: 'pull'; readonly cause: string }
  | { readonly action: 'build'; readonly cause: string };

const DAY_MS = 24 * 3600 * 1000;

/** How long an image may age under a periodic policy; undefined for the other policies. */
export function policyMaxAgeMs(policy: string): number | undefined {
  if (policy === 'daily') return DAY_MS;
  if (policy === 'weekly') return 7 * DAY_MS;
  if (policy.startsWith('every_')) {
    const ns = parseDurationNs(policy.slice('every_'.length));
    return ns === undefined ? undefined : ns / 1e6;
  }
  return undefined;
}

function describeAge(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** Whether a service's image is pulled, built or left alone on `up`, and why. Pure. */
export function imageAction(project: Project, name: string, snapshot: Snapshot, options: ImagePlanOptions): ImageAction {
  const service = project.services[name] as Service;
  const image = serviceImage(project, name);
  const present = snapshot.images.get(imageKey(image));
  const fromFlag = options.pull !== undefined;
  const policy = options.pull ?? service.pull_policy ?? 'missing';
  const source = fromFlag ? `--pull ${policy}` : `pull_policy: ${policy}`;
  const canBuild = service.build !== undefined && options.build !== 'never';

  if (policy !== 'never' && (service.build === undefined || service.image !== undefined)) {
    if (policy === 'always') return { action: 'pull', cause: source };
    const maxAge = policyMaxAgeMs(policy);
    if (maxAge !== undefined && present !== undefined) {
      const tagged = options.imageTagTimes?.get(imageKey(image));
      const now = options.now ?? 0;
      if (tagged === undefined || now - tagged > maxAge) return { action: 'pull', cause: `older than ${describeAge(maxAge)} (${source})` };
    }
  }
  if (canBuild) {
    if (options.build === 'always') {
      const digest = options.buildInputs?.get(name);
      const current = present !== undefined && digest !== undefined &&
        buildIsCurrent(present.labels[BUILD_INPUTS_LABEL], buildInputsLabel(service, digest, options.buildOverrides), service, options.buildOverrides);
      return current ? { action: 'none' } : { action: 'build', cause: '--build' };
    }
    if (policy === 'build') return { action: 'build', cause: source };
    if (present === undefined) return { action: 'build', cause: 'not present locally' };
    const digest = options.buildInputs?.get(name);
    if (digest !== undefined) {
      const changes = buildInputsChanges(present.labels[BUILD_INPUTS_LABEL], buildInputsLabel(service, digest, options.buildOverrides));
      if (changes.length > 0) return { action: 'build', cause: changes.join(', ') };
    }
    return { action: 'none' };
  }
  if (present !== undefined) return { action: 'none' };
  if (policy === 'build') {
    throw new ConfigError(`service "${name}" has pull_policy build but no build section`, {
      keyPath: `services.${name}.pull_policy`,
      hint: 'add a build section, or use another pull_policy',
    });
  }
  if (policy === 'never') {
    throw new ConfigError(`image ${image} of service "${name}" is not present locally and ${source} forbids pulling it`, {
      keyPath: `services.${name}.pull_policy`,
      hint: fromFlag ? `pull it first (tscompose pull ${name}), or drop --pull never` : `pull it first (tscompose pull ${name}), or change pull_policy`,
    });
  }
  if (service.build !== undefined && service.image === undefined) {
    throw new ConfigError(`image ${image} of service "${name}" is not present locally and --no-build forbids building it`, {
      keyPath: `services.${name}.build`,
      hint: `build it first (tscompose build ${name}), or drop --no-build`,
    });
  }
  return { action: 'pull', cause: service.build === undefined ? 'not present locally' : 'not present locally (--no-build)' };
}

/** `platform`, else DOCKER_DEFAULT_PLATFORM: what pull, build and create ask the engine for. */
export function servicePlatform(project: Project, name: string): string | undefined {
  const platform = project.services[name]?.platform ?? project.environment['DOCKER_DEFAULT_PLATFORM'];
  return platform === '' ? undefined : platform;
}

/**
 * Adds the pull and build steps for the services `up` acts on, once per image. Returns the step
 * each image key waits on, for the containers that use it. A build that reads other services'
 * images (`additional_contexts: service:NAME`) comes after theirs, and is rebuilt when they are.
 */
export function planImages(
  project: Project,
  order: readonly string[],
  snapshot: Snapshot,
  options: ImagePlanOptions,
  plan: PlanBuilder,
): Map<string, string> {
  const nodes = new Map<string, string>();
  if (options.imagesReady === true) return nodes;
  const built = new Set<string>();
  const canBuild = (name: string): boolean => project.services[name]?.build !== undefined && options.build !== 'never';
  // The services a build reads through `service:` contexts are planned before it.
  for (const name of contextOrder(project, order, canBuild)) {
    const image = serviceImage(project, name);
    if (nodes.has(imageKey(image))) continue;
    const reads = canBuild(name) ? serviceContextsOf(project, project.services[name] as Service) : [];
    const first = reads.find((c) => built.has(imageKey(serviceImage(project, c.service))));
    let decision = imageAction(project, name, snapshot, options);
    if (first !== undefined && decision.action !== 'build') {
      decision = { action: 'build', cause: `additional context "${first.name}" (service ${first.service}) is rebuilt` };
    }
    if (decision.action === 'pull') {
      const platform = servicePlatform(project, name);
      nodes.set(imageKey(image), plan.add(`image:${image}`, image,
        { type: 'pull-image', image, ...(platform === undefined ? {} : { platform }) }, decision.cause));
    } else if (decision.action === 'build') {
      const digest = options.buildInputs?.get(name);
      // The IDs of the context images read before planning are stale once those are rebuilt.
      const known = digest === undefined || first === undefined ? digest : withoutBases(digest);
      const request = buildRequestFor(project, name, image, known, options.buildOverrides);
      const after = reads.map((c) => nodes.get(imageKey(serviceImage(project, c.service))));
      nodes.set(imageKey(image), plan.add(`image:${image}`, image, { type: 'build-image', service: name, image, request }, decision.cause, after));
      built.add(imageKey(image));
    }
  }
  return nodes;
}

/** A service's `service:` contexts whose service is enabled (a disabled one is refused before planning). */
function serviceContextsOf(project: Project, service: Service): { readonly name: string; readonly service: string }[] {
  return namedContexts(service).flatMap((c) =>
    (c.source.kind === 'service' && Object.hasOwn(project.services, c.source.service) ? [{ name: c.name, service: c.source.service }] : []));
}

function withoutBases(digest: BuildInputsDigest): BuildInputsDigest {
  const { bases: _bases, ...rest } = digest;
  return rest;
}
