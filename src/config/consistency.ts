import { DependencyCycleError } from '../errors.js';
import { formatKeyPath, type KeyPath, type Locator } from './locator.js';
import { closestMatch } from '../model/suggest.js';
import { configErrorAt } from './config-error.js';
import { isMapping, sortedKeys, type Mapping } from './tree.js';

const SERVICE_REFERENCE = /^service:(.+)$/;

/**
 * References between the parts of a merged, normalised tree: services, networks, volumes, secrets
 * and configs that are used must be declared; no dependency cycle; no container_name with several
 * replicas. Services are checked in sorted order so the first error is always the same one.
 */
export function checkConsistency(tree: Mapping, locator: Locator | undefined): void {
  const services = isMapping(tree['services']) ? tree['services'] : {};
  const names = sortedKeys(services);
  const declared = (section: string): Mapping => (isMapping(tree[section]) ? tree[section] : {});
  const unknown = (path: KeyPath, what: string, name: string, candidates: Iterable<string>, hint: string): never => {
    const suggestion = closestMatch(name, candidates);
    throw configErrorAt(
      locator,
      path,
      `service "${String(path[1])}" refers to undefined ${what} "${name}"`,
      suggestion === undefined ? hint : `did you mean "${suggestion}"?`,
    );
  };
  for (const name of names) {
    const service = isMapping(services[name]) ? services[name] : {};
    const base: KeyPath = ['services', name];

    if (service['image'] === undefined && service['build'] === undefined && service['provider'] === undefined) {
      throw configErrorAt(locator, base, `service "${name}" has neither an image nor a build context`, 'add `image:` or `build:`');
    }
    for (const key of ['network_mode', 'ipc', 'pid'] as const) {
      const value = service[key];
      const match = typeof value === 'string' ? SERVICE_REFERENCE.exec(value) : null;
      if (match !== null && !Object.hasOwn(services, match[1]!)) {
        unknown([...base, key], 'service', match[1]!, names, 'name a service of this project');
      }
    }
    (Array.isArray(service['volumes_from']) ? service['volumes_from'] : []).forEach((from: unknown, index) => {
      if (typeof from !== 'string' || from.startsWith('container:')) return;
      const target = from.split(':')[0]!;
      if (!Object.hasOwn(services, target)) unknown([...base, 'volumes_from', index], 'service', target, names, 'name a service, or write container:<name>');
    });
    (Array.isArray(service['links']) ? service['links'] : []).forEach((link: unknown, index) => {
      if (typeof link !== 'string') return;
      const target = link.split(':')[0]!;
      if (!Object.hasOwn(services, target)) unknown([...base, 'links', index], 'service', target, names, 'declare that service or remove the link');
    });
    const dependsOn = isMapping(service['depends_on']) ? service['depends_on'] : {};
    for (const dep of sortedKeys(dependsOn)) {
      if (!Object.hasOwn(services, dep)) unknown([...base, 'depends_on', dep], 'service', dep, names, 'declare that service or remove the dependency');
    }
    const networks = isMapping(service['networks']) ? service['networks'] : {};
    if (service['network_mode'] !== undefined && Object.keys(networks).length > 0 && service['networks'] !== undefined) {
      const onlyDefault = Object.keys(networks).length === 1 && Object.hasOwn(networks, 'default');
      if (!onlyDefault) {
        throw configErrorAt(locator, [...base, 'network_mode'], `service "${name}" sets both network_mode and networks`, 'keep only one of them');
      }
    }
    for (const net of sortedKeys(networks)) {
      if (!Object.hasOwn(declared('networks'), net)) {
        unknown([...base, 'networks', net], 'network', net, Object.keys(declared('networks')), 'declare it under the top-level `networks:`');
      }
    }
    (Array.isArray(service['volumes']) ? service['volumes'] : []).forEach((mount: unknown, index) => {
      if (!isMapping(mount) || mount['type'] !== 'volume' || typeof mount['source'] !== 'string') return;
      if (!Object.hasOwn(declared('volumes'), mount['source'])) {
        unknown([...base, 'volumes', index], 'volume', mount['source'], Object.keys(declared('volumes')), 'declare it under the top-level `volumes:`');
      }
    });
    for (const kind of ['secrets', 'configs'] as const) {
      (Array.isArray(service[kind]) ? service[kind] : []).forEach((ref: unknown, index) => {
        if (!isMapping(ref) || typeof ref['source'] !== 'string') return;
        if (!Object.hasOwn(declared(kind), ref['source'])) {
          unknown([...base, kind, index], kind.slice(0, -1), ref['source'], Object.keys(declared(kind)), `declare it under the top-level \`${kind}:\``);
        }
      });
    }
    const replicas = service['scale'] ?? (isMapping(service['deploy']) ? service['deploy']['replicas'] : undefined) ?? 1;
    if (service['container_name'] !== undefined && typeof replicas === 'number' && replicas > 1) {
      throw configErrorAt(
        locator,
        [...base, 'container_name'],
        `service "${name}" sets container_name but asks for ${replicas} replicas; container names must be unique`,
        'remove container_name or run a single replica',
      );
    }
  }
  checkComposeRefusals(tree, locator);
  checkDependencyCycles(services, locator);
  checkBuildContexts(services, locator);
}

