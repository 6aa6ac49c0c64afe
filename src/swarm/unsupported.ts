import { formatKeyPath, type KeyPath } from '../config/locator.js';
import { ConfigError } from '../errors.js';
import { originOf } from '../model/origins.js';
import type { Project, Service } from '../model/project.js';

/**
 * What Swarm cannot do with a compose file, per key. `ignored`: the stack still does what the file
 * means, without that detail (a warning). `refused`: running without it would do something else
 * than the file asks (an error, nothing deployed).
 */
const IGNORED: Readonly<Record<string, string>> = {
  container_name: 'Swarm names task containers itself',
  privileged: 'Swarm services cannot run privileged',
  devices: 'Swarm services cannot map devices',
  links: 'services reach each other by name on their networks already',
  external_links: 'services reach each other by name on their networks already',
  cpu_shares: 'use deploy.resources',
  cpu_quota: 'use deploy.resources.limits.cpus',
  cpu_period: 'use deploy.resources.limits.cpus',
  cpuset: 'not a Swarm service setting',
  memswap_limit: 'not a Swarm service setting',
  mem_swappiness: 'not a Swarm service setting',
  shm_size: 'not a Swarm service setting',
  pid: 'not a Swarm service setting',
  ipc: 'not a Swarm service setting',
  uts: 'not a Swarm service setting',
  userns_mode: 'not a Swarm service setting',
  cgroup: 'not a Swarm service setting',
  cgroup_parent: 'not a Swarm service setting',
  security_opt: 'not a Swarm service setting',
  domainname: 'not a Swarm service setting',
  mac_address: 'Swarm assigns addresses',
  post_start: 'Swarm runs no lifecycle hooks',
  pre_stop: 'Swarm runs no lifecycle hooks',
  pull_policy: 'the nodes pull the image when a task needs it (see --resolve-image)',
  platform: 'use deploy.placement.constraints (node.platform.os / node.platform.arch)',
  attach: 'no terminal is attached to a stack',
  oom_kill_disable: 'not a Swarm service setting',
  oom_score_adj: 'not a Swarm service setting',
  storage_opt: 'not a Swarm service setting',
  volume_driver: 'set the driver on the top-level volume',
};

/** One line per key Swarm cannot honour, sorted: `services.web.privileged: Swarm services cannot run privileged`. */
export interface StackReport {
  readonly warnings: readonly string[];
}

/** A registry host in the image name (`host.tld/`, `host:port/`, `localhost/`): where a built image can go for every node. */
export function hasRegistry(image: string): boolean {
  const slash = image.indexOf('/');
  if (slash === -1) return false;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** A refusal at the key's file:line:column as the loader recorded it (the service's, when the key is absent). */
function refusal(project: Project, path: KeyPath, message: string, hint: string): ConfigError {
  const origin = originOf(project, path);
  return new ConfigError(message, {
    keyPath: formatKeyPath(path),
    hint,
    ...(origin === undefined ? {} : { position: { file: origin.file, line: origin.line, column: origin.column } }),
    ...(origin?.sourceLine === undefined ? {} : { sourceLine: origin.sourceLine }),
  });
}

function checkService(project: Project, key: string, service: Service): string[] {
  const warnings: string[] = [];
  const at = `services.${key}`;
  const refuse = (path: KeyPath, message: string, hint: string): never => {
    throw refusal(project, ['services', key, ...path], message, hint);
  };
  if (service.image === undefined) {
    refuse(['image'], `service "${key}" has no image: every node of a swarm pulls the image by name`,
      'add `image: REGISTRY/NAME:TAG` (with `build:` tscompose builds and pushes it there first)');
  }
  if (service.build !== undefined && service.image !== undefined && !hasRegistry(service.image)) {
    refuse(['image'], `service "${key}" is built, but its image "${service.image}" names no registry: the swarm's nodes could not pull it`,
      'set `image: REGISTRY_HOST[:PORT]/NAME:TAG` (e.g. 127.0.0.1:5000/app:1 for a registry on the manager); tscompose builds, pushes there and deploys by digest');
  }
  const mode = service.network_mode;
  if (mode !== undefined) {
    if (mode.startsWith('service:') || mode.startsWith('container:')) {
      refuse(['network_mode'], `network_mode "${mode}" cannot be honoured by Swarm: the service would get a network of its own`,
        'put both services on one network and reach the other by its service name');
    }
    warnings.push(`${at}.network_mode: ignored (${mode}); Swarm attaches services to networks: use \`networks:\``);
  }
  if ((service.volumes_from ?? []).length > 0) {
    refuse(['volumes_from'], 'volumes_from cannot be honoured by Swarm: the service would start without those volumes',
      'mount the same named volumes in both services');
  }
  for (const [i, v] of service.volumes.entries()) {
    if (v.type !== 'volume' && v.type !== 'bind' && v.type !== 'tmpfs') {
      refuse(['volumes', i], `volume type "${v.type}" is not supported by Swarm services`, 'use a volume, bind or tmpfs mount');
    }
    if (v.bind?.create_host_path === true && v.type === 'bind') {
      warnings.push(`${at}.volumes[${i}]: the host path ${v.source ?? ''} must exist on every node the task may run on (Swarm does not create it)`);
    }
  }
  for (const [i, p] of service.ports.entries()) {
    if (p.host_ip !== undefined && p.host_ip !== '0.0.0.0' && p.host_ip !== '::') {
      refuse(['ports', i], `port ${p.target} asks to publish on ${p.host_ip} only, but Swarm publishes on every address of the node`,
        'remove the address (and restrict access with a firewall), or do not publish the port');
    }
  }
  const mode2 = service.deploy?.mode;
  if (mode2 !== undefined && !['replicated', 'global', 'replicated-job', 'global-job'].includes(mode2)) {
    refuse(['deploy', 'mode'], `unknown deploy.mode "${mode2}"`, 'use replicated, global, replicated-job or global-job');
  }
  if ((mode2 === 'global' || mode2 === 'global-job') && service.deploy?.replicas !== undefined) {
    refuse(['deploy', 'replicas'], `replicas cannot be set with deploy.mode ${mode2}: a global service runs one task per node`, 'remove replicas or use a replicated mode');
  }
  for (const [name, attach] of Object.entries(service.networks ?? {})) {
    if (attach?.ipv4_address !== undefined || attach?.ipv6_address !== undefined) {
      warnings.push(`${at}.networks.${name}: fixed addresses are ignored; Swarm assigns each task's address`);
    }
  }
  for (const [k, why] of Object.entries(IGNORED)) {
    const value = service[k];
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue;
    warnings.push(`${at}.${k}: ignored (${why})`);
  }
  return warnings;
}

/** Checks the project against what Swarm can do: the warnings to show, or a ConfigError for what cannot be honoured. */
export function checkStackSupport(project: Project): StackReport {
  const warnings: string[] = [];
  for (const key of Object.keys(project.services).sort()) warnings.push(...checkService(project, key, project.services[key] as Service));
  for (const [key, network] of Object.entries(project.networks)) {
    if (network.external !== true && network.driver !== undefined && !['overlay'].includes(network.driver)) {
      warnings.push(`networks.${key}.driver: "${network.driver}" is not a swarm-scoped driver; services can only join it where the driver exists`);
    }
  }
  for (const [key, volume] of Object.entries(project.volumes)) {
    if (volume.external !== true && (volume.driver ?? 'local') === 'local') {
      warnings.push(`volumes.${key}: a local volume is made on each node a task runs on; tasks on different nodes do not share it`);
    }
  }
  return { warnings };
}
