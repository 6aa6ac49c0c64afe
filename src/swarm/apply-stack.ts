import type { ServiceSpec, SwarmApi, SwarmCallOptions } from '../engine/swarm-api.js';
import { walkGraph } from '../graph/walk.js';
import { progress, type EventSink, type ProgressStatus, type ResourceKind } from '../model/events.js';
import type { ActualStack, StackOperation, StackPlan, StackPlanNode } from './plan-deploy.js';
import { waitForServices } from './wait-stack.js';

export interface ApplyStackOptions {
  readonly events: EventSink;
  readonly signal?: AbortSignal;
  /** Credentials for the images' registries, sent with creates and updates (--with-registry-auth). */
  readonly registryAuth?: (image: string) => string | undefined;
  /** For `await-service` steps: how long a dependency may take. */
  readonly waitTimeoutMs?: number;
}

type Json = Record<string, any>;

/** Swarm wants the IDs of configs and secrets beside their names; the plan holds names only. */
export function withObjectIds(spec: ServiceSpec, ids: ReadonlyMap<string, string>): ServiceSpec {
  const copy = JSON.parse(JSON.stringify(spec)) as Json;
  const container = copy['TaskTemplate']?.['ContainerSpec'] as Json | undefined;
  for (const ref of (container?.['Secrets'] ?? []) as Json[]) ref['SecretID'] = ids.get(`secret:${ref['SecretName']}`) ?? ref['SecretName'];
  for (const ref of (container?.['Configs'] ?? []) as Json[]) ref['ConfigID'] = ids.get(`config:${ref['ConfigName']}`) ?? ref['ConfigName'];
  return copy as ServiceSpec;
}

function phases(op: StackOperation): readonly [ResourceKind, ProgressStatus, ProgressStatus] {
  switch (op.type) {
    case 'create-network': return ['network', 'creating', 'created'];
    case 'remove-network': return ['network', 'removing', 'removed'];
    case 'create-object': return [op.kind, 'creating', 'created'];
    case 'remove-object': return [op.kind, 'removing', 'removed'];
    case 'create-service': return ['service', 'creating', 'created'];
    case 'update-service': return ['service', 'updating', 'updated'];
    case 'remove-service': return ['service', 'removing', 'removed'];
    case 'await-service': return ['service', 'waiting', 'converged'];
  }
}

/**
 * Runs the plan's steps in dependency order, as many at once as the graph allows. Decides nothing:
 * every call here was chosen by planDeploy. Returns the engine names of the services it touched.
 */
export async function applyStackPlan(api: SwarmApi, plan: StackPlan, actual: ActualStack, options: ApplyStackOptions): Promise<string[]> {
  const ids = new Map<string, string>([
    ...actual.configs.map((o) => [`config:${o.name}`, o.id] as const),
    ...actual.secrets.map((o) => [`secret:${o.name}`, o.id] as const),
  ]);
  const touched: string[] = [];
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const started = Date.now();
  const auth = (spec: ServiceSpec): SwarmCallOptions => {
    const image = (spec['TaskTemplate'] as Json | undefined)?.['ContainerSpec']?.['Image'] as string | undefined;
    const token = image === undefined ? undefined : options.registryAuth?.(image);
    return token === undefined ? {} : { registryAuth: token };
  };
  const warn = (warnings: readonly string[]): void => { for (const w of warnings) options.events.warn(w); };

  const run = async (node: StackPlanNode): Promise<void> => {
    const op = node.operation;
    const [kind, doing, done] = phases(op);
    options.events.emit(progress(kind, op.name, doing, false));
    try {
      switch (op.type) {
        case 'create-network': await api.createNetwork(op.body); break;
        case 'remove-network': await api.removeNetwork(op.id); break;
        case 'create-object': {
          const id = op.kind === 'config' ? await api.createConfig(op.spec) : await api.createSecret(op.spec);
          ids.set(`${op.kind}:${op.name}`, id);
          break;
        }
        case 'remove-object': await (op.kind === 'config' ? api.removeConfig(op.id) : api.removeSecret(op.id)); break;
        case 'create-service': warn((await api.createService(withObjectIds(op.spec, ids), auth(op.spec))).warnings); touched.push(op.name); break;
        case 'update-service': warn((await api.updateService(op.id, op.version, withObjectIds(op.spec, ids), auth(op.spec))).warnings); touched.push(op.name); break;
        case 'remove-service': await api.removeService(op.id); break;
        case 'await-service': await waitForServices(api, {
          services: [op.name], since: started, events: options.events,
          ...(options.waitTimeoutMs === undefined ? {} : { timeoutMs: options.waitTimeoutMs }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        }); break;
      }
    } catch (error) {
      options.events.emit(progress(kind, op.name, 'error', true, (error as Error).message));
      throw error;
    }
    if (op.type !== 'await-service') options.events.emit(progress(kind, op.name, done, true));
  };

  const waitsFor = new Map(plan.nodes.map((n) => [n.id, n.dependsOn]));
  await walkGraph(waitsFor, (id) => run(byId.get(id) as StackPlanNode), options.signal === undefined ? {} : { signal: options.signal });
  return touched;
}
