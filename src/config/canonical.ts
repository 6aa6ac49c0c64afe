import type { KeyPath, Locator } from './locator.js';
import { configErrorAt } from './config-error.js';
import { parseByteSize } from './byte-size.js';
import { parseDurationNs } from '../model/duration.js';
import { normalizePortObject, parsePortSpec, PortSyntaxError } from './canonical-ports.js';
import { cleanTarget, parseVolumeSpec, VolumeSyntaxError } from './canonical-volumes.js';
import { RESERVED_KEY } from './parse.js';
import { splitShellWords } from './shell-split.js';
import type { Lookup } from './template.js';
import { isMapping, type Mapping } from './tree.js';
import { splitKeyValue } from '../model/key-value.js';

/**
 * Short syntax to long syntax, per file and before merging, so that merge rules only ever see one
 * shape. Defaults that must not override another file's value (build context and dockerfile,
 * the default network) wait for normalize, after the merge.
 */
export interface CanonicalOptions {
  readonly locator?: Locator;
  /** Fills bare `environment`/`build.args` keys. */
  readonly lookup: Lookup;
  /** `--no-interpolate`: a short syntax still holding `${...}` is kept as written instead of failing. */
  readonly keepTemplates?: boolean;
}

type ServiceTransform = (value: unknown, path: KeyPath, ctx: Context) => unknown;

interface Context {
  readonly options: CanonicalOptions;
  fail(path: KeyPath, message: string, hint?: string): never;
}

/** A name taken from a list entry (`KEY=VALUE`, a network, a dependency) that becomes a mapping key. */
function nameKey(name: string, path: KeyPath, ctx: Context): string {
  if (name === RESERVED_KEY) ctx.fail(path, `"${RESERVED_KEY}" cannot be used as a name`, 'rename it: JavaScript reserves this name');
  return name;
}

export function canonicalizeTree(tree: Mapping, options: CanonicalOptions): Mapping {
  const ctx: Context = {
    options,
    fail(path, message, hint) {
      throw configErrorAt(options.locator, path, message, hint);
    },
  };
  const out: Mapping = { ...tree };
  if (isMapping(tree['services'])) {
    const services: Mapping = {};
    for (const [name, service] of Object.entries(tree['services'])) {
      services[name] = canonicalizeService(service, ['services', name], ctx);
    }
    out['services'] = services;
  }
  for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    if (isMapping(tree[section])) out[section] = canonicalizeResources(tree[section], section, ctx);
  }
  if (tree['include'] !== undefined) out['include'] = canonicalizeInclude(tree['include'], ctx);
  return out;
}

function canonicalizeService(service: unknown, path: KeyPath, ctx: Context): Mapping {
  if (service === null || service === undefined) return {};
  if (!isMapping(service)) ctx.fail(path, `service ${String(path[1])} must be a mapping`);
  const out: Mapping = {};
  for (const key of Object.keys(service)) {
    const value = service[key];
    const transform = SERVICE_TRANSFORMS.get(key);
    out[key] = transform === undefined || value === null || value === undefined ? value : transform(value, [...path, key], ctx);
  }
  return out;
}

function canonicalizeResources(section: Mapping, kind: string, ctx: Context): Mapping {
  const out: Mapping = {};
  for (const [key, value] of Object.entries(section)) {
    const path = [kind, key];
    if (value === null || value === undefined) {
      out[key] = {};
      continue;
    }
    if (!isMapping(value)) ctx.fail(path, `${kind}.${key} must be a mapping`);
    const resource: Mapping = { ...value };
    if (resource['labels'] !== undefined) resource['labels'] = toStringMap(resource['labels'], [...path, 'labels'], ctx, 'label');
    if (isMapping(resource['external'])) {
      // The legacy `external: {name: x}` form.
      const legacyName = resource['external']['name'];
      if (legacyName !== undefined && resource['name'] !== undefined) {
        ctx.fail([...path, 'external', 'name'], `${kind}.${key}: external.name and name conflict`, 'keep only `name`');
      }
      resource['external'] = true;
      if (typeof legacyName === 'string' && resource['name'] === undefined) resource['name'] = legacyName;
    }
    if (isMapping(resource['driver_opts'])) resource['driver_opts'] = stringValues(resource['driver_opts']);
    out[key] = resource;
  }
  return out;
}

