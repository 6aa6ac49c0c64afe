import type { SwarmApi, SwarmService } from '../engine/swarm-api.js';
import type { EventSink } from '../model/events.js';
import type { Project, Service } from '../model/project.js';
import { applyStackPlan } from './apply-stack.js';
import { desiredStack, type DesiredStack } from './desired-stack.js';
import { checkExternalNetworks, observeStack, requireManager } from './observe-stack.js';
import { planDeploy, type StackPlan } from './plan-deploy.js';
import { readObjectContents } from './read-contents.js';
import { StackLabel, scoped } from './stack-labels.js';
import { checkStackSupport } from './unsupported.js';
import { waitForServices } from './wait-stack.js';

export type ResolveImage = 'always' | 'changed' | 'never';

export interface DeployOptions {
  readonly stack: string;
  readonly prune: boolean;
  readonly resolveImage: ResolveImage;
  /** Base64 registry credentials for an image, for --with-registry-auth. */
  readonly registryAuth?: (image: string) => string | undefined;
  readonly wait: boolean;
  readonly waitTimeoutMs?: number;
  readonly dryRun: boolean;
  /** Images built and pushed for this deploy, by service key: `name@sha256:…`. */
  readonly builtImages?: ReadonlyMap<string, string>;
  readonly events: EventSink;
  readonly signal?: AbortSignal;
}

export interface DeployResult {
  readonly plan: StackPlan;
  readonly warnings: readonly string[];
}

/**
 * Which image reference the spec runs. `never`: the compose image, or what the service already runs
 * when that came from the same compose image (a digest pinned earlier). `changed`: ask the registry
 * only when the compose image changed. `always`: ask every time; an unchanged digest means no update.
 */
export function chooseImage(composeImage: string, actual: SwarmService | undefined, mode: ResolveImage, digest: string | undefined): string {
  const running = (actual?.spec['TaskTemplate'] as Record<string, any> | undefined)?.['ContainerSpec']?.['Image'] as string | undefined;
  const same = actual !== undefined && actual.spec.Labels[StackLabel.image] === composeImage && running !== undefined;
  if (digest !== undefined && (mode === 'always' || (mode === 'changed' && !same))) {
    return `${composeImage.replace(/@sha256:[0-9a-f]+$/, '')}@${digest}`;
  }
  return same ? (running as string) : composeImage;
}

function needsDigest(composeImage: string, actual: SwarmService | undefined, mode: ResolveImage): boolean {
  if (mode === 'never' || /@sha256:/.test(composeImage)) return false;
  return mode === 'always' || actual?.spec.Labels[StackLabel.image] !== composeImage;
}

async function chooseImages(api: SwarmApi, project: Project, stack: string, services: readonly SwarmService[], options: DeployOptions): Promise<Map<string, string>> {
  const byName = new Map(services.map((s) => [s.spec.Name, s]));
  const entries = await Promise.all(Object.entries(project.services).map(async ([key, service]: [string, Service]) => {
    const built = options.builtImages?.get(key);
    if (built !== undefined) return [key, built] as const;
    const image = service.image as string;
    const actual = byName.get(scoped(stack, key));
    const auth = options.registryAuth?.(image);
    const digest = needsDigest(image, actual, options.resolveImage)
      ? await api.distributionDigest(image, auth === undefined ? {} : { registryAuth: auth })
      : undefined;
    return [key, chooseImage(image, actual, options.resolveImage, digest)] as const;
  }));
  return new Map(entries);
}

/** Load-checked project → plan against the cluster → apply → wait. Nothing changes on the engine before the plan is whole. */
export async function deployStack(api: SwarmApi, project: Project, options: DeployOptions): Promise<DeployResult> {
  const report = checkStackSupport(project);
  const contents = await readObjectContents(project);
  await requireManager(api);
  const actual = await observeStack(api, options.stack);
  const images = await chooseImages(api, project, options.stack, actual.services, options);
  const desired: DesiredStack = desiredStack(project, options.stack, contents, images);
  await checkExternalNetworks(api, desired);
  const plan = planDeploy(desired, actual, { prune: options.prune });
  const warnings = [...report.warnings, ...plan.warnings];
  if (options.dryRun) return { plan, warnings };
  const started = Date.now() - 1000;
  const touched = await applyStackPlan(api, plan, actual, {
    events: options.events,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.registryAuth === undefined ? {} : { registryAuth: options.registryAuth }),
    ...(options.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: options.waitTimeoutMs }),
  });
  if (options.wait && touched.length > 0) {
    await waitForServices(api, {
      services: touched, since: started, events: options.events,
      ...(options.waitTimeoutMs === undefined ? {} : { timeoutMs: options.waitTimeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }
  return { plan, warnings };
}
