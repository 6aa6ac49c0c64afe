import type { Dict, Project, Service } from '../model/project.js';
import { configErrorAt } from './config-error.js';
import { formatKeyPath, type KeyPath, type Locator } from './locator.js';
import { findShapeProblem, hasShape, NETWORK, SECRET_OR_CONFIG, SERVICE, VOLUME, type Check } from './model-check.js';
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
  /** For a value that does not fit the model: where it was written. */
  readonly locator?: Locator;
  /** `--no-interpolate`: `${...}` text may stand in for any value. */
  readonly templates?: boolean;
}

/**
 * The merged, canonical tree as the typed model, each service and resource checked against the
 * model's shape (model-check.ts). Service maps are in sorted order.
 */
export function bindProject(input: BindInput): Project {
  const { tree } = input;
  const bind = <T>(value: unknown, check: Check<T>, path: KeyPath): T => checked(value, check, path, input);
  const extensions: Record<string, unknown> = {};
  for (const key of Object.keys(tree)) if (key.startsWith('x-')) extensions[key] = tree[key];
  return {
    name: input.name,
    working_dir: input.workingDir,
    config_files: input.configFiles,
    env_files: input.envFiles,
    environment: input.environment,
    services: bindServices(input.services, bind),
    disabled_services: bindServices(input.disabled, bind),
    networks: bindSection(tree, 'networks', NETWORK, bind),
    volumes: bindSection(tree, 'volumes', VOLUME, bind),
    secrets: bindSection(tree, 'secrets', SECRET_OR_CONFIG, bind),
    configs: bindSection(tree, 'configs', SECRET_OR_CONFIG, bind),
    profiles: input.profiles,
    ...(isMapping(tree['models']) ? { models: { ...tree['models'] } } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}

type Bind = <T>(value: unknown, check: Check<T>, path: KeyPath) => T;

function bindServices(services: Mapping, bind: Bind): Dict<Service> {
  const out: Record<string, Service> = {};
  for (const name of sortedKeys(services)) {
    const raw = services[name];
    const { extends: _extends, ...service }: Mapping = isMapping(raw) ? raw : {};
    service['environment'] ??= {};
    service['labels'] ??= {};
    service['ports'] ??= [];
    service['volumes'] ??= [];
    service['depends_on'] ??= {};
    out[name] = bind(service, SERVICE, ['services', name]);
  }
  return out;
}

function bindSection<T>(tree: Mapping, section: string, check: Check<T>, bind: Bind): Dict<T> {
  const value = tree[section];
  if (!isMapping(value)) return {};
  const out: Record<string, T> = {};
  for (const key of sortedKeys(value)) out[key] = bind(value[key] ?? {}, check, [section, key]);
  return out;
}

function checked<T>(value: unknown, check: Check<T>, path: KeyPath, input: BindInput): T {
  const templates = input.templates ?? false;
  if (hasShape(value, check, templates)) return value;
  const problem = findShapeProblem(value, check, path, templates) ?? { path, expected: 'another shape' };
  throw configErrorAt(
    input.locator,
    problem.path,
    `${formatKeyPath(problem.path)}: tscompose cannot use this value; it expected ${problem.expected}`,
    'write the value in the form the Compose Specification gives for this key',
  );
}
