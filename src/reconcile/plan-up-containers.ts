import { ConfigError } from '../errors.js';
import { serviceConfigHash } from '../model/config-hash.js';
import { isRunning, needsStop } from '../model/container-state.js';
import { containerName, isDefaultContainerName, serviceImage } from '../model/naming.js';
import type { Service } from '../model/project.js';
import { desiredReplicas, serviceNetworkKeys } from '../model/project.js';
import { imageKey, parseKeyDigests, type ObservedContainer } from './actual.js';
import { buildContainerSpec, endpointConfig, keyDigests } from './container-spec.js';
import { filesToCopy, hookRequest } from './hooks.js';
import type { PlanBuilder } from './plan-builder.js';
import { planPreStartHooks } from './pre-start-hooks.js';
import type { AwaitCondition } from './plan-types.js';
import type { UpState } from './plan-up-state.js';

/** Why a container must be replaced, or undefined when it may stay. */
export function recreateCause(
  service: Service,
  container: ObservedContainer,
  expectedImageId: string | undefined,
  expectedNetworks: readonly string[],
  force: boolean,
  renewAnonVolumes: boolean,
): string | undefined {
  if (force) return 'forced (--force-recreate)';
  if (renewAnonVolumes) return 'renew anonymous volumes (-V)';
  if (container.configHash !== serviceConfigHash(service)) {
    if (container.keyDigests === undefined) return 'config hash differs (container made by another tool)';
    const now = parseKeyDigests(keyDigests(service));
    const keys = [...new Set([...Object.keys(now), ...Object.keys(container.keyDigests)])]
      .filter((k) => now[k] !== container.keyDigests?.[k])
      .sort();
    return keys.length > 0 ? `changed: ${keys.join(', ')}` : 'config hash differs';
  }
  if (expectedImageId !== undefined && container.imageId !== undefined && container.imageId !== expectedImageId) {
    return `image changed (${shortId(container.imageId)} -> ${shortId(expectedImageId)})`;
  }
  // A created container lists the networks it will join: one missing there is a create killed
  // before it connected the extra networks.
  if (container.state === 'running' || container.state === 'created') {
    const missing = expectedNetworks.filter((n) => !container.networks.includes(n));
    if (missing.length > 0) {
      return `not attached to network ${missing.join(', ')}${container.state === 'created' ? ' (left by an interrupted run)' : ''}`;
    }
  }
  return undefined;
}

/** A container the engine refused to start because a task of it outlived an engine restart. */
function staleTaskCause(c: ObservedContainer, unstartable: ReadonlySet<string> | undefined): string | undefined {
  if (unstartable === undefined || (!unstartable.has(c.id) && !unstartable.has(c.name))) return undefined;
  return 'the engine cannot start it: a task of it outlived an engine restart (moby/moby#50040)';
}

/** Services whose container this one shares a namespace or volumes with: recreating them invalidates this one. */
export function namespaceSources(service: Service): { readonly service: string; readonly via: string }[] {
  const out: { service: string; via: string }[] = [];
  for (const [key, mode] of [['network_mode', service.network_mode], ['pid', service.pid], ['ipc', service.ipc]] as const) {
    if (mode?.startsWith('service:') === true) out.push({ service: mode.slice('service:'.length), via: key });
  }
  for (const v of service.volumes_from ?? []) {
    if (!v.startsWith('container:')) out.push({ service: v.split(':')[0] as string, via: 'volumes_from' });
  }
  return out;
}

/** Services whose containers this one names in its create request. */
function sharedServices(service: Service): string[] {
  return [...namespaceSources(service).map((s) => s.service), ...(service.links ?? []).map((l) => l.split(':')[0] as string)];
}

