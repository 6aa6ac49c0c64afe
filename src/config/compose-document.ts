import { stringify } from 'yaml';
import type { Project, Service } from '../model/project.js';

/**
 * The project as `docker compose config` prints it: `name` first, then services, networks,
 * volumes, secrets, configs and extensions; keys sorted; empty maps and lists of a service left out;
 * internal fields (working_dir of the project, env files, disabled services...) never shown.
 */
export interface DocumentOptions {
  /** Values were interpolated: a literal `$` is printed `$$`, so the output loads again to the same model. */
  readonly escapeDollars?: boolean;
  /** `--no-env-resolution`: keep env_file (by default its contents are already in environment, as Compose prints). */
  readonly keepEnvFiles?: boolean;
}

export function toComposeDocument(project: Project, options: DocumentOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { name: project.name };
  const services: Record<string, unknown> = {};
  for (const name of Object.keys(project.services).sort()) {
    const service = printableService(project.services[name]!);
    if (options.keepEnvFiles !== true) delete service['env_file'];
    services[name] = service;
  }
  out['services'] = services;
  for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    const resources = project[section];
    if (Object.keys(resources).length > 0) out[section] = sortKeysDeep(resources);
  }
  for (const [key, value] of Object.entries(project.extensions ?? {})) out[key] = value;
  return options.escapeDollars === true ? escapeDollars(out) as Record<string, unknown> : out;
}

/** Values only: keys are printed as written. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = escapeDollars(v);
    return out;
  }
  return value;
}

function printableService(service: Service): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(service).sort()) {
    const value = service[key];
    // An empty command or entrypoint clears the image's: it must survive a round trip.
    if (value === undefined || (isEmptyCollection(value) && key !== 'command' && key !== 'entrypoint')) continue;
    out[key] = sortKeysDeep(value);
  }
  return out;
}

function isEmptyCollection(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The canonical model as `config` prints it: YAML by default, or JSON. */
export function formatComposeDocument(project: Project, format: 'yaml' | 'json', options: DocumentOptions = {}): string {
  const document = toComposeDocument(project, options);
  return format === 'json' ? JSON.stringify(document, null, 2) : stringify(document, { lineWidth: 0 }).trimEnd();
}