function canonicalizeInclude(value: unknown, ctx: Context): unknown[] {
  const entries = Array.isArray(value) ? value : [value];
  return entries.map((entry, index) => {
    if (typeof entry === 'string') return { path: [entry] };
    if (!isMapping(entry)) ctx.fail(['include', index], 'an include entry must be a path or a mapping');
    const out: Mapping = { ...entry };
    if (typeof out['path'] === 'string') out['path'] = [out['path']];
    if (typeof out['env_file'] === 'string') out['env_file'] = [out['env_file']];
    return out;
  });
}

// ---- the per-key table ----

const SERVICE_TRANSFORMS = new Map<string, ServiceTransform>([
  ['build', canonicalBuild],
  ['command', canonicalCommand],
  ['entrypoint', canonicalCommand],
  ['environment', (v, p, c) => toEnvironmentMap(v, p, c)],
  ['env_file', canonicalEnvFile],
  ['label_file', (v) => (Array.isArray(v) ? v : [v])],
  ['labels', (v, p, c) => toStringMap(v, p, c, 'label')],
  ['annotations', (v, p, c) => toStringMap(v, p, c, 'annotation')],
  ['sysctls', (v, p, c) => toStringMap(v, p, c, 'sysctl')],
  ['ports', canonicalPorts],
  ['expose', (v) => (Array.isArray(v) ? v : [v]).map(String)],
  ['volumes', canonicalVolumes],
  ['networks', canonicalServiceNetworks],
  ['depends_on', canonicalDependsOn],
  ['healthcheck', canonicalHealthcheck],
  ['extra_hosts', canonicalExtraHosts],
  ['secrets', canonicalFileReferences],
  ['configs', canonicalFileReferences],
  ['ulimits', canonicalUlimits],
  ['devices', canonicalDevices],
  ['group_add', (v) => toList(v).map(scalarText)],
  ['tmpfs', toList],
  ['dns', toList],
  ['dns_search', toList],
  ['dns_opt', toList],
  ['extends', (v) => (typeof v === 'string' ? { service: v } : v)],
  ['deploy', canonicalDeploy],
  ['logging', canonicalLogging],
  ['mem_limit', byteSize],
  ['mem_reservation', byteSize],
  // -1: unlimited swap (Docker's own value).
  ['memswap_limit', (v, p, c) => (v === -1 || v === '-1' ? -1 : byteSize(v, p, c))],
  ['cpu_rt_period', microseconds],
  ['cpu_rt_runtime', microseconds],
  ['blkio_config', canonicalBlkio],
  ['storage_opt', (v) => (isMapping(v) ? stringValues(v) : v)],
  ['gpus', canonicalGpus],
  ['device_cgroup_rules', toList],
  ['shm_size', byteSize],
  ['post_start', canonicalHooks],
  ['pre_stop', canonicalHooks],
  ['pre_start', canonicalHooks],
]);

function toList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function byteSize(value: unknown, path: KeyPath, ctx: Context): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) {
    ctx.fail(path, `invalid size ${value}: a number of bytes must be whole`, 'write a whole number of bytes or a size such as 512m');
  }
  const bytes = parseByteSize(value);
  if (bytes !== undefined) return bytes;
  if (ctx.options.keepTemplates === true && typeof value === 'string' && value.includes('$')) return value;
  return ctx.fail(path, `invalid size "${scalarText(value)}"`, 'write a number of bytes or a size such as 512m or 2g');
}