/** The `service:NAME` entries of a service's build.additional_contexts, by context name. */
function serviceContexts(service: unknown): [string, string][] {
  const build = isMapping(service) && isMapping(service['build']) ? service['build'] : {};
  const contexts = isMapping(build['additional_contexts']) ? build['additional_contexts'] : {};
  return sortedKeys(contexts).flatMap((key): [string, string][] => {
    const value = contexts[key];
    return typeof value === 'string' && value.startsWith('service:') ? [[key, value.slice('service:'.length)]] : [];
  });
}

/**
 * `additional_contexts: {name: service:OTHER}` reads OTHER's image, so OTHER must be a service that
 * builds one (as Compose's loader requires), and builds cannot read each other in a loop.
 */
function checkBuildContexts(services: Mapping, locator: Locator | undefined): void {
  const names = sortedKeys(services);
  for (const name of names) {
    for (const [key, target] of serviceContexts(services[name])) {
      const path: KeyPath = ['services', name, 'build', 'additional_contexts', key];
      if (!Object.hasOwn(services, target)) {
        const suggestion = closestMatch(target, names);
        throw configErrorAt(locator, path, `service "${name}" reads undefined service "${target}" as additional context "${key}"`,
          suggestion === undefined ? 'name a service of this project that has a build section' : `did you mean "service:${suggestion}"?`);
      }
      const other = services[target];
      if (!isMapping(other) || other['build'] === undefined) {
        throw configErrorAt(locator, path, `service "${name}" reads service "${target}" as additional context "${key}", but "${target}" has no build section`,
          `give "${target}" a build section, or read its image with docker-image://IMAGE`);
      }
    }
  }
  const cycle = firstCycle(names, (name) => serviceContexts(services[name]).map(([, target]) => target));
  if (cycle !== undefined) {
    const from = cycle[cycle.length - 2] as string;
    const to = cycle[cycle.length - 1] as string;
    const key = serviceContexts(services[from]).find(([, target]) => target === to)?.[0] as string;
    throw configErrorAt(locator, ['services', from, 'build', 'additional_contexts', key],
      `the builds of services ${cycle.map((s) => `"${s}"`).join(' -> ')} read each other's images in a loop`,
      'a service: context must not lead back to the service that reads it');
  }
}

