import { ConfigError } from '../errors.js';
import { startOrder, withDependencies, type DependencyMap } from '../graph/dependency-graph.js';
import { createHash } from 'node:crypto';
import { canonicalJson, serviceConfigHash } from '../model/config-hash.js';
import { COMPOSE_VERSION_LABEL, Label } from '../model/labels.js';
import { containerName, defaultImageName } from '../model/naming.js';
import type { Project, Service } from '../model/project.js';
import { desiredReplicas, serviceNetworkKeys } from '../model/project.js';
import { imageKey, parseKeyDigests, type ObservedContainer, type Snapshot } from './actual.js';
import { buildContainerSpec, endpointConfig, keyDigests } from './container-spec.js';
import { filesToCopy, hookRequest } from './hooks.js';
import { PlanBuilder } from './plan-builder.js';
import type { AwaitCondition, Plan, PlanOperation } from './plan-types.js';
import { assertEnabledServices } from './known-services.js';
import { planImages, type ImagePlanOptions } from './plan-images.js';

export interface UpPlanOptions extends ImagePlanOptions {
  /** Services named on the command line; empty means all. */
  readonly services: readonly string[];
  readonly noDeps: boolean;
  readonly forceRecreate: boolean;
  readonly noRecreate: boolean;
  readonly alwaysRecreateDeps: boolean;
  readonly renewAnonVolumes: boolean;
  readonly removeOrphans: boolean;
  readonly ignoreOrphans: boolean;
  readonly noStart: boolean;
  readonly scale: Readonly<Record<string, number>>;
  readonly timeout: number | undefined;
  /** From preflight: seccomp profiles the create requests embed. */
  readonly seccompProfiles?: ReadonlyMap<string, string>;
}

export const defaultUpPlanOptions: UpPlanOptions = {
  services: [],
  noDeps: false,
  forceRecreate: false,
  noRecreate: false,
  alwaysRecreateDeps: false,
  renewAnonVolumes: false,
  removeOrphans: false,
  ignoreOrphans: false,
  noStart: false,
  scale: {},
  timeout: undefined,
};

export function dependencyMap(services: Project['services']): DependencyMap {
  const out: Record<string, string[]> = {};
  for (const [name, service] of Object.entries(services)) out[name] = Object.keys(service.depends_on);
  return out;
}

/** Stored on networks we create, so a later `up` can tell that the file's definition changed. */
export function networkConfigHash(network: Project['networks'][string]): string {
  const { name: _name, ...rest } = network;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

const resourceLabels = (project: Project, kind: 'network' | 'volume', key: string): Record<string, string> => ({
  [Label.project]: project.name,
  [kind === 'network' ? Label.network : Label.volume]: key,
  [Label.version]: COMPOSE_VERSION_LABEL,
});

function ownedBy(labels: Readonly<Record<string, string>>, project: string, kind: 'network' | 'volume', key: string): boolean {
  return labels[Label.project] === project && labels[kind === 'network' ? Label.network : Label.volume] === key;
}

function createNetworkOperation(project: Project, key: string, network: Project['networks'][string]): PlanOperation {
  return {
    type: 'create-network',
    name: network.name,
    body: {
      Name: network.name,
      Driver: network.driver ?? 'bridge',
      ...(network.driver_opts === undefined ? {} : { Options: network.driver_opts }),
      Labels: { ...network.labels, ...resourceLabels(project, 'network', key), [Label.configHash]: networkConfigHash(network) },
      ...(network.internal === undefined ? {} : { Internal: network.internal }),
      ...(network.attachable === undefined ? {} : { Attachable: network.attachable }),
      ...(network.enable_ipv4 === undefined ? {} : { EnableIPv4: network.enable_ipv4 }),
      ...(network.enable_ipv6 === undefined ? {} : { EnableIPv6: network.enable_ipv6 }),
      ...(network.ipam === undefined ? {} : {
        IPAM: {
          Driver: network.ipam.driver ?? 'default',
          Config: (network.ipam.config ?? []).map((c) => ({
            Subnet: c.subnet, IPRange: c.ip_range, Gateway: c.gateway, AuxiliaryAddresses: c.aux_addresses,
          })),
          Options: network.ipam.options ?? {},
        },
      }),
    },
  };
}

/** The services `up` acts on: the named ones and, unless --no-deps, what they depend on. */
export function targetServices(project: Project, names: readonly string[], noDeps: boolean): string[] {
  assertEnabledServices(project, names);
  if (names.length === 0) return Object.keys(project.services);
  const set = noDeps ? new Set(names) : withDependencies(dependencyMap(project.services), names);
  return [...set];
}

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
  if (container.state === 'running') {
    const missing = expectedNetworks.filter((n) => !container.networks.includes(n));
    if (missing.length > 0) return `not attached to network ${missing.join(', ')}`;
  }
  return undefined;
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
  const out: string[] = [];
  for (const mode of [service.network_mode, service.pid, service.ipc]) {
    if (mode?.startsWith('service:') === true) out.push(mode.slice('service:'.length));
  }
  for (const v of service.volumes_from ?? []) if (!v.startsWith('container:')) out.push(v.split(':')[0] as string);
  for (const l of service.links ?? []) out.push(l.split(':')[0] as string);
  return out;
}

