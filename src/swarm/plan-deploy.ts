import type { ServiceSpec, SwarmNetwork, SwarmNetworkBody, SwarmObject, SwarmObjectSpec, SwarmService } from '../engine/swarm-api.js';
import { canonicalJson } from '../model/config-hash.js';
import type { DependencyCondition } from '../model/project.js';
import type { DesiredService, DesiredStack, ObjectKind } from './desired-stack.js';
import { StackLabel } from './stack-labels.js';
import { compact } from './service-spec.js';

/** What a stack has on the cluster, found by its namespace label. */
export interface ActualStack {
  readonly services: readonly SwarmService[];
  readonly networks: readonly SwarmNetwork[];
  readonly configs: readonly SwarmObject[];
  readonly secrets: readonly SwarmObject[];
}

export type StackOperation =
  | { readonly type: 'create-network'; readonly name: string; readonly body: SwarmNetworkBody }
  | { readonly type: 'remove-network'; readonly name: string; readonly id: string }
  | { readonly type: 'create-object'; readonly kind: ObjectKind; readonly name: string; readonly spec: SwarmObjectSpec }
  | { readonly type: 'remove-object'; readonly kind: ObjectKind; readonly name: string; readonly id: string }
  | { readonly type: 'create-service'; readonly service: string; readonly name: string; readonly spec: ServiceSpec }
  | { readonly type: 'update-service'; readonly service: string; readonly name: string; readonly id: string; readonly version: number; readonly spec: ServiceSpec }
  | { readonly type: 'remove-service'; readonly name: string; readonly id: string }
  /** Waits until a dependency converged, for `service_healthy` / `service_completed_successfully`. */
  | { readonly type: 'await-service'; readonly service: string; readonly name: string; readonly condition: DependencyCondition };

export interface StackPlanNode {
  /** `service:web#create`. */
  readonly id: string;
  /** `service:web`, `config:app_conf-1a2b3c4d5e`: what the user reads. */
  readonly resource: string;
  readonly operation: StackOperation;
  readonly dependsOn: readonly string[];
  readonly cause: string;
}

export interface StackPlan {
  readonly nodes: readonly StackPlanNode[];
  readonly warnings: readonly string[];
}

export interface DeployPlanOptions {
  readonly prune: boolean;
}

/** Which part of a service spec changed, named as the compose file names it. */
const SPEC_FIELDS: readonly (readonly [string, readonly string[]])[] = [
  ['image', ['TaskTemplate', 'ContainerSpec', 'Image']],
  ['environment', ['TaskTemplate', 'ContainerSpec', 'Env']],
  ['command', ['TaskTemplate', 'ContainerSpec', 'Args']],
  ['entrypoint', ['TaskTemplate', 'ContainerSpec', 'Command']],
  ['labels', ['TaskTemplate', 'ContainerSpec', 'Labels']],
  ['volumes', ['TaskTemplate', 'ContainerSpec', 'Mounts']],
  ['secrets', ['TaskTemplate', 'ContainerSpec', 'Secrets']],
  ['configs', ['TaskTemplate', 'ContainerSpec', 'Configs']],
  ['healthcheck', ['TaskTemplate', 'ContainerSpec', 'Healthcheck']],
  ['container settings', ['TaskTemplate', 'ContainerSpec']],
  ['deploy.resources', ['TaskTemplate', 'Resources']],
  ['deploy.restart_policy', ['TaskTemplate', 'RestartPolicy']],
  ['deploy.placement', ['TaskTemplate', 'Placement']],
  ['networks', ['TaskTemplate', 'Networks']],
  ['logging', ['TaskTemplate', 'LogDriver']],
  ['deploy.labels', ['Labels']],
  ['deploy.mode/replicas', ['Mode']],
  ['deploy.update_config', ['UpdateConfig']],
  ['deploy.rollback_config', ['RollbackConfig']],
  ['ports', ['EndpointSpec']],
];

/** The fields the engine fills in or we add that the comparison must not see. */
function comparable(spec: Readonly<Record<string, unknown>>, networkNames: ReadonlyMap<string, string>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(spec)) as Record<string, any>;
  delete copy['Labels']?.[StackLabel.specHash];
  const task = copy['TaskTemplate'] ?? {};
  // The engine keeps network IDs where we sent names.
  for (const n of (task['Networks'] ?? []) as Record<string, unknown>[]) n['Target'] = networkNames.get(String(n['Target'])) ?? n['Target'];
  delete task['ForceUpdate'];
  delete task['Runtime'];
  const container = task['ContainerSpec'] ?? {};
  if (container['Isolation'] === 'default') delete container['Isolation'];
  for (const ref of [...(container['Secrets'] ?? []), ...(container['Configs'] ?? [])]) {
    delete ref['SecretID'];
    delete ref['ConfigID'];
  }
  return compact(copy) as Record<string, unknown>;
}