/** A replacement is created as `<12 hex of the old ID>_<final name>` and renamed once the old one is gone. */
export function isTemporaryName(container: ObservedContainer): boolean {
  return /^[0-9a-f]{12}_/.test(container.name);
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/**
 * Only a published port *range* races: the engine tries the range's ports in turn and two
 * concurrent starts can both pick the same one (docker/compose#8530, #10067). An empty host port
 * comes from the engine's locked ephemeral allocator, so those starts stay parallel.
 */
function publishesEphemeralPort(service: Service): boolean {
  return service.ports.some((p) => p.published?.includes('-') === true);
}

function postStartHooks(plan: PlanBuilder, resource: string, display: string, service: Service, start: string): string[] {
  return (service.post_start ?? []).map((hook, i) => plan.add(resource, display,
    { type: 'exec-hook', container: display, hook: 'post_start', request: hookRequest(hook) }, `post_start hook ${i + 1}`, [start]));
}

/** What every container step of one service needs to know, worked out once. */
interface ServiceRound {
  readonly name: string;
  readonly service: Service;
  readonly replicas: number;
  readonly imageId: string | undefined;
  /** Named on the command line: -V and --force-recreate apply to it. */
  readonly isNamed: boolean;
  /** The service's existing containers. */
  readonly mine: readonly ObservedContainer[];
  /** Existing containers that stay (updated or not), lowest numbers first; `extra` ones go. */
  readonly kept: readonly ObservedContainer[];
  readonly extra: readonly ObservedContainer[];
  readonly causeOf: (c: ObservedContainer) => string | undefined;
  readonly awaits: readonly AwaitCondition[];
  /** The dependencies' start steps. */
  readonly depStartNodes: readonly string[];
  /** The network, volume and image steps, and the containers it shares namespaces with or links to. */
  readonly createAfter: readonly (string | undefined)[];
  readonly serviceContainer: (svc: string) => string;
}

/** Phase 4: containers, service by service in dependency order. */
export function planContainers(state: UpState): void {
  for (const name of state.order) planService(state, roundOf(state, name));
}

function roundOf(state: UpState, name: string): ServiceRound {
  const { project, snapshot, options, observed, targets, recreated, startNodes, containerNames } = state;
  const service = project.services[name] as Service;
  const replicas = (Object.hasOwn(options.scale, name) ? options.scale[name] : undefined) ?? desiredReplicas(service);
  if (service.container_name !== undefined && replicas > 1) {
    throw new ConfigError(`service "${name}" sets container_name and cannot have ${replicas} replicas`, {
      keyPath: `services.${name}.container_name`,
      hint: 'remove container_name, or keep one replica',
    });
  }
  const image = serviceImage(project, name);
  const imageId = snapshot.images.get(imageKey(image))?.id;
  const expectedNetworks = serviceNetworkKeys(service).map((k) => project.networks[k]?.name ?? k);
  const isNamed = state.named.has(name);
  const force = options.forceRecreate && (isNamed || options.alwaysRecreateDeps);
  const mine = observed.filter((c) => c.service === name);
  const sharedRecreated = namespaceSources(service).find((src) => recreated.has(src.service));
  // Asked several times per container (ranking, gates, steps): the config hash is worth computing once.
  const causes = new Map<string, string | undefined>();
  const causeOf = (c: ObservedContainer): string | undefined => {
    if (causes.has(c.id)) return causes.get(c.id);
    const cause = options.noRecreate
      ? undefined
      : staleTaskCause(c, options.unstartable) ?? recreateCause(service, c, imageId, expectedNetworks, force, options.renewAnonVolumes && isNamed) ??
        (sharedRecreated === undefined ? undefined : `${sharedRecreated.via} shares with recreated service ${sharedRecreated.service}`);
    causes.set(c.id, cause);
    return cause;
  };
  // Keep up-to-date containers before outdated ones, then the lowest numbers; of two with one
  // number (an interrupted recreate left both), the one under its final name.
  const ranked = [...mine].sort((a, b) =>
    Number(causeOf(a) !== undefined) - Number(causeOf(b) !== undefined) || a.number - b.number ||
    Number(isTemporaryName(a)) - Number(isTemporaryName(b)));
  const deps = Object.entries(service.depends_on).filter(([dep]) => targets.has(dep));
  return {
    name,
    service,
    replicas,
    imageId,
    isNamed,
    mine,
    ...keptAndExtra(ranked, replicas),
    causeOf,
    awaits: deps.map(([dep, d]) => ({ service: dep, condition: d.condition, required: d.required, containers: containerNames.get(dep) ?? [] })),
    depStartNodes: deps.flatMap(([dep]) => startNodes.get(dep) ?? []),
    createAfter: [
      ...serviceNetworkKeys(service).map((k) => state.networkNode.get(k)),
      ...service.volumes.map((v) => (v.type === 'volume' && v.source !== undefined ? state.volumeNode.get(v.source) : undefined)),
      state.imageNode.get(imageKey(image)),
      // Containers this one shares a namespace or volumes with, or links to, must exist first.
      ...sharedServices(service).filter((dep) => targets.has(dep)).flatMap((dep) => startNodes.get(dep) ?? []),
    ],
    serviceContainer: (svc) =>
      (containerNames.get(svc) ?? [])[0] ?? project.services[svc]?.container_name ?? containerName(project.name, svc, 1, project.name_separator),
  };
}

/**
 * The best container of each number stays, up to the scale; the rest go (highest numbers first),
 * among them the second container of a number that an interrupted recreate left.
 */
function keptAndExtra(ranked: readonly ObservedContainer[], replicas: number): { kept: ObservedContainer[]; extra: ObservedContainer[] } {
  const kept: ObservedContainer[] = [];
  const extra: ObservedContainer[] = [];
  const numbers = new Set<number>();
  for (const c of ranked) {
    if (kept.length < replicas && !numbers.has(c.number)) {
      kept.push(c);
      numbers.add(c.number);
    } else extra.push(c);
  }
  return { kept: kept.sort((a, b) => a.number - b.number), extra: extra.sort((a, b) => b.number - a.number) };
}

function planService(state: UpState, round: ServiceRound): void {
  const dependentStops = stopRestartingDependents(state, round);
  const extraRemovals = removeExtras(state, round);
  let next = Math.max(0, ...round.mine.map((c) => c.number)) + 1;
  const slots: (ObservedContainer | undefined)[] = [...round.kept];
  while (slots.length < round.replicas) slots.push(undefined);
  const names: string[] = [];
  const starts: string[] = [];
  const gate = preStartGate(state, round);
  for (const existing of slots) {
    const number = existing?.number ?? next++;
    const cause = existing === undefined ? 'not found' : round.causeOf(existing);
    // A container kept as it is keeps its name, made with either separator: names are for display,
    // containers are found by labels. A new one is named with this run's separator.
    const kept = existing !== undefined && cause === undefined && isDefaultContainerName(existing.name, state.project.name, round.name, number);
    const finalName = round.service.container_name ?? (kept ? existing.name : containerName(state.project.name, round.name, number, state.project.name_separator));
    names.push(finalName);
    starts.push(...(existing === undefined || cause !== undefined
      ? createContainer(state, round, { existing, number, finalName, cause: cause ?? 'not found', dependentStops }, gate)
      : keepContainer(state, round, existing, finalName, extraRemovals, gate)));
  }
  state.startNodes.set(round.name, starts);
  state.containerNames.set(round.name, names);
}

/**
 * The steps every start of the service waits for: its `pre_start` hooks, planned on the first call
 * (with the first replica's readiness and the container whose volumes the hooks get). As in
 * Compose, they run only when no replica of the service stays running through this run.
 */
type StartGate = (ready: readonly (string | undefined)[], replica: string) => string[];

function preStartGate(state: UpState, round: ServiceRound): StartGate {
  const hooks = round.service.pre_start ?? [];
  const staysRunning = round.kept.some((c) => isRunning(c.state) && round.causeOf(c) === undefined && !state.stoppedForDependency.has(c.id));
  if (hooks.length === 0 || state.options.noStart || staysRunning) return () => [];
  let gate: string[] | undefined;
  return (ready, replica) => {
    gate ??= planPreStartHooks({
      plan: state.plan, project: state.project, service: round.name, snapshot: state.snapshot,
      after: [...ready, ...round.depStartNodes], replica, awaits: round.awaits, serviceContainer: round.serviceContainer,
    });
    return gate;
  };
}

/** A recreate here first stops the running dependents that ask for it (depends_on.restart: true). */
function stopRestartingDependents(state: UpState, round: ServiceRound): string[] {
  const { project, plan, options, observed, order, stoppedForDependency } = state;
  if (!round.kept.some((c) => round.causeOf(c) !== undefined)) return [];
  state.recreated.add(round.name);
  const stops: string[] = [];
  for (const dependent of order.filter((d) => project.services[d]?.depends_on[round.name]?.restart === true)) {
    for (const c of observed.filter((x) => x.service === dependent && isRunning(x.state))) {
      if (stoppedForDependency.has(c.id)) continue;
      const node = plan.add(`container:${c.name}`, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout },
        `dependency ${round.name} is recreated (restart: true)`);
      stoppedForDependency.set(c.id, { node, dependency: round.name });
      stops.push(node);
    }
  }
  return stops;
}