function postStartHooks(plan: PlanBuilder, resource: string, display: string, service: Service, start: string): string[] {
  return (service.post_start ?? []).map((hook, i) => plan.add(resource, display,
    { type: 'exec-hook', container: display, hook: 'post_start', request: hookRequest(hook) }, `post_start hook ${i + 1}`, [start]));
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

/** The plan that brings the engine to the project: networks, volumes, images, then containers. */
export function planUp(project: Project, snapshot: Snapshot, options: UpPlanOptions): Plan {
  const plan = new PlanBuilder();
  const targets = new Set(targetServices(project, options.services, options.noDeps));
  const order = startOrder(dependencyMap(project.services)).filter((s) => targets.has(s));
  const named = new Set(options.services.length === 0 ? order : options.services);

  // Networks the targeted services use.
  const networkNode = new Map<string, string | undefined>();
  const observed = snapshot.containers.filter((c) => !c.oneoff);
  /** Containers stopped before something they rely on is replaced: id → the node to start after, and why. */
  const stoppedForDependency = new Map<string, { node: string; dependency: string }>();
  /** Containers taken off a network that is recreated: id → the network keys to connect them to again. */
  const disconnected = new Map<string, string[]>();
  const usedNetworks = new Set(order.flatMap((s) => serviceNetworkKeys(project.services[s] as Service)));
  for (const key of [...usedNetworks].sort()) {
    const network = project.networks[key];
    if (network === undefined) throw new ConfigError(`service network "${key}" is not declared`, { keyPath: `networks.${key}` });
    const byName = snapshot.networks.find((n) => n.name === network.name);
    if (network.external === true) {
      if (byName === undefined) {
        throw new ConfigError(`external network "${network.name}" not found`, {
          keyPath: `networks.${key}`,
          hint: `create it first (docker network create ${network.name}) or remove external: true`,
        });
      }
      networkNode.set(key, undefined);
      continue;
    }
    if (byName !== undefined) {
      if (!ownedBy(byName.labels, project.name, 'network', key)) {
        plan.warnings.push(
          `a network named ${network.name} exists but was not created by this project: it is used as is; set external: true to silence this`,
        );
      } else {
        const stored = byName.labels[Label.configHash];
        const driverDiffers = byName.driver !== '' && byName.driver !== (network.driver ?? 'bridge');
        if (driverDiffers || (stored !== undefined && stored !== networkConfigHash(network))) {
          const attached = observed.filter((c) => c.networks.includes(network.name));
          const outside = attached.filter((c) => !order.includes(c.service));
          if (outside.length > 0) {
            plan.warnings.push(
              `network ${network.name} was created from a different definition, but ${outside.map((c) => c.name).join(', ')} (not part of this run) ` +
              'use it: it is kept as it is; run `up` for the whole project, or `down` and `up`, to recreate it',
            );
            networkNode.set(key, undefined);
            continue;
          }
          // Compose recreates a changed network in place: stop and disconnect its containers, remove, create, reconnect.
          const why = `network ${key} is recreated`;
          const disconnects = attached.map((c) => {
            const resource = `container:${c.name}`;
            const live = c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
            const stop = live && !stoppedForDependency.has(c.id)
              ? plan.add(resource, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout }, why)
              : stoppedForDependency.get(c.id)?.node;
            const node = plan.add(resource, c.name, { type: 'disconnect-network', network: network.name, container: c.id }, why, [stop]);
            if (live) stoppedForDependency.set(c.id, { node, dependency: `network ${key}` });
            disconnected.set(c.id, [...(disconnected.get(c.id) ?? []), key]);
            return node;
          });
          const remove = plan.add(`network:${key}`, network.name, { type: 'remove-network', name: network.name, id: byName.id },
            driverDiffers ? `driver changed (${byName.driver} -> ${network.driver ?? 'bridge'})` : 'definition changed', disconnects);
          networkNode.set(key, plan.add(`network:${key}`, network.name, createNetworkOperation(project, key, network), 'recreated', [remove]));
          continue;
        }
      }
      networkNode.set(key, undefined);
      continue;
    }
    networkNode.set(key, plan.add(`network:${key}`, network.name, createNetworkOperation(project, key, network), 'not found'));
  }

  // Named volumes the targeted services mount.
  const volumeNode = new Map<string, string | undefined>();
  const usedVolumes = new Set(order.flatMap((s) =>
    (project.services[s] as Service).volumes.filter((v) => v.type === 'volume' && v.source !== undefined).map((v) => v.source as string)));
  for (const key of [...usedVolumes].sort()) {
    const volume = project.volumes[key];
    if (volume === undefined) continue; // the loader reports undeclared volumes
    const existing = snapshot.volumes.find((v) => v.name === volume.name);
    if (volume.external === true) {
      if (existing === undefined) {
        throw new ConfigError(`external volume "${volume.name}" not found`, {
          keyPath: `volumes.${key}`,
          hint: `create it first (docker volume create ${volume.name}) or remove external: true`,
        });
      }
      continue;
    }
    if (existing !== undefined) {
      const wanted = volume.driver ?? 'local';
      if (existing.driver !== '' && existing.driver !== wanted) {
        throw new ConfigError(`volume "${volume.name}" already exists with driver "${existing.driver}", but the file asks for driver "${wanted}"`, {
          keyPath: `volumes.${key}.driver`,
          hint: `keep driver "${existing.driver}" in the file, or remove the volume (its data is lost) with \`docker volume rm ${volume.name}\` and run up again`,
        });
      }
      if (!ownedBy(existing.labels, project.name, 'volume', key)) {
        plan.warnings.push(
          `a volume named ${volume.name} exists but was not created by this project: it is used as is; set external: true to silence this`,
        );
      }
      continue;
    }
    volumeNode.set(key, plan.add(`volume:${key}`, volume.name, {
      type: 'create-volume',
      name: volume.name,
      body: {
        Name: volume.name,
        ...(volume.driver === undefined ? {} : { Driver: volume.driver }),
        ...(volume.driver_opts === undefined ? {} : { DriverOpts: volume.driver_opts }),
        Labels: { ...volume.labels, ...resourceLabels(project, 'volume', key) },
      },
    }, 'not found'));
  }

  // Images: pulled or built as the policies say, once per image.
  const imageNode = planImages(project, order, snapshot, options, plan);

  // Containers, service by service in dependency order.
  const startNodes = new Map<string, string[]>();
  const containerNames = new Map<string, string[]>();
  /** Services with at least one container replaced by this plan. */
  const recreated = new Set<string>();

  for (const name of order) {
    const service = project.services[name] as Service;
    const replicas = options.scale[name] ?? desiredReplicas(service);
    if (service.container_name !== undefined && replicas > 1) {
      throw new ConfigError(`service "${name}" sets container_name and cannot have ${replicas} replicas`, {
        keyPath: `services.${name}.container_name`,
        hint: 'remove container_name, or keep one replica',
      });
    }
    const image = service.image ?? defaultImageName(project.name, name);
    const imageId = snapshot.images.get(imageKey(image))?.id;
    const expectedNetworks = serviceNetworkKeys(service).map((k) => project.networks[k]?.name ?? k);
    const isNamed = named.has(name);
    const force = options.forceRecreate && (isNamed || options.alwaysRecreateDeps);
    const mine = observed.filter((c) => c.service === name);
    const sharedRecreated = namespaceSources(service).find((src) => recreated.has(src.service));
    const causeOf = (c: ObservedContainer): string | undefined => options.noRecreate
      ? undefined
      : recreateCause(service, c, imageId, expectedNetworks, force, options.renewAnonVolumes && isNamed) ??
        (sharedRecreated === undefined ? undefined : `${sharedRecreated.via} shares with recreated service ${sharedRecreated.service}`);
    // Keep up-to-date containers before outdated ones, then the lowest numbers.
    const ranked = [...mine].sort((a, b) =>
      Number(causeOf(a) !== undefined) - Number(causeOf(b) !== undefined) || a.number - b.number);
    const kept = ranked.slice(0, replicas).sort((a, b) => a.number - b.number);
    const extra = ranked.slice(replicas).sort((a, b) => b.number - a.number);

    const deps = Object.entries(service.depends_on).filter(([dep]) => targets.has(dep));
    const awaits: AwaitCondition[] = deps.map(([dep, d]) => ({
      service: dep,
      condition: d.condition,
      required: d.required,
      containers: containerNames.get(dep) ?? [],
    }));
    const depStartNodes = deps.flatMap(([dep]) => startNodes.get(dep) ?? []);
    const infraNodes = [
      ...serviceNetworkKeys(service).map((k) => networkNode.get(k)),
      ...service.volumes.map((v) => (v.type === 'volume' && v.source !== undefined ? volumeNode.get(v.source) : undefined)),
      imageNode.get(imageKey(image)),
    ];
    // Containers this one shares a namespace or volumes with, or links to, must exist first.
    const sharedNodes = sharedServices(service)
      .filter((dep) => targets.has(dep))
      .flatMap((dep) => startNodes.get(dep) ?? []);

    const serviceContainer = (svc: string): string =>
      (containerNames.get(svc) ?? [])[0] ?? project.services[svc]?.container_name ?? containerName(project.name, svc, 1);
    const names: string[] = [];
    const starts: string[] = [];

    // A recreate here first stops the running dependents that ask for it (depends_on.restart: true).
    const dependentStops: string[] = [];
    if (kept.some((c) => causeOf(c) !== undefined)) {
      recreated.add(name);
      for (const dependent of order.filter((d) => project.services[d]?.depends_on[name]?.restart === true)) {
        for (const c of observed.filter((x) => x.service === dependent && (x.state === 'running' || x.state === 'restarting'))) {
          if (stoppedForDependency.has(c.id)) continue;
          const node = plan.add(`container:${c.name}`, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout },
            `dependency ${name} is recreated (restart: true)`);
          stoppedForDependency.set(c.id, { node, dependency: name });
          dependentStops.push(node);
        }
      }
    }

    const extraRemovals: string[] = [];
    for (const c of extra) {
      const resource = `container:${c.name}`;
      // Two containers with one number: a recreate was interrupted between create and rename.
      const why = kept.some((k) => k.number === c.number) ? 'replaced (an interrupted recreate left both)' : `scale down to ${replicas}`;
      const stop = c.state === 'running' || c.state === 'paused' || c.state === 'restarting'
        ? plan.add(resource, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout }, why)
        : undefined;
      extraRemovals.push(plan.add(resource, c.name, { type: 'remove-container', container: c.id, removeVolumes: false }, why, [stop]));
    }

    const nextNumbers = (() => {
      let next = Math.max(0, ...mine.map((c) => c.number)) + 1;
      return () => next++;
    })();
    const slots: (ObservedContainer | undefined)[] = [...kept];
    while (slots.length < replicas) slots.push(undefined);

    for (const existing of slots) {
      const number = existing?.number ?? nextNumbers();
      const finalName = service.container_name ?? containerName(project.name, name, number);
      const resource = `container:${finalName}`;
      names.push(finalName);
      const cause = existing === undefined ? 'not found' : causeOf(existing);
      if (existing === undefined || cause !== undefined) {
        const carried: Record<string, string> = {};
        if (existing !== undefined && !(options.renewAnonVolumes && isNamed)) {
          for (const v of service.volumes) {
            if (v.type !== 'volume' || v.source !== undefined) continue;
            const mount = existing.summary.mounts.find((m) => m.destination === v.target && m.type === 'volume');
            if (mount?.name !== undefined) carried[v.target] = mount.name;
          }
        }
        const createName = existing === undefined ? finalName : `${existing.id.slice(0, 12)}_${finalName}`;
        const spec = buildContainerSpec({
          project, service: name, number, name: createName, imageId, serviceContainer,
          carriedVolumes: carried,
          ...(existing === undefined ? {} : { replaces: existing.name }),
          ...(options.seccompProfiles === undefined ? {} : { seccompProfiles: options.seccompProfiles }),
        });
        const create = plan.add(resource, finalName, { type: 'create-container', service: name, spec }, cause ?? 'not found',
          [...infraNodes, ...sharedNodes]);
        let ready = create;
        const files = filesToCopy(project, service);
        if (files.length > 0) {
          ready = plan.add(resource, finalName, { type: 'copy-files', container: createName, files },
            `${files.length} secret/config file${files.length === 1 ? '' : 's'}`, [create]);
        }
        if (existing !== undefined) {
          const live = existing.state === 'running' || existing.state === 'paused' || existing.state === 'restarting';
          const earlierStop = stoppedForDependency.get(existing.id)?.node;
          const preStop = live && earlierStop === undefined
            ? (service.pre_stop ?? []).map((hook, i) => plan.add(resource, finalName,
              { type: 'exec-hook', container: existing.id, hook: 'pre_stop', request: hookRequest(hook) }, `pre_stop hook ${i + 1}`, [ready]))
            : [];
          const stop = live && earlierStop === undefined
            ? plan.add(resource, finalName, { type: 'stop-container', container: existing.id, timeout: options.timeout }, 'replaced',
              [ready, ...preStop, ...dependentStops])
            : undefined;
          const remove = plan.add(resource, finalName, { type: 'remove-container', container: existing.id, removeVolumes: false },
            'replaced', [ready, stop ?? earlierStop]);
          ready = plan.add(resource, finalName, { type: 'rename-container', container: createName, newName: finalName },
            'replaced', [remove]);
        }
        if (!options.noStart) {
          const start = plan.add(resource, finalName, {
            type: 'start-container', service: name, container: finalName, awaits, allocatesPorts: publishesEphemeralPort(service),
          }, existing === undefined ? 'created' : 'recreated', [ready, ...depStartNodes]);
          starts.push(start, ...postStartHooks(plan, resource, finalName, service, start));
        }
      } else {
        // An up-to-date container still under its temporary `<id>_<name>` name gets its final name back.
        const renamed = existing.name === finalName
          ? undefined
          : plan.add(resource, finalName, { type: 'rename-container', container: existing.id, newName: finalName },
            'finish an interrupted recreate', extraRemovals);
        if (renamed !== undefined) starts.push(renamed);
        const reconnects = (disconnected.get(existing.id) ?? []).map((key) => plan.add(resource, finalName, {
          type: 'connect-network',
          network: project.networks[key]?.name ?? key,
          container: existing.id,
          config: endpointConfig(name, service, key),
        }, `network ${key} was recreated`, [networkNode.get(key), renamed]));
        starts.push(...reconnects);
        if (existing.state === 'paused' && !stoppedForDependency.has(existing.id)) {
          starts.push(plan.add(resource, finalName, { type: 'unpause-container', container: existing.id }, 'paused', [...depStartNodes, renamed]));
        } else if (!options.noStart && (existing.state !== 'running' || stoppedForDependency.has(existing.id))) {
          const restartFor = stoppedForDependency.get(existing.id);
          const start = plan.add(resource, finalName, {
            type: 'start-container', service: name, container: existing.id, awaits, allocatesPorts: publishesEphemeralPort(service),
          }, restartFor === undefined ? existing.state : `restart after ${restartFor.dependency} was recreated`,
          [...(restartFor === undefined ? [] : [restartFor.node]), ...depStartNodes, renamed, ...reconnects]);
          starts.push(start, ...postStartHooks(plan, resource, finalName, service, start));
        }
      }
    }
    startNodes.set(name, starts);
    containerNames.set(name, names);
  }

  // Orphans: containers of services this project no longer has.
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabled_services)]);
  const orphans = observed.filter((c) => !known.has(c.service)).sort((a, b) => a.name.localeCompare(b.name));
  if (orphans.length > 0) {
    if (options.removeOrphans) {
      for (const c of orphans) {
        const resource = `container:${c.name}`;
        const stop = c.state === 'running' || c.state === 'paused' || c.state === 'restarting'
          ? plan.add(resource, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout }, 'orphan')
          : undefined;
        plan.add(resource, c.name, { type: 'remove-container', container: c.id, removeVolumes: false }, 'orphan', [stop]);
      }
    } else if (!options.ignoreOrphans) {
      plan.warnings.push(
        `found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project: if you removed or renamed their service, run with --remove-orphans to clean them up`,
      );
    }
  }
  return plan.build();
}
