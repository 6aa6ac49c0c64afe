import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { canonicalJson } from '../model/config-hash.js';
import { needsStop } from '../model/container-state.js';
import { Label } from '../model/labels.js';
import type { Project, Service } from '../model/project.js';
import { serviceNetworkKeys } from '../model/project.js';
import type { NetworkSummary } from '../engine/engine.js';
import type { PlanOperation } from './plan-types.js';
import type { ObservedContainer } from './actual.js';
import type { UpState } from './plan-up-state.js';
import { ownedBy, resourceLabels } from './resource-labels.js';

type NetworkDefinition = Project['networks'][string];

/** Stored on networks we create, so a later `up` can tell that the file's definition changed. */
export function networkConfigHash(network: NetworkDefinition): string {
  const { name: _name, ...rest } = network;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

function createNetworkOperation(project: Project, key: string, network: NetworkDefinition): PlanOperation {
  return {
    type: 'create-network',
    name: network.name,
    spec: {
      name: network.name,
      driver: network.driver ?? 'bridge',
      ...(network.driver_opts === undefined ? {} : { driverOpts: network.driver_opts }),
      labels: { ...network.labels, ...resourceLabels(project.name, 'network', key), [Label.configHash]: networkConfigHash(network) },
      ...(network.internal === undefined ? {} : { internal: network.internal }),
      ...(network.attachable === undefined ? {} : { attachable: network.attachable }),
      ...(network.enable_ipv4 === undefined ? {} : { enableIpv4: network.enable_ipv4 }),
      ...(network.enable_ipv6 === undefined ? {} : { enableIpv6: network.enable_ipv6 }),
      ...(network.ipam === undefined ? {} : {
        ipam: {
          driver: network.ipam.driver ?? 'default',
          pools: (network.ipam.config ?? []).map((c) => ({
            subnet: c.subnet, ipRange: c.ip_range, gateway: c.gateway, auxAddresses: c.aux_addresses,
          })),
          options: network.ipam.options ?? {},
        },
      }),
    },
  };
}

/** Phase 1: the networks the targeted services use: created when missing, recreated when their definition changed. */
export function planNetworks(state: UpState): void {
  const { project, snapshot, order } = state;
  const used = new Set([
    ...order.flatMap((s) => serviceNetworkKeys(project.services[s] as Service)),
    ...(state.options.allResources === true ? Object.keys(project.networks) : []),
  ]);
  for (const key of [...used].sort()) {
    const network = project.networks[key];
    if (network === undefined) throw new ConfigError(`service network "${key}" is not declared`, { keyPath: `networks.${key}` });
    const [existing, ...duplicates] = snapshot.networks.filter((n) => n.name === network.name).sort((a, b) => a.id.localeCompare(b.id));
    const removed = removeDuplicates(state, key, network, duplicates);
    state.networkNode.set(key, planNetwork(state, key, network, existing) ?? removed);
  }
}

/**
 * The engine's duplicate-name check is not atomic: two runs creating the same network at the same
 * moment (from two machines) can both succeed, and the name becomes ambiguous. The project's
 * extra copies go (every run keeps the same one: the lowest ID); containers that already joined an
 * extra copy are stopped and disconnected first, and the containers phase joins them to the copy
 * that stays. A copy that a container outside this run joined is left, with a warning.
 */
function removeDuplicates(state: UpState, key: string, network: NetworkDefinition, duplicates: readonly NetworkSummary[]): string | undefined {
  let last: string | undefined;
  for (const duplicate of duplicates) {
    if (network.external === true || !ownedBy(duplicate.labels, state.project.name, 'network', key)) continue;
    const attached = state.observed.filter((c) => c.summary.networkIds[network.name] === duplicate.id || duplicate.endpoints?.includes(c.id) === true);
    const outside = (state.scope === 'infrastructure' ? attached : attached.filter((c) => !state.order.includes(c.service))).map((c) => c.name);
    // Endpoints of containers this run does not know (another project's, or made after our read).
    const unknown = (duplicate.endpoints ?? []).filter((id) => !state.observed.some((c) => c.id === id)).map((id) => id.slice(0, 12));
    if (outside.length + unknown.length > 0) {
      state.plan.warnings.push(
        `network ${network.name} exists twice (two runs created it at once), but ${[...outside, ...unknown].join(', ')} ` +
        '(not part of this run) joined the second copy: it is kept; run `up` for the whole project to remove it',
      );
      continue;
    }
    const why = `network ${key} exists twice: leaving the copy made by a concurrent run`;
    const disconnects = disconnectAll(state, key, duplicate.id, attached, why, `network ${key}: joins the copy that stays`);
    last = state.plan.add(`network:${key}`, network.name, { type: 'remove-network', name: network.name, id: duplicate.id },
      'a second network of this name, made by a concurrent run', [last, ...disconnects]);
  }
  return last;
}

/**
 * Stops (once) and disconnects each container from the network `networkRef` (a name, or an ID
 * when the name is ambiguous); the containers phase reconnects and restarts them.
 */
function disconnectAll(
  state: UpState, key: string, networkRef: string, attached: readonly ObservedContainer[], why: string, rejoin: string,
): string[] {
  const { plan, options, stoppedForDependency, disconnected } = state;
  return attached.map((c) => {
    const resource = `container:${c.name}`;
    const live = needsStop(c.state);
    const stop = live && !stoppedForDependency.has(c.id)
      ? plan.add(resource, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout }, why)
      : stoppedForDependency.get(c.id)?.node;
    const node = plan.add(resource, c.name, { type: 'disconnect-network', network: networkRef, container: c.id }, why, [stop]);
    if (live) stoppedForDependency.set(c.id, { node, dependency: `network ${key}` });
    disconnected.set(c.id, [...(disconnected.get(c.id) ?? []), { key, why: rejoin }]);
    return node;
  });
}