/** Containers beyond the wanted scale go, highest numbers first. */
function removeExtras(state: UpState, round: ServiceRound): string[] {
  const { plan, options } = state;
  return round.extra.map((c) => {
    const resource = `container:${c.name}`;
    // Two containers with one number: a recreate was interrupted between create and rename.
    const why = round.kept.some((k) => k.number === c.number)
      ? `left by an interrupted run: a second container for replica ${c.number}`
      : `scale down to ${round.replicas}`;
    const stop = needsStop(c.state)
      ? plan.add(resource, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout }, why)
      : undefined;
    return plan.add(resource, c.name, { type: 'remove-container', container: c.id, removeVolumes: false }, why, [stop]);
  });
}

interface Slot {
  /** The container it replaces, if any. */
  readonly existing: ObservedContainer | undefined;
  readonly number: number;
  readonly finalName: string;
  readonly cause: string;
  readonly dependentStops: readonly string[];
}

/**
 * A new container, or the replacement of an outdated one: created under a temporary name beside
 * the old one (keeping its anonymous volumes), the old one stopped and removed, then renamed.
 * Returns its start steps.
 */
function createContainer(state: UpState, round: ServiceRound, slot: Slot, gate: StartGate): string[] {
  const { project, plan, options, stoppedForDependency } = state;
  const { service, name } = round;
  const { existing, finalName } = slot;
  const resource = `container:${finalName}`;
  const createName = existing === undefined ? finalName : `${existing.id.slice(0, 12)}_${finalName}`;
  const spec = buildContainerSpec({
    project, service: name, number: slot.number, name: createName, imageId: round.imageId, serviceContainer: round.serviceContainer,
    carriedVolumes: carriedVolumes(state, round, existing),
    ...(existing === undefined ? {} : { replaces: existing.name }),
    ...(state.options.seccompProfiles === undefined ? {} : { seccompProfiles: state.options.seccompProfiles }),
    ...(state.options.proxyEnvironment === undefined ? {} : { proxyEnvironment: state.options.proxyEnvironment }),
  });
  const create = plan.add(resource, finalName, { type: 'create-container', service: name, spec }, slot.cause, round.createAfter);
  let ready = create;
  const files = filesToCopy(project, service);
  if (files.length > 0) {
    ready = plan.add(resource, finalName, { type: 'copy-files', container: createName, files },
      `${files.length} secret/config file${files.length === 1 ? '' : 's'}`, [create]);
  }
  if (existing !== undefined) {
    const live = needsStop(existing.state);
    const earlierStop = stoppedForDependency.get(existing.id)?.node;
    const preStop = live && earlierStop === undefined
      ? (service.pre_stop ?? []).map((hook, i) => plan.add(resource, finalName,
        { type: 'exec-hook', container: existing.id, hook: 'pre_stop', request: hookRequest(hook) }, `pre_stop hook ${i + 1}`, [ready]))
      : [];
    const stop = live && earlierStop === undefined
      ? plan.add(resource, finalName, { type: 'stop-container', container: existing.id, timeout: options.timeout }, 'replaced',
        [ready, ...preStop, ...slot.dependentStops])
      : undefined;
    const remove = plan.add(resource, finalName, { type: 'remove-container', container: existing.id, removeVolumes: false },
      'replaced', [ready, stop ?? earlierStop]);
    ready = plan.add(resource, finalName, { type: 'rename-container', container: createName, newName: finalName }, 'replaced', [remove]);
  }
  if (options.noStart) return [];
  const hooks = gate([ready], finalName);
  const start = plan.add(resource, finalName, {
    type: 'start-container', service: name, container: finalName, awaits: round.awaits, allocatesPorts: publishesEphemeralPort(service),
  }, existing === undefined ? 'created' : 'recreated', [ready, ...round.depStartNodes, ...hooks]);
  return [start, ...postStartHooks(plan, resource, finalName, service, start)];
}