/** `K=V` lists and maps → a map; bare keys and null values come from the environment, else stay null. */
function toEnvironmentMap(value: unknown, path: KeyPath, ctx: Context): Mapping {
  const out: Mapping = {};
  const lookup = ctx.options.lookup;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item === null || typeof item === 'object') ctx.fail([...path, index], 'each entry must be a KEY=VALUE string');
      const text = scalarText(item);
      const { key, value } = splitKeyValue(text);
      out[nameKey(key, [...path, index], ctx)] = value ?? lookup(key) ?? null;
    });
    return out;
  }
  if (!isMapping(value)) ctx.fail(path, 'must be a mapping or a list of KEY=VALUE strings');
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object') ctx.fail([...path, key], `the value of ${key} must be a string, a number or a boolean`);
    out[key] = v === null || v === undefined ? (lookup(key) ?? null) : scalarText(v);
  }
  return out;
}

/** Labels and the like: no environment lookup, a bare key is an empty string. */
function toStringMap(value: unknown, path: KeyPath, ctx: Context, what: string): Mapping {
  const out: Mapping = {};
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item === null || typeof item === 'object') ctx.fail([...path, index], `each ${what} must be a KEY=VALUE string`);
      const text = scalarText(item);
      const { key, value } = splitKeyValue(text);
      out[nameKey(key, [...path, index], ctx)] = value ?? '';
    });
    return out;
  }
  if (!isMapping(value)) ctx.fail(path, `must be a mapping or a list of KEY=VALUE strings`);
  for (const [key, v] of Object.entries(value)) out[key] = v === null || v === undefined ? '' : scalarText(v);
  return out;
}

function stringValues(value: Mapping): Mapping {
  const out: Mapping = {};
  for (const [key, v] of Object.entries(value)) out[key] = v === null || v === undefined ? '' : scalarText(v);
  return out;
}

function canonicalCommand(value: unknown, path: KeyPath, ctx: Context): unknown {
  if (Array.isArray(value)) return value.map(scalarText);
  if (typeof value !== 'string') return value;
  try {
    return splitShellWords(value);
  } catch (error) {
    return ctx.fail(path, `cannot split the command: ${(error as Error).message}`, 'quote the command as a list instead');
  }
}

function canonicalBuild(value: unknown, path: KeyPath, ctx: Context): unknown {
  if (typeof value === 'string') return { context: value };
  if (!isMapping(value)) return value;
  const out: Mapping = { ...value };
  if (out['args'] !== undefined && out['args'] !== null) out['args'] = toEnvironmentMap(out['args'], [...path, 'args'], ctx);
  if (out['labels'] !== undefined && out['labels'] !== null) out['labels'] = toStringMap(out['labels'], [...path, 'labels'], ctx, 'label');
  if (out['extra_hosts'] !== undefined) out['extra_hosts'] = canonicalExtraHosts(out['extra_hosts'], [...path, 'extra_hosts'], ctx);
  if (out['additional_contexts'] !== undefined) {
    out['additional_contexts'] = toStringMap(out['additional_contexts'], [...path, 'additional_contexts'], ctx, 'context');
  }
  if (out['secrets'] !== undefined) out['secrets'] = canonicalFileReferences(out['secrets'], [...path, 'secrets'], ctx);
  if (out['ulimits'] !== undefined) out['ulimits'] = canonicalUlimits(out['ulimits'], [...path, 'ulimits'], ctx);
  if (typeof out['ssh'] === 'string') out['ssh'] = [out['ssh']];
  else if (isMapping(out['ssh'])) out['ssh'] = Object.entries(out['ssh']).map(([k, v]) => (v === null ? k : `${k}=${scalarText(v)}`));
  if (out['shm_size'] !== undefined) out['shm_size'] = byteSize(out['shm_size'], [...path, 'shm_size'], ctx);
  return out;
}

function canonicalEnvFile(value: unknown, path: KeyPath, ctx: Context): unknown[] {
  return toList(value).map((entry, index) => {
    if (typeof entry === 'string') return { path: entry, required: true };
    if (!isMapping(entry) || typeof entry['path'] !== 'string') ctx.fail([...path, index], 'an env_file entry needs a path');
    const out: Mapping = { path: entry['path'], required: entry['required'] ?? true };
    if (entry['format'] !== undefined && entry['format'] !== '') out['format'] = entry['format'];
    return out;
  });
}

