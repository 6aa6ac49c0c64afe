import * as posixPath from 'node:path/posix';
import type { ServiceVolume } from '../model/project.js';

export class VolumeSyntaxError extends Error {}

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const CONSISTENCY = new Set(['consistent', 'cached', 'delegated']);
const DRIVE = /^[A-Za-z]:[\\/]/;

/** A source that names a host path (bind) rather than a volume. */
export function isHostPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~') || source.startsWith('\\') || DRIVE.test(source);
}

/** `[source:]target[:options]` → the long syntax. */
export function parseVolumeSpec(spec: string): ServiceVolume {
  const parts = splitVolumeSpec(spec);
  if (parts.length === 0 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new VolumeSyntaxError(`invalid volume "${spec}": expected [source:]target[:options]`);
  }
  if (parts.length === 1) return { type: 'volume', target: cleanTarget(parts[0]!), volume: {} };
  const [source, target, options = ''] = parts as [string, string, string?];
  const bind = isHostPath(source);
  let readOnly = false;
  let nocopy = false;
  let selinux: 'z' | 'Z' | undefined;
  let propagation: string | undefined;
  let consistency: string | undefined;
  for (const option of options === '' ? [] : options.split(',')) {
    if (option === 'ro') readOnly = true;
    else if (option === 'rw') readOnly = false;
    else if (option === 'nocopy') nocopy = true;
    else if (option === 'z' || option === 'Z') selinux = option;
    else if (PROPAGATION.has(option)) propagation = option;
    else if (CONSISTENCY.has(option)) consistency = option;
    else throw new VolumeSyntaxError(`unknown volume option "${option}" in "${spec}"`);
  }
  if (!bind && (selinux !== undefined || propagation !== undefined)) {
    throw new VolumeSyntaxError(`"${selinux ?? propagation}" applies to bind mounts only, and "${source}" is a named volume`);
  }
  const out: Record<string, unknown> = { type: bind ? 'bind' : 'volume', source, target: cleanTarget(target) };
  if (readOnly) out['read_only'] = true;
  if (consistency !== undefined) out['consistency'] = consistency;
  if (bind) {
    out['bind'] = {
      ...(propagation === undefined ? {} : { propagation }),
      create_host_path: true,
      ...(selinux === undefined ? {} : { selinux }),
    };
  } else {
    out['volume'] = nocopy ? { nocopy: true } : {};
  }
  return out as unknown as ServiceVolume;
}

/** Splits on `:` but keeps a Windows drive letter (`C:\data`) inside its part. */
function splitVolumeSpec(spec: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (c === ':' && !isDriveColon(spec, i, parts.length, current)) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** `C:\\x` or `C:/x:/target`: a drive letter, not a separator. `a:/data` stays volume `a`. */
function isDriveColon(spec: string, i: number, partIndex: number, current: string): boolean {
  if (partIndex !== 0 || current.length !== 1 || !/[A-Za-z]/.test(current)) return false;
  const next = spec[i + 1];
  return next === '\\' || (next === '/' && spec.indexOf(':', i + 1) !== -1);
}

export function cleanTarget(target: string): string {
  if (DRIVE.test(target) || target.startsWith('\\')) return target;
  const cleaned = posixPath.normalize(target);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}