/** The anonymous volumes a replacement takes over from the container it replaces (unless -V). */
function carriedVolumes(state: UpState, round: ServiceRound, existing: ObservedContainer | undefined): Record<string, string> {
  const carried: Record<string, string> = {};
  if (existing === undefined || (state.options.renewAnonVolumes && round.isNamed)) return carried;
  for (const v of round.service.volumes) {
    if (v.type !== 'volume' || v.source !== undefined) continue;
    const mount = existing.summary.mounts.find((m) => m.destination === v.target && m.type === 'volume');
    if (mount?.name !== undefined) carried[v.target] = mount.name;
  }
  return carried;
}

/**
 * An up-to-date container stays: renamed back if a recreate was interrupted, reconnected to
 * recreated networks, started (or unpaused) when it is not running. Returns its start steps.
 */
function keepContainer(
  state: UpState, round: ServiceRound, existing: ObservedContainer, finalName: string, extraRemovals: readonly string[], gate: StartGate,
): string[] {
  const { project, plan, options, stoppedForDependency } = state;
  const { service, name } = round;
  const resource = `container:${finalName}`;
  const starts: string[] = [];
  // An up-to-date container still under its temporary `<id>_<name>` name gets its final name back.
  const renamed = existing.name === finalName
    ? undefined
    : plan.add(resource, finalName, { type: 'rename-container', container: existing.id, newName: finalName },
      'left by an interrupted run: the replacement gets its name back', extraRemovals);
  if (renamed !== undefined) starts.push(renamed);
  // A container killed between its create and its start may not have its secret and config files yet.
  const files = existing.state === 'created' ? filesToCopy(project, service) : [];
  const copied = files.length === 0 ? undefined : plan.add(resource, finalName, { type: 'copy-files', container: existing.id, files },
    `${files.length} secret/config file${files.length === 1 ? '' : 's'} (created, never started)`, [renamed]);
  const reconnects = (state.disconnected.get(existing.id) ?? []).map(({ key, why }) => plan.add(resource, finalName, {
    type: 'connect-network',
    network: project.networks[key]?.name ?? key,
    container: existing.id,
    config: endpointConfig(name, service, key),
  }, why, [state.networkNode.get(key), renamed]));
  starts.push(...reconnects);
  const restartFor = stoppedForDependency.get(existing.id);
  if (existing.state === 'paused' && restartFor === undefined) {
    starts.push(plan.add(resource, finalName, { type: 'unpause-container', container: existing.id }, 'paused', [...round.depStartNodes, renamed]));
  } else if (!options.noStart && (existing.state !== 'running' || restartFor !== undefined)) {
    const hooks = gate([restartFor?.node, renamed, copied, ...reconnects], renamed === undefined ? existing.id : finalName);
    const start = plan.add(resource, finalName, {
      type: 'start-container', service: name, container: existing.id, awaits: round.awaits, allocatesPorts: publishesEphemeralPort(service),
    }, restartFor === undefined ? stateCause(existing) : `restart after ${restartFor.dependency} was recreated`,
    [...(restartFor === undefined ? [] : [restartFor.node]), ...round.depStartNodes, renamed, copied, ...reconnects, ...hooks,
      ...(reconnects.length > 0 ? [] : serviceNetworkKeys(service).map((k) => state.networkNode.get(k)))]);
    starts.push(start, ...postStartHooks(plan, resource, finalName, service, start));
  }
  return starts;
}

function stateCause(container: ObservedContainer): string {
  return container.state === 'created' ? 'created, never started' : container.state;
}