function canonicalPorts(value: unknown, path: KeyPath, ctx: Context): unknown[] {
  const out: unknown[] = [];
  toList(value).forEach((entry, index) => {
    const itemPath = [...path, index];
    try {
      if (typeof entry === 'string' || typeof entry === 'number') {
        if (ctx.options.keepTemplates === true && typeof entry === 'string' && entry.includes('$')) out.push(entry);
        else out.push(...parsePortSpec(entry));
      } else if (isMapping(entry)) out.push(normalizePortObject(entry));
      else ctx.fail(itemPath, 'a port must be a string, a number or a mapping');
    } catch (error) {
      if (error instanceof PortSyntaxError) {
        ctx.fail(itemPath, error.message, 'write ports as [host_ip:][published:]target[/protocol], e.g. "8080:80"');
      }
      throw error;
    }
  });
  return out;
}

function canonicalVolumes(value: unknown, path: KeyPath, ctx: Context): unknown[] {
  return toList(value).map((entry, index) => {
    const itemPath = [...path, index];
    try {
      if (typeof entry === 'string') {
        if (ctx.options.keepTemplates === true && entry.includes('$')) return entry;
        return parseVolumeSpec(entry);
      }
      if (!isMapping(entry)) return ctx.fail(itemPath, 'a volume must be a string or a mapping');
      const out: Mapping = { ...entry };
      if (out['type'] === 'bind' && (out['source'] === undefined || out['source'] === null || out['source'] === '')) {
        ctx.fail(itemPath, 'a bind mount needs a source', 'set `source:` to the host path to mount');
      }
      if (typeof out['target'] === 'string') out['target'] = cleanTarget(out['target']);
      if (isMapping(out['tmpfs']) && out['tmpfs']['size'] !== undefined) {
        out['tmpfs'] = { ...out['tmpfs'], size: byteSize(out['tmpfs']['size'], [...itemPath, 'tmpfs', 'size'], ctx) };
      }
      return out;
    } catch (error) {
      if (error instanceof VolumeSyntaxError) {
        ctx.fail(itemPath, error.message, 'write volumes as source:target[:ro], e.g. "./data:/data" or "db-data:/var/lib/db"');
      }
      throw error;
    }
  });
}

function canonicalServiceNetworks(value: unknown, path: KeyPath, ctx: Context): Mapping {
  if (Array.isArray(value)) {
    const out: Mapping = {};
    value.forEach((name, index) => {
      if (typeof name !== 'string') ctx.fail([...path, index], 'a network name must be a string');
      out[nameKey(name, [...path, index], ctx)] = null;
    });
    return out;
  }
  if (!isMapping(value)) return ctx.fail(path, 'must be a list of network names or a mapping');
  const out: Mapping = {};
  for (const [name, config] of Object.entries(value)) {
    if (!isMapping(config)) {
      out[name] = config ?? null;
      continue;
    }
    const copy: Mapping = { ...config };
    if (typeof copy['aliases'] === 'string') copy['aliases'] = [copy['aliases']];
    if (isMapping(copy['driver_opts'])) copy['driver_opts'] = stringValues(copy['driver_opts']);
    out[name] = copy;
  }
  return out;
}

const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

function canonicalDependsOn(value: unknown, path: KeyPath, ctx: Context): Mapping {
  const out: Mapping = {};
  if (Array.isArray(value)) {
    value.forEach((name, index) => {
      if (typeof name !== 'string') ctx.fail([...path, index], 'a dependency must be a service name');
      out[nameKey(name, [...path, index], ctx)] = { condition: 'service_started', required: true, restart: false };
    });
    return out;
  }
  if (!isMapping(value)) return ctx.fail(path, 'must be a list of service names or a mapping');
  for (const [name, config] of Object.entries(value)) {
    const entry = isMapping(config) ? config : {};
    const condition = entry['condition'] ?? 'service_started';
    if (typeof condition !== 'string' || !CONDITIONS.has(condition)) {
      ctx.fail([...path, name, 'condition'], `unknown condition "${scalarText(condition)}"`, `use one of ${[...CONDITIONS].join(', ')}`);
    }
    out[name] = { ...entry, condition, required: entry['required'] ?? true, restart: entry['restart'] ?? false };
  }
  return out;
}

