import type { BuildInputsDigest } from '../engine/engine.js';
import { withDependencies } from '../graph/dependency-graph.js';
import type { Project } from '../model/project.js';
import { imageKey, type Snapshot } from './actual.js';
import { buildRequestFor, type BuildOverrides } from './build-request.js';
import { contextOrder, contextServices } from './named-contexts.js';
import { PlanBuilder } from './plan-builder.js';
import { serviceImage } from '../model/naming.js';
import { servicePlatform } from './plan-images.js';
import { dependencyMap, targetServices } from './plan.js';
import type { Plan } from './plan-types.js';

/**
 * `build [SERVICE...]`: every named service (all when none; with --with-dependencies, their
 * dependencies too) that has a build section, and the services their builds read through
 * `service:` contexts, built before them; with --push, a push after each build.
 */
export function planBuild(
  project: Project,
  services: readonly string[],
  options: { readonly overrides: BuildOverrides; readonly push: boolean; readonly buildInputs: ReadonlyMap<string, BuildInputsDigest>; readonly withDependencies?: boolean },
): Plan {
  const plan = new PlanBuilder();
  const byService = new Map<string, string>();
  const byImage = new Map<string, string>();
  for (const name of contextOrder(project, targetServices(project, services, options.withDependencies !== true).sort())) {
    const service = project.services[name];
    if (service?.build === undefined) continue;
    const image = serviceImage(project, name);
    const same = byImage.get(imageKey(image));
    if (same !== undefined) {
      byService.set(name, same);
      continue;
    }
    const after = contextServices(service).map((dep) => byService.get(dep));
    const request = buildRequestFor(project, name, image, options.buildInputs.get(name), options.overrides);
    const build = plan.add(`image:${image}`, image, { type: 'build-image', service: name, image, request }, `service ${name}`, after);
    byService.set(name, build);
    byImage.set(imageKey(image), build);
    if (options.push && service.image !== undefined) {
      plan.add(`image:${image}`, image, { type: 'push-image', image }, '--push', [build]);
    }
  }
  return plan.build();
}

export interface PullPlanOptions {
  readonly includeDeps: boolean;
  readonly ignoreBuildable: boolean;
  /** `missing` pulls only images not present locally. */
  readonly policy: 'always' | 'missing';
}

/** `pull [SERVICE...]`: one pull per image; services that only build their image are skipped. */
export function planPull(project: Project, services: readonly string[], snapshot: Snapshot, options: PullPlanOptions): Plan {
  const plan = new PlanBuilder();
  const names = services.length === 0 || !options.includeDeps
    ? targetServices(project, services, true)
    : [...withDependencies(dependencyMap(project.services), services)];
  const seen = new Set<string>();
  for (const name of [...names].sort()) {
    const service = project.services[name];
    if (service === undefined || service.image === undefined) continue;
    if (service.build !== undefined && options.ignoreBuildable) continue;
    const key = imageKey(service.image);
    if (seen.has(key)) continue;
    seen.add(key);
    const present = snapshot.images.has(key);
    if (options.policy === 'missing' && present) continue;
    const platform = servicePlatform(project, name);
    plan.add(`image:${service.image}`, service.image, { type: 'pull-image', image: service.image, ...(platform === undefined ? {} : { platform }) },
      present ? 'refresh' : 'not present locally');
  }
  return plan.build();
}

/** `push [SERVICE...]`: the images of services that build them and name them with `image:`. */
/** `includeDeps`: the images of the named services' dependencies too (push --include-deps). */
export function planPush(project: Project, services: readonly string[], includeDeps = false): Plan {
  const plan = new PlanBuilder();
  const seen = new Set<string>();
  for (const name of targetServices(project, services, !includeDeps).sort()) {
    const service = project.services[name];
    if (service?.build === undefined || service.image === undefined || seen.has(imageKey(service.image))) continue;
    seen.add(imageKey(service.image));
    plan.add(`image:${service.image}`, service.image, { type: 'push-image', image: service.image }, `service ${name}`);
  }
  return plan.build();
}
