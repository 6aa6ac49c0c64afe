import { ConfigError } from '../errors.js';
import { originOf } from '../model/origins.js';
import type { Project, Service } from '../model/project.js';
import { seccompFile } from './container-spec.js';

/** What must be settled before anything changes on the engine, and what it gave. */
export interface Preflight {
  /** security_opt seccomp file as written → its JSON, compacted. */
  readonly seccompProfiles: ReadonlyMap<string, string>;
  /** Each once per key. */
  readonly warnings: readonly string[];
}

export interface PreflightInput {
  readonly project: Project;
  /** The services about to get containers. */
  readonly services: readonly string[];
  /** The engine's API version, such as 1.41. */
  readonly apiVersion: string;
  /** Reads a file relative to the project folder; undefined when it cannot be read. */
  readonly readFile: (path: string) => string | undefined;
}

type KeyPath = readonly (string | number)[];

/** The first Docker Engine release that speaks each API version we gate on. */
const ENGINE_FOR_API: Readonly<Record<string, string>> = {
  '1.43': '24.0', '1.44': '25.0', '1.45': '26.0', '1.47': '27.2', '1.48': '28.0', '1.49': '28.1',
};

export function apiAtLeast(version: string, wanted: string): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [c = 0, d = 0] = wanted.split('.').map(Number);
  return a !== c ? a > c : b >= d;
}

function keyText(path: KeyPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function errorAt(project: Project, path: KeyPath, message: string, hint?: string): ConfigError {
  const origin = originOf(project, path);
  return new ConfigError(message, {
    keyPath: keyText(path),
    ...(origin === undefined ? {} : { position: { file: origin.file, line: origin.line, column: origin.column } }),
    ...(origin?.sourceLine === undefined ? {} : { sourceLine: origin.sourceLine }),
    ...(hint === undefined ? {} : { hint }),
  });
}

/**
 * Everything Compose refuses or cannot give for the services about to be created, checked before
 * the first engine write: keys this engine's API is too old for, secrets and configs that cannot
 * be provided, unsupported features; and the files the create requests embed (seccomp profiles).
 */
export function preflight(input: PreflightInput): Preflight {
  const { project, apiVersion } = input;
  const warnings = new Set<string>();
  const seccompProfiles = new Map<string, string>();
  const needs = (path: KeyPath, api: string, what = keyText(path)): void => {
    if (apiAtLeast(apiVersion, api)) return;
    throw errorAt(project, path,
      `${what} needs Docker Engine ${ENGINE_FOR_API[api] ?? `API ${api}`} or later (API ${api}); this engine speaks API ${apiVersion}`,
      'upgrade the engine, or remove the key');
  };

  for (const [name, model] of Object.entries(project.models ?? {})) {
    void model;
    throw errorAt(project, ['models', name], `models are not supported by tscompose (model "${name}")`,
      'run the model with Docker Model Runner and Docker Compose, or remove the top-level `models`');
  }

  for (const name of input.services) {
    const service = project.services[name];
    if (service === undefined) continue;
    const base = ['services', name] as const;
    checkService(project, name, service, base, needs);
    checkFileReferences(project, name, service, warnings);
    (service.security_opt ?? []).forEach((opt, index) => {
      const file = seccompFile(opt);
      if (file === undefined || seccompProfiles.has(file)) return;
      const text = input.readFile(file);
      if (text === undefined) {
        throw errorAt(project, [...base, 'security_opt', index], `cannot read the seccomp profile ${file}`,
          'the path is relative to the project folder');
      }
      try {
        seccompProfiles.set(file, JSON.stringify(JSON.parse(text)));
      } catch (error) {
        throw errorAt(project, [...base, 'security_opt', index], `the seccomp profile ${file} is not JSON: ${(error as Error).message}`);
      }
    });
  }
  return { seccompProfiles, warnings: [...warnings] };
}

function checkService(
  project: Project,
  name: string,
  service: Service,
  base: readonly ['services', string],
  needs: (path: KeyPath, api: string, what?: string) => void,
): void {
  if (service['provider'] !== undefined) {
    throw errorAt(project, [...base, 'provider'], `service "${name}" is run by a provider, which tscompose does not support`,
      'run it with Docker Compose, or give the service an image');
  }
  (service.pre_start ?? []).forEach((hook, index) => {
    // Compose stops at such a hook when it would run it; we stop before any change.
    if (hook.per_replica === true) {
      throw errorAt(project, [...base, 'pre_start', index, 'per_replica'], 'pre_start hooks with per_replica: true are not supported (nor by Docker Compose yet)',
        'remove per_replica or set it to false: the hook then runs once, before the first replica starts');
    }
  });
  if (service.annotations !== undefined && Object.keys(service.annotations).length > 0) needs([...base, 'annotations'], '1.43');
  service.volumes.forEach((v, index) => {
    const at = [...base, 'volumes', index];
    if (v.type === 'image') needs([...at, 'type'], '1.48', `${keyText(at)}: a mount of type image`);
    if (v.volume?.subpath !== undefined) needs([...at, 'volume', 'subpath'], '1.45');
    if (v.bind?.recursive === 'writable' || v.bind?.recursive === 'readonly') needs([...at, 'bind', 'recursive'], '1.44');
  });
  const keys = Object.keys(service.networks ?? {});
  const primary = keys.sort((a, b) => (service.networks?.[b]?.priority ?? 0) - (service.networks?.[a]?.priority ?? 0) || a.localeCompare(b))[0];
  for (const key of keys) {
    const net = service.networks?.[key];
    if (net == null) continue;
    const at = [...base, 'networks', key];
    if (net.gw_priority !== undefined) needs([...at, 'gw_priority'], '1.48');
    if (net.interface_name !== undefined) needs([...at, 'interface_name'], '1.49');
    if (net.mac_address !== undefined && key !== primary) {
      needs([...at, 'mac_address'], '1.44', `${keyText([...at, 'mac_address'])} (a MAC address on a network other than the first)`);
    }
    if (key === primary && net.mac_address !== undefined && service.mac_address !== undefined && net.mac_address !== service.mac_address) {
      throw errorAt(project, [...base, 'mac_address'], `the service's mac_address must equal the one of network ${key}`);
    }
  }
  for (const key of keys) {
    if (project.networks[key]?.enable_ipv4 === false) needs(['networks', key, 'enable_ipv4'], '1.47');
  }
}

function checkFileReferences(project: Project, name: string, service: Service, warnings: Set<string>): void {
  for (const kind of ['secrets', 'configs'] as const) {
    (service[kind] ?? []).forEach((ref, index) => {
      const top = project[kind][ref.source];
      if (top === undefined) return;
      const at = [kind, ref.source];
      if (top.external === true) {
        throw errorAt(project, [...at, 'external'],
          `${kind === 'secrets' ? 'secret' : 'config'} "${ref.source}" is external: only a Swarm provides external ${kind}`,
          `give it a file, environment or content source to use it with service "${name}"`);
      }
      if (top.environment !== undefined && project.environment[top.environment] === undefined) {
        throw errorAt(project, [...at, 'environment'],
          `environment variable ${top.environment}, the source of ${kind === 'secrets' ? 'secret' : 'config'} "${ref.source}", is not set`,
          'set it in the shell or in .env');
      }
      if (top.file !== undefined && (ref.uid !== undefined || ref.gid !== undefined || ref.mode !== undefined)) {
        void index;
        warnings.add(`${kind} uid, gid and mode are not applied to file-sourced ${kind} (they are bind-mounted, as Compose does)`);
      }
    });
  }
}