const HEALTHCHECK_FORMS = new Set(['NONE', 'CMD', 'CMD-SHELL']);

function canonicalHealthcheck(value: unknown, path: KeyPath, ctx: Context): unknown {
  if (!isMapping(value)) return value;
  const out: Mapping = { ...value };
  const test = out['test'];
  if (typeof test === 'string') out['test'] = test === '' ? ['NONE'] : ['CMD-SHELL', test];
  else if (Array.isArray(test)) {
    const words = test.map(scalarText);
    const first = words[0];
    const template = ctx.options.keepTemplates === true && first?.includes('$') === true;
    if (first !== undefined && !HEALTHCHECK_FORMS.has(first) && !template) {
      ctx.fail(
        [...path, 'test', 0],
        `healthcheck.test must start with "CMD", "CMD-SHELL" or "NONE", not "${first}"`,
        `write ["CMD", ${JSON.stringify(first)}, ...] to run it directly, or ["CMD-SHELL", "..."] to run it through a shell`,
      );
    }
    out['test'] = words;
  }
  return out;
}

function canonicalExtraHosts(value: unknown, path: KeyPath, ctx: Context): Mapping {
  const out: Record<string, string[]> = {};
  const add = (host: string, ip: string): void => {
    const clean = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
    (out[host] ??= []).push(clean);
  };
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      const text = scalarText(entry);
      const eq = text.indexOf('=');
      const sep = eq !== -1 ? eq : text.indexOf(':');
      if (sep <= 0) ctx.fail([...path, index], `invalid extra host "${text}"`, 'write host:ip or host=ip');
      add(nameKey(text.slice(0, sep), [...path, index], ctx), text.slice(sep + 1));
    });
    return out;
  }
  if (!isMapping(value)) return ctx.fail(path, 'must be a list of host:ip or a mapping');
  for (const [host, ips] of Object.entries(value)) {
    for (const ip of Array.isArray(ips) ? ips : [ips]) add(host, scalarText(ip));
  }
  return out;
}

function canonicalFileReferences(value: unknown, path: KeyPath, ctx: Context): unknown[] {
  return toList(value).map((entry, index) => {
    if (typeof entry === 'string') return { source: entry };
    if (!isMapping(entry) || typeof entry['source'] !== 'string') return ctx.fail([...path, index], 'needs a `source`');
    // uid and gid are names or numbers; the model keeps them as text, as the engine takes them.
    const out: Mapping = { ...entry };
    for (const id of ['uid', 'gid'] as const) if (typeof out[id] === 'number') out[id] = String(out[id]);
    return out;
  });
}

function canonicalUlimits(value: unknown, path: KeyPath, ctx: Context): Mapping {
  if (!isMapping(value)) return ctx.fail(path, 'must be a mapping');
  const out: Mapping = {};
  for (const [name, limit] of Object.entries(value)) {
    if (typeof limit === 'number') out[name] = { soft: limit, hard: limit };
    else if (isMapping(limit)) out[name] = limit;
    else ctx.fail([...path, name], 'a ulimit is a number or a mapping with soft and hard');
  }
  return out;
}

function canonicalDevices(value: unknown, path: KeyPath, ctx: Context): unknown[] {
  return toList(value).map((entry, index) => {
    if (isMapping(entry)) return { permissions: 'rwm', ...entry, target: entry['target'] ?? entry['source'] };
    if (typeof entry !== 'string' || entry === '') return ctx.fail([...path, index], 'a device is source[:target[:permissions]]');
    const [source, target, permissions] = entry.split(':');
    return { source, target: target === undefined || target === '' ? source : target, permissions: permissions ?? 'rwm' };
  });
}

