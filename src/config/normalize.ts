import * as path from 'node:path';
import { resourceName } from '../model/naming.js';
import { isRemoteContext } from './resolve-paths.js';
import { isMapping, type Mapping } from './tree.js';

export interface NormalizeOptions {
  readonly projectName: string;
  readonly projectDirectory: string;
  readonly resolvePaths: boolean;
}

const SERVICE_REFERENCE = /^service:(.+)$/;

/**
 * Defaults that only make sense on the merged model: build context and Dockerfile, the `default`
 * network, engine names of resources, implicit dependencies, the pull_policy alias. Returns a new tree.
 */
export function normalizeTree(tree: Mapping, options: NormalizeOptions): Mapping {
  const out: Mapping = { ...tree };
  const services: Mapping = {};
  let usesDefaultNetwork = false;
  for (const [name, raw] of Object.entries(isMapping(tree['services']) ? tree['services'] : {})) {
    const service: Mapping = isMapping(raw) ? { ...raw } : {};
    normalizeBuild(service, options);
    if (service['pull_policy'] === 'if_not_present') service['pull_policy'] = 'missing';
    if (service['network_mode'] === undefined && (service['networks'] === undefined || service['networks'] === null)) {
      service['networks'] = { default: null };
    }
    if (isMapping(service['networks']) && Object.hasOwn(service['networks'], 'default')) usesDefaultNetwork = true;
    addImplicitDependencies(service);
    // Compose fills a secret's target, so its config output and config hash carry it.
    if (Array.isArray(service['secrets'])) {
      service['secrets'] = service['secrets'].map((ref: unknown) =>
        (isMapping(ref) && ref['target'] === undefined && typeof ref['source'] === 'string' ? { ...ref, target: `/run/secrets/${ref['source']}` } : ref));
    }
    services[name] = service;
  }
  out['services'] = services;

  const networks: Mapping = isMapping(tree['networks']) ? { ...tree['networks'] } : {};
  if (usesDefaultNetwork && !Object.hasOwn(networks, 'default')) networks['default'] = {};
  out['networks'] = nameResources(networks, options.projectName);
  for (const section of ['volumes', 'secrets', 'configs'] as const) {
    out[section] = nameResources(isMapping(tree[section]) ? tree[section] : {}, options.projectName);
  }
  return out;
}

function normalizeBuild(service: Mapping, options: NormalizeOptions): void {
  const build = service['build'];
  if (!isMapping(build)) return;
  const copy: Mapping = { ...build };
  if (copy['context'] === undefined) copy['context'] = options.resolvePaths ? options.projectDirectory : '.';
  else if (options.resolvePaths && typeof copy['context'] === 'string' && !isRemoteContext(copy['context'])) {
    copy['context'] = path.resolve(options.projectDirectory, copy['context']);
  }
  if (copy['dockerfile'] === undefined && copy['dockerfile_inline'] === undefined) copy['dockerfile'] = 'Dockerfile';
  service['build'] = copy;
}

/** links, `network_mode`/`ipc`/`pid: service:x` and volumes_from make a service depend on another. */
function addImplicitDependencies(service: Mapping): void {
  const dependsOn: Mapping = isMapping(service['depends_on']) ? { ...service['depends_on'] } : {};
  const before = Object.keys(dependsOn).length;
  const add = (name: string, restart: boolean): void => {
    if (name === '' || Object.hasOwn(dependsOn, name)) return;
    dependsOn[name] = { condition: 'service_started', required: true, restart };
  };
  for (const link of Array.isArray(service['links']) ? service['links'] : []) {
    if (typeof link === 'string') add(link.split(':')[0]!, true);
  }
  for (const key of ['network_mode', 'ipc', 'pid'] as const) {
    const value = service[key];
    const match = typeof value === 'string' ? SERVICE_REFERENCE.exec(value) : null;
    if (match !== null) add(match[1]!, true);
  }
  for (const from of Array.isArray(service['volumes_from']) ? service['volumes_from'] : []) {
    if (typeof from === 'string' && !from.startsWith('container:')) add(from.split(':')[0]!, false);
  }
  if (Object.keys(dependsOn).length > before || service['depends_on'] !== undefined) service['depends_on'] = dependsOn;
}

/** `<project>_<key>` unless `name:` is given; external resources keep their key. */
function nameResources(section: Mapping, projectName: string): Mapping {
  const out: Mapping = {};
  for (const [key, raw] of Object.entries(section)) {
    const resource: Mapping = isMapping(raw) ? { ...raw } : {};
    if (typeof resource['name'] !== 'string' || resource['name'] === '') {
      resource['name'] = resource['external'] === true ? key : resourceName(projectName, key);
    }
    out[key] = resource;
  }
  return out;
}
