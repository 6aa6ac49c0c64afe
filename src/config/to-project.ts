import type { Dict, Network, Project, SecretOrConfig, Service, Volume } from '../model/project.js';
import { isMapping, sortedKeys, type Mapping } from './tree.js';

export interface BindInput {
  readonly tree: Mapping;
  readonly name: string;
  readonly workingDir: string;
  readonly configFiles: readonly string[];
  readonly envFiles: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  /** Enabled services, their environment resolved. */
  readonly services: Mapping;
  readonly disabled: Mapping;
  readonly profiles: readonly string[];
}

/** The merged, canonical tree as the typed model. Service maps are in sorted order. */
export function bindProject(input: BindInput): Project {
  const { tree } = input;
  const extensions: Record<string, unknown> = {};
  for (const key of Object.keys(tree)) if (key.startsWith('x-')) extensions[key] = tree[key];
  return {
    name: input.name,
    working_dir: input.workingDir,
    config_files: input.configFiles,
    env_files: input.envFiles,
    environment: input.environment,
    services: bindServices(input.services),
    disabled_services: bindServices(input.disabled),
    networks: section<Network>(tree['networks']),
    volumes: section<Volume>(tree['volumes']),
    secrets: section<SecretOrConfig>(tree['secrets']),
    configs: section<SecretOrConfig>(tree['configs']),
    profiles: input.profiles,
    ...(isMapping(tree['models']) ? { models: section<unknown>(tree['models']) } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}

function bindServices(services: Mapping): Dict<Service> {
  const out: Record<string, Service> = {};
  for (const name of sortedKeys(services)) {
    const raw = services[name];
    const service: Mapping = isMapping(raw) ? { ...raw } : {};
    delete service['extends'];
    service['environment'] ??= {};
    service['labels'] ??= {};
    service['ports'] ??= [];
    service['volumes'] ??= [];
    service['depends_on'] ??= {};
    out[name] = service as unknown as Service;
  }
  return out;
}

function section<T>(value: unknown): Dict<T> {
  if (!isMapping(value)) return {};
  const out: Record<string, T> = {};
  for (const key of sortedKeys(value)) out[key] = (value[key] ?? {}) as T;
  return out;
}