function canonicalDeploy(value: unknown, path: KeyPath, ctx: Context): unknown {
  if (!isMapping(value)) return value;
  const out: Mapping = { ...value };
  if (out['labels'] !== undefined && out['labels'] !== null) out['labels'] = toStringMap(out['labels'], [...path, 'labels'], ctx, 'label');
  const resources = out['resources'];
  if (isMapping(resources)) {
    const r: Mapping = { ...resources };
    for (const part of ['limits', 'reservations'] as const) {
      const spec = r[part];
      if (isMapping(spec) && spec['memory'] !== undefined) {
        r[part] = { ...spec, memory: byteSize(spec['memory'], [...path, 'resources', part, 'memory'], ctx) };
      }
      const devices = isMapping(r[part]) ? (r[part] as Mapping)['devices'] : undefined;
      if (Array.isArray(devices)) {
        r[part] = { ...(r[part] as Mapping), devices: devices.map((d: unknown) => (isMapping(d) ? canonicalDeviceRequest(d) : d)) };
      }
    }
    out['resources'] = r;
  }
  return out;
}

/** A number is microseconds already; a duration (`950ms`) is converted. */
function microseconds(value: unknown, path: KeyPath, ctx: Context): unknown {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || (ctx.options.keepTemplates === true && value.includes('$'))) return value;
  if (/^[+-]?\d+$/.test(value.trim())) return Number.parseInt(value, 10);
  const ns = parseDurationNs(value);
  return ns === undefined
    ? ctx.fail(path, `invalid duration "${value}"`, 'write a number of microseconds or a duration such as 950ms')
    : Math.round(ns / 1000);
}

/** Rates per device: `*_bps` are byte sizes (`12mb`), `*_iops` plain counts. */
function canonicalBlkio(value: unknown, path: KeyPath, ctx: Context): unknown {
  if (!isMapping(value)) return value;
  const out: Mapping = { ...value };
  for (const key of ['device_read_bps', 'device_write_bps', 'device_read_iops', 'device_write_iops'] as const) {
    const list = out[key];
    if (!Array.isArray(list)) continue;
    out[key] = list.map((entry: unknown, index) => {
      if (!isMapping(entry) || entry['rate'] === undefined) return entry;
      const at = [...path, key, index, 'rate'];
      return { ...entry, rate: key.endsWith('_bps') ? byteSize(entry['rate'], at, ctx) : entry['rate'] };
    });
  }
  return out;
}

/** `gpus: all` is one request for every GPU; a request naming neither count nor ids wants them all (count -1). */
function canonicalGpus(value: unknown): unknown {
  if (typeof value === 'string') return [{ count: -1 }];
  if (!Array.isArray(value)) return value;
  return value.map((request: unknown) => {
    if (!isMapping(request)) return request;
    const out = canonicalDeviceRequest(request);
    return out['count'] === undefined && out['device_ids'] === undefined ? { ...out, count: -1 } : out;
  });
}

function canonicalDeviceRequest(request: Mapping): Mapping {
  const out: Mapping = { ...request };
  if (typeof out['count'] === 'string') out['count'] = out['count'].toLowerCase() === 'all' ? -1 : Number.parseInt(out['count'], 10);
  if (isMapping(out['options'])) out['options'] = stringValues(out['options']);
  return out;
}

function canonicalLogging(value: unknown): unknown {
  if (!isMapping(value) || !isMapping(value['options'])) return value;
  return { ...value, options: stringValues(value['options']) };
}

function canonicalHooks(value: unknown, path: KeyPath, ctx: Context): unknown {
  return toList(value).map((hook, index) => {
    if (!isMapping(hook)) return hook;
    const out: Mapping = { ...hook };
    if (out['command'] !== undefined) out['command'] = canonicalCommand(out['command'], [...path, index, 'command'], ctx);
    if (out['environment'] !== undefined) out['environment'] = toEnvironmentMap(out['environment'], [...path, index, 'environment'], ctx);
    return out;
  });
}
