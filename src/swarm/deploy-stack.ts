import type { SwarmApi, SwarmService } from '../engine/swarm-api.js';
import type { EventSink } from '../model/events.js';
import type { Project, Service } from '../model/project.js';
import { applyStackPlan } from './apply-stack.js';
import { desiredStack, type DesiredStack } from './desired-stack.js';
import { checkExternalNetworks, observeStack, requireManager, waitForEarlierRemoval } from './observe-stack.js';
import { planDeploy, type StackPlan } from './plan-deploy.js';
import { readObjectContents } from './read-contents.js';
import { StackLabel, scoped, stackFilter } from './stack-labels.js';
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

/**
 * One registry question per distinct image, however many services run it, asked as soon as it is
 * known to be needed: with `always`, before the stack is even observed.
 */
class DigestLookups {
  private readonly asked = new Map<string, Promise<string | undefined>>();
  constructor(private readonly api: SwarmApi, private readonly auth: DeployOptions['registryAuth']) {}

  digest(image: string): Promise<string | undefined> {
    let answer = this.asked.get(image);
    if (answer === undefined) {
      const token = this.auth?.(image);
      answer = this.api.distributionDigest(image, token === undefined ? {} : { registryAuth: token });
      // Awaited later, maybe after another call failed: never an unhandled rejection meanwhile.
      answer.catch(() => undefined);
      this.asked.set(image, answer);
    }
    return answer;
  }
}

function composeImages(project: Project, options: DeployOptions): Map<string, string> {
  const images = new Map<string, string>();
  for (const [key, service] of Object.entries(project.services) as [string, Service][]) {
    if (options.builtImages?.get(key) === undefined) images.set(key, service.image as string);
  }
  return images;
}

async function chooseImages(lookups: DigestLookups, composed: ReadonlyMap<string, string>, stack: string, services: readonly SwarmService[], options: DeployOptions): Promise<Map<string, string>> {
  const byName = new Map(services.map((s) => [s.spec.Name, s]));
  const entries = await Promise.all([...composed].map(async ([key, image]) => {
    const actual = byName.get(scoped(stack, key));
    const digest = needsDigest(image, actual, options.resolveImage) ? await lookups.digest(image) : undefined;
    return [key, chooseImage(image, actual, options.resolveImage, digest)] as const;
  }));
  return new Map([...(options.builtImages ?? []), ...entries]);
}

/** Load-checked project → plan against the cluster → apply → wait. Nothing changes on the engine before the plan is whole. */
export async function deployStack(api: SwarmApi, project: Project, options: DeployOptions): Promise<DeployResult> {
  const report = checkStackSupport(project);
  const contents = await readObjectContents(project);
  // The manager check, the stack's state and (with `always`) the registry lookups are independent:
  // one round trip instead of three. The manager check is awaited first so that a worker or a
  // non-swarm engine gets its own message, not the list call's.
  const composed = composeImages(project, options);
  const lookups = new DigestLookups(api, options.registryAuth);
  if (options.resolveImage === 'always') for (const image of new Set(composed.values())) if (needsDigest(image, undefined, 'always')) void lookups.digest(image);
  const manager = requireManager(api);
  const observed = Promise.all([observeStack(api, options.stack), api.listTasks({ labels: [stackFilter(options.stack)] })]);
  observed.catch(() => undefined);
  await manager;
  let [actual, tasks] = await observed;
  // A `stack rm` of this stack still under way: its networks would vanish under the new services.
  const waited = !options.dryRun && await waitForEarlierRemoval(api, options.stack, tasks, actual.services, {
    onWait: (n) => options.events.warn(`stack ${options.stack} is still being removed (${n} task(s) leaving): waiting until it is gone`),
    ...(options.waitTimeoutMs === undefined ? {} : { timeoutMs: options.waitTimeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (waited) actual = await observeStack(api, options.stack);
  const images = await chooseImages(lookups, composed, options.stack, actual.services, options);
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