/** What Compose's loader refuses though the schema lets it through. */
function checkComposeRefusals(tree: Mapping, locator: Locator | undefined): void {
  const services = isMapping(tree['services']) ? tree['services'] : {};
  const owners = new Map<string, string>();
  for (const name of sortedKeys(services)) {
    const service = isMapping(services[name]) ? services[name] : {};
    const containerName = service['container_name'];
    if (typeof containerName === 'string') {
      const other = owners.get(containerName);
      if (other !== undefined) {
        throw configErrorAt(locator, ['services', name, 'container_name'],
          `services "${other}" and "${name}" both set container_name "${containerName}"`, 'container names must be unique');
      }
      owners.set(containerName, name);
    }
    const deploy = isMapping(service['deploy']) ? service['deploy'] : {};
    const resources = isMapping(deploy['resources']) ? deploy['resources'] : {};
    const reservations = isMapping(resources['reservations']) ? resources['reservations'] : {};
    (Array.isArray(reservations['devices']) ? reservations['devices'] : []).forEach((request: unknown, i) => {
      if (!isMapping(request)) return;
      const at: KeyPath = ['services', name, 'deploy', 'resources', 'reservations', 'devices', i];
      if (request['count'] !== undefined && request['device_ids'] !== undefined) {
        throw configErrorAt(locator, at, 'a device reservation sets both count and device_ids', 'keep only one of them');
      }
      if (request['capabilities'] === undefined) {
        throw configErrorAt(locator, at, 'a device reservation needs capabilities', 'add capabilities, such as [gpu]');
      }
    });
  }
  for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    const resources = isMapping(tree[section]) ? tree[section] : {};
    for (const key of sortedKeys(resources)) {
      const resource = isMapping(resources[key]) ? resources[key] : {};
      if (resource['external'] !== true) continue;
      for (const conflicting of ['driver', 'driver_opts', 'labels'] as const) {
        if (resource[conflicting] === undefined || section === 'secrets' || section === 'configs') continue;
        throw configErrorAt(locator, [section, key, conflicting],
          `${section}.${key} is external: "${conflicting}" cannot be set beside external`, `remove ${conflicting}, or external`);
      }
    }
  }
}

/** The loop, placed at the entry that closes it (a link, volumes_from or service: reference, else depends_on). */
function cycleError(cycle: readonly string[], services: Mapping, locator: Locator | undefined): DependencyCycleError {
  const from = cycle[cycle.length - 2]!;
  const to = cycle[cycle.length - 1]!;
  const path = closingEntry(services[from], from, to);
  const position = locator?.position(path);
  const sourceLine = position === undefined ? undefined : locator?.line(position.line);
  return new DependencyCycleError(cycle, {
    keyPath: formatKeyPath(path),
    ...(position === undefined ? {} : { position }),
    ...(sourceLine === undefined ? {} : { sourceLine }),
  });
}

function closingEntry(service: unknown, from: string, to: string): KeyPath {
  const base: KeyPath = ['services', from];
  if (!isMapping(service)) return base;
  for (const key of ['links', 'volumes_from'] as const) {
    const list = Array.isArray(service[key]) ? (service[key] as unknown[]) : [];
    const index = list.findIndex((entry) => typeof entry === 'string' && entry.split(':')[0] === to);
    if (index >= 0) return [...base, key, index];
  }
  for (const key of ['network_mode', 'ipc', 'pid'] as const) {
    if (service[key] === `service:${to}`) return [...base, key];
  }
  return [...base, 'depends_on', to];
}

/** Loops of `depends_on` (with links, volumes_from and service: namespaces normalised into it). */
export function checkDependencyCycles(services: Mapping, locator?: Locator): void {
  const cycle = firstCycle(sortedKeys(services), (name) => {
    const service = services[name];
    const dependsOn = isMapping(service) && isMapping(service['depends_on']) ? service['depends_on'] : {};
    return sortedKeys(dependsOn).filter((dep) => Object.hasOwn(services, dep));
  });
  if (cycle !== undefined) throw cycleError(cycle, services, locator);
}

/**
 * Depth-first over sorted names; the first back edge found is reported as the whole loop. The walk
 * keeps its own stack: a chain of dependencies is as deep as the user makes it.
 */
function firstCycle(roots: readonly string[], dependenciesOf: (name: string) => string[]): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const root of roots) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const pending: string[][] = [dependenciesOf(root)];
    state.set(root, 'visiting');
    while (path.length > 0) {
      const next = pending[pending.length - 1]!.shift();
      if (next === undefined) {
        state.set(path.pop()!, 'done');
        pending.pop();
        continue;
      }
      const seen = state.get(next);
      if (seen === 'visiting') return [...path.slice(path.indexOf(next)), next];
      if (seen === 'done') continue;
      state.set(next, 'visiting');
      path.push(next);
      pending.push(dependenciesOf(next));
    }
  }
  return undefined;
}
