/** Resource names as Docker Compose forms them. */

import type { Project } from './project.js';

export const SEPARATOR = '-';

/** `-` as Compose v2 names containers; `_` with --compatibility / COMPOSE_COMPATIBILITY, as v1 did. */
export type NameSeparator = '-' | '_';

export function containerName(project: string, service: string, number: number, separator: NameSeparator = SEPARATOR): string {
  return `${project}${separator}${service}${separator}${number}`;
}

/** A name Compose would have given container `number` of the service, with either separator. */
export function isDefaultContainerName(name: string, project: string, service: string, number: number): boolean {
  return name === containerName(project, service, number, '-') || name === containerName(project, service, number, '_');
}

export function oneoffContainerName(project: string, service: string, slug: string, separator: NameSeparator = SEPARATOR): string {
  return `${project}${separator}${service}${separator}run${separator}${slug.slice(0, 12)}`;
}

/** Top-level networks, volumes, configs and secrets: `<project>_<key>` unless `name:` says otherwise. */
export function resourceName(project: string, key: string): string {
  return `${project}_${key}`;
}

/** The image of a service built without `image:`: `<project>-<service>` (`_` with --compatibility, as Compose). */
export function defaultImageName(project: string, service: string, separator: NameSeparator = SEPARATOR): string {
  return `${project}${separator}${service}`;
}

/** The image name a service runs: `image:`, or `<project>-<service>` for a build without one. */
export function serviceImage(project: Pick<Project, 'name' | 'name_separator' | 'services'>, name: string): string {
  const service = Object.hasOwn(project.services, name) ? project.services[name] : undefined;
  return service?.image ?? defaultImageName(project.name, name, project.name_separator);
}

/** The `web-1` part of a log prefix: the container name without `<project>-`. */
export function shortContainerName(project: string, name: string): string {
  const bare = name.startsWith('/') ? name.slice(1) : name;
  for (const separator of ['-', '_']) {
    if (bare.startsWith(`${project}${separator}`)) return bare.slice(project.length + 1);
  }
  return bare;
}

/** Compose's NormalizeProjectName: lowercase, keep [a-z0-9_-], no leading `_` or `-`. */
export function normalizeProjectName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

const VALID_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function isValidProjectName(name: string): boolean {
  return VALID_PROJECT_NAME.test(name);
}

/**
 * A project name no other run will pick: `<base>-<8 hex>`, for parallel CI runs. `randomHex`
 * is passed in so the model stays free of I/O.
 */
export function uniqueProjectName(base: string, randomHex: string): string {
  const prefix = normalizeProjectName(base) || 'tscompose';
  return `${prefix}-${randomHex.slice(0, 8)}`;
}