/** The step that makes the network ready, or undefined when it is ready already. */
function planNetwork(state: UpState, key: string, network: NetworkDefinition, existing: NetworkSummary | undefined): string | undefined {
  const { project, plan } = state;
  if (network.external === true) {
    if (existing === undefined) {
      throw new ConfigError(`external network "${network.name}" not found`, {
        keyPath: `networks.${key}`,
        hint: `create it first (docker network create ${network.name}) or remove external: true`,
      });
    }
    return undefined;
  }
  if (existing === undefined) {
    return plan.add(`network:${key}`, network.name, createNetworkOperation(project, key, network), 'not found');
  }
  if (!ownedBy(existing.labels, project.name, 'network', key)) {
    plan.warnings.push(
      `a network named ${network.name} exists but was not created by this project: it is used as is; set external: true to silence this`,
    );
    return undefined;
  }
  const stored = existing.labels[Label.configHash];
  const driverDiffers = existing.driver !== '' && existing.driver !== (network.driver ?? 'bridge');
  if (!driverDiffers && (stored === undefined || stored === networkConfigHash(network))) return undefined;
  const cause = driverDiffers ? `driver changed (${existing.driver} -> ${network.driver ?? 'bridge'})` : 'definition changed';
  return recreateNetwork(state, key, network, existing, cause);
}

/**
 * Compose recreates a changed network in place: stop and disconnect its containers, remove,
 * create; the containers phase reconnects and restarts them. Refused (with a warning) while
 * containers outside this run use it (when planning infrastructure only, that is any container).
 */
function recreateNetwork(state: UpState, key: string, network: NetworkDefinition, existing: NetworkSummary, cause: string): string | undefined {
  const { project, plan, observed, order } = state;
  const attached = observed.filter((c) => c.networks.includes(network.name));
  const outside = state.scope === 'infrastructure' ? attached : attached.filter((c) => !order.includes(c.service));
  if (outside.length > 0) {
    plan.warnings.push(
      `network ${network.name} was created from a different definition, but ${outside.map((c) => c.name).join(', ')} (not part of this run) ` +
      'use it: it is kept as it is; run `up` for the whole project, or `down` and `up`, to recreate it',
    );
    return undefined;
  }
  const disconnects = disconnectAll(state, key, network.name, attached, `network ${key} is recreated`, `network ${key} was recreated`);
  const remove = plan.add(`network:${key}`, network.name, { type: 'remove-network', name: network.name, id: existing.id }, cause, disconnects);
  return plan.add(`network:${key}`, network.name, createNetworkOperation(project, key, network), 'recreated', [remove]);
}
