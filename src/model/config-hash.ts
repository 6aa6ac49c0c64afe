import { createHash } from 'node:crypto';
import type { Service } from './project.js';

/** Keys that must never force a recreate when they change. */
// x-tscompose holds readiness checks for waiting: changing them must not replace a container.
const LEFT_OUT = ['build', 'pull_policy', 'scale', 'depends_on', 'profiles', 'x-tscompose'] as const;

/** JSON with object keys sorted at every level, so the same model always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The part of a service that the hash covers, as plain data. */
export function hashedServiceConfig(service: Service): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...service };
  for (const key of LEFT_OUT) delete copy[key];
  if (service.deploy !== undefined) {
    const { replicas: _replicas, ...deploy } = service.deploy;
    copy['deploy'] = Object.keys(deploy).length > 0 ? deploy : undefined;
  }
  return copy;
}

/**
 * The `com.docker.compose.config-hash` value. Compose hashes Go's JSON of its own structs, which we
 * cannot reproduce byte for byte: switching tools costs one recreate, and the plan says why.
 */
export function serviceConfigHash(service: Service): string {
  return createHash('sha256').update(canonicalJson(hashedServiceConfig(service))).digest('hex');
}