function at(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

function without(value: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, any>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node?.[k];
  if (node !== undefined) delete node[path.at(-1) as string];
  return copy;
}

/** The compose names of the spec fields that differ; empty when the engine already has this spec. */
export function changedFields(
  actual: Readonly<Record<string, unknown>>, desired: Readonly<Record<string, unknown>>, networkNames: ReadonlyMap<string, string> = new Map(),
): string[] {
  let a = comparable(actual, networkNames);
  let d = comparable(desired, networkNames);
  if (canonicalJson(a) === canonicalJson(d)) return [];
  const changed: string[] = [];
  for (const [name, path] of SPEC_FIELDS) {
    if (canonicalJson(at(a, path) ?? null) !== canonicalJson(at(d, path) ?? null)) changed.push(name);
    // Later, broader entries see only what the narrower ones did not already name.
    a = without(a, path);
    d = without(d, path);
  }
  if (changed.length === 0) changed.push('spec');
  return changed;
}

function serviceDecision(
  desired: DesiredService, actual: SwarmService | undefined, networkNames: ReadonlyMap<string, string>,
): { verb: 'create' | 'update'; cause: string } | undefined {
  if (actual === undefined) return { verb: 'create', cause: 'not found' };
  if (actual.spec.Labels[StackLabel.specHash] === desired.hash) return undefined;
  const fields = changedFields(actual.spec, desired.spec, networkNames);
  if (fields.length === 0) return undefined;
  return { verb: 'update', cause: `changed: ${fields.join(', ')}` };
}

/** Names of configs and secrets a service spec points at. */
export function objectNamesOf(spec: Readonly<Record<string, unknown>>): string[] {
  const container = at(spec, ['TaskTemplate', 'ContainerSpec']) as Record<string, unknown> | undefined;
  const secrets = (container?.['Secrets'] as { SecretName?: string }[] | undefined) ?? [];
  const configs = (container?.['Configs'] as { ConfigName?: string }[] | undefined) ?? [];
  return [...secrets.map((s) => s.SecretName ?? ''), ...configs.map((c) => c.ConfigName ?? '')];
}

function networkNamesOf(spec: Readonly<Record<string, unknown>>): string[] {
  return ((at(spec, ['TaskTemplate', 'Networks']) as { Target?: string }[] | undefined) ?? []).map((n) => n.Target ?? '');
}

/**
 * The steps from what the cluster has to what the compose file asks, each with its cause. Only
 * services whose spec differs are updated; configs and secrets are new objects per content, and the
 * old ones go once no service uses them.
 */
export function planDeploy(desired: DesiredStack, actual: ActualStack, options: DeployPlanOptions): StackPlan {
  const nodes: StackPlanNode[] = [];
  const warnings: string[] = [];
  const createdBy = new Map<string, string>();

  const actualNetworks = new Map(actual.networks.map((n) => [n.name, n]));
  for (const network of desired.networks) {
    if (network.external || network.body === undefined || actualNetworks.has(network.name)) continue;
    const id = `network:${network.key}#create`;
    nodes.push({ id, resource: `network:${network.key}`, operation: { type: 'create-network', name: network.name, body: network.body }, dependsOn: [], cause: 'not found' });
    createdBy.set(network.name, id);
  }

  const actualObjects = [...actual.configs.map((o) => ({ kind: 'config' as const, o })), ...actual.secrets.map((o) => ({ kind: 'secret' as const, o }))];
  const existing = new Set(actualObjects.map(({ kind, o }) => `${kind}:${o.name}`));
  for (const object of desired.objects) {
    if (object.external || object.spec === undefined || existing.has(`${object.kind}:${object.name}`)) continue;
    const previous = actualObjects.some(({ kind, o }) => kind === object.kind && o.labels[StackLabel.key] === object.key);
    const id = `${object.kind}:${object.name}#create`;
    nodes.push({
      id, resource: `${object.kind}:${object.name}`, operation: { type: 'create-object', kind: object.kind, name: object.name, spec: object.spec },
      dependsOn: [], cause: previous ? `content of ${object.key} changed` : 'not found',
    });
    createdBy.set(object.name, id);
  }

  const actualServices = new Map(actual.services.map((s) => [s.spec.Name, s]));
  const serviceNode = new Map<string, string>();
  const awaits: StackPlanNode[] = [];
  const byKey = new Map(desired.services.map((s) => [s.key, s]));
  const networkNames = new Map(actual.networks.map((n) => [n.id, n.name]));
  const decisions = new Map(desired.services.map((s) => [s.key, serviceDecision(s, actualServices.get(s.name), networkNames)]));
  for (const service of desired.services) {
    const decision = decisions.get(service.key);
    if (decision !== undefined) serviceNode.set(service.key, `service:${service.key}#${decision.verb}`);
  }
  for (const service of desired.services) {
    const decision = decisions.get(service.key);
    if (decision === undefined) continue;
    const after = [...service.networks, ...service.objects].map((n) => createdBy.get(n)).filter((n): n is string => n !== undefined);
    for (const [dep, condition] of service.dependsOn) {
      const depNode = serviceNode.get(dep);
      if (depNode === undefined) continue;
      if (condition === 'service_started') {
        after.push(depNode);
        continue;
      }
      const waitId = `service:${dep}#await`;
      if (!awaits.some((n) => n.id === waitId)) {
        awaits.push({
          id: waitId, resource: `service:${dep}`,
          operation: { type: 'await-service', service: dep, name: byKey.get(dep)?.name ?? dep, condition },
          dependsOn: [depNode], cause: `${condition} for ${service.key}`,
        });
      }
      after.push(waitId);
    }
    const current = actualServices.get(service.name);
    const id = serviceNode.get(service.key) as string;
    const operation: StackOperation = current === undefined
      ? { type: 'create-service', service: service.key, name: service.name, spec: service.spec }
      : {
        type: 'update-service', service: service.key, name: service.name, id: current.id, version: current.version,
        // Like docker stack deploy: keep the ForceUpdate counter, or the update would restart every task.
        spec: withForceUpdate(service.spec, at(current.spec, ['TaskTemplate', 'ForceUpdate'])),
      };
    nodes.push({ id, resource: `service:${service.key}`, operation, dependsOn: [...new Set(after)].sort(), cause: decision.cause });
  }

  nodes.push(...awaits);
  const desiredNames = new Set(desired.services.map((s) => s.name));
  const leftovers = actual.services.filter((s) => !desiredNames.has(s.spec.Name)).sort((a, b) => a.spec.Name.localeCompare(b.spec.Name));
  const removals: string[] = [];
  for (const s of leftovers) {
    const short = s.spec.Name.startsWith(`${desired.stack}_`) ? s.spec.Name.slice(desired.stack.length + 1) : s.spec.Name;
    if (!options.prune) {
      warnings.push(`service ${short} is no longer in the compose file; --prune removes it`);
      continue;
    }
    const id = `service:${short}#remove`;
    nodes.push({ id, resource: `service:${short}`, operation: { type: 'remove-service', name: s.spec.Name, id: s.id }, dependsOn: [], cause: 'not in the compose file (--prune)' });
    removals.push(id);
  }

  // What stays in use once the plan ran: the desired specs and the services left alone.
  const kept = leftovers.filter(() => !options.prune).map((s) => s.spec);
  const stillUsed = new Set([...desired.services.map((s) => s.spec), ...kept].flatMap(objectNamesOf));
  const serviceSteps = [...serviceNode.values(), ...removals].sort();
  const desiredObjectNames = new Set(desired.objects.map((o) => `${o.kind}:${o.name}`));
  for (const { kind, o } of actualObjects.sort((a, b) => a.o.name.localeCompare(b.o.name))) {
    if (desiredObjectNames.has(`${kind}:${o.name}`) || stillUsed.has(o.name)) continue;
    nodes.push({
      id: `${kind}:${o.name}#remove`, resource: `${kind}:${o.name}`, operation: { type: 'remove-object', kind, name: o.name, id: o.id },
      dependsOn: serviceSteps, cause: 'no longer used',
    });
  }
  if (options.prune) {
    const usedNetworks = new Set([...desired.networks.map((n) => n.name), ...kept.flatMap(networkNamesOf)]);
    for (const n of [...actual.networks].sort((a, b) => a.name.localeCompare(b.name))) {
      if (usedNetworks.has(n.name)) continue;
      nodes.push({ id: `network:${n.name}#remove`, resource: `network:${n.name}`, operation: { type: 'remove-network', name: n.name, id: n.id }, dependsOn: removals, cause: 'no longer used (--prune)' });
    }
  }
  return { nodes, warnings };
}

function withForceUpdate(spec: ServiceSpec, force: unknown): ServiceSpec {
  if (typeof force !== 'number' || force === 0) return spec;
  return { ...spec, TaskTemplate: { ...(spec['TaskTemplate'] as Record<string, unknown>), ForceUpdate: force } };
}

function verb(node: StackPlanNode): string {
  return node.id.slice(node.id.indexOf('#') + 1);
}

/**
 * The steps in an order apply could run them: each after what it waits for, otherwise as planned
 * (an await step right before the service that waits on it, not at the end).
 */
export function executionOrder(nodes: readonly StackPlanNode[]): StackPlanNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: StackPlanNode[] = [];
  const seen = new Set<string>();
  const visit = (node: StackPlanNode): void => {
    if (seen.has(node.id)) return;
    seen.add(node.id);
    for (const dep of node.dependsOn) {
      const before = byId.get(dep);
      if (before !== undefined) visit(before);
    }
    out.push(node);
  };
  for (const node of nodes) visit(node);
  return out;
}

/** One line per step: `<resource>  <verb>  <cause>  after <ids>`; the same shape as `up --dry-run`. */
export function formatStackPlan(plan: StackPlan): string {
  if (plan.nodes.length === 0) return 'nothing to do';
  const width = Math.max(...plan.nodes.map((n) => n.resource.length));
  return executionOrder(plan.nodes)
    .map((n) => {
      const after = n.dependsOn.length > 0 ? `  after ${n.dependsOn.join(', ')}` : '';
      return `${n.resource.padEnd(width)}  ${verb(n).padEnd(7)} ${n.cause}${after}`;
    })
    .join('\n');
}
