import type { ServiceSpec } from '../engine/swarm-api.js';
import { parseDurationNs } from '../model/duration.js';
import type { Deploy, Healthcheck, PortMapping, Project, Service, ServiceFileReference, ServiceVolume } from '../model/project.js';
import { desiredReplicas } from '../model/project.js';
import { StackLabel, scoped } from './stack-labels.js';

type Json = Record<string, unknown>;

/** What the spec needs that the compose model does not hold: engine names of configs and secrets, the image to run. */
export interface SpecInputs {
  readonly project: Project;
  readonly stack: string;
  readonly key: string;
  /** The image reference to run (possibly pinned to a digest). */
  readonly image: string;
  /** Compose key → engine name of each config and secret (content-addressed, or the external name). */
  readonly configNames: ReadonlyMap<string, string>;
  readonly secretNames: ReadonlyMap<string, string>;
}

/** Drops undefined, empty arrays and empty objects, so what we send and what we compare have one shape. */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const c = compact(v);
      if (c === undefined) continue;
      if (Array.isArray(c) && c.length === 0) continue;
      if (c !== null && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      out[k] = c;
    }
    return out;
  }
  return value;
}

function ns(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseDurationNs(text);
}

function environment(env: Readonly<Record<string, string | null>>): string[] {
  return Object.entries(env).map(([k, v]) => (v === null ? k : `${k}=${v}`)).sort();
}

function healthcheck(h: Healthcheck | undefined): Json | undefined {
  if (h === undefined) return undefined;
  if (h.disable === true) return { Test: ['NONE'] };
  return {
    Test: h.test,
    Interval: ns(h.interval),
    Timeout: ns(h.timeout),
    Retries: h.retries,
    StartPeriod: ns(h.start_period),
    StartInterval: ns(h.start_interval),
  };
}

/** The ports as Swarm takes them: one entry per published port of a range, sorted like docker/cli does. */
export function endpointPorts(ports: readonly PortMapping[]): Json[] {
  const out: Json[] = [];
  for (const p of ports) {
    const range = p.published === undefined ? [undefined] : expandRange(p.published);
    range.forEach((published, i) => {
      out.push({ Protocol: p.protocol, TargetPort: p.target + (range.length > 1 ? i : 0), PublishedPort: published, PublishMode: p.mode });
    });
  }
  return out.sort((a, b) => String(a['Protocol']).localeCompare(String(b['Protocol']))
    || Number(a['TargetPort']) - Number(b['TargetPort']) || Number(a['PublishedPort'] ?? 0) - Number(b['PublishedPort'] ?? 0));
}

function expandRange(published: string): (number | undefined)[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(published);
  if (match === null) return [undefined];
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function mounts(project: Project, stack: string, service: Service): Json[] {
  const list: Json[] = service.volumes.map((v) => mount(project, stack, v));
  // Swarm has no `tmpfs:` key: the same thing is a tmpfs mount.
  for (const entry of service.tmpfs ?? []) {
    const [target, ...options] = entry.split(':');
    const opts = Object.fromEntries((options.join(':').split(',')).filter((o) => o.includes('=')).map((o) => o.split('=') as [string, string]));
    list.push({
      Type: 'tmpfs',
      Target: target,
      TmpfsOptions: { SizeBytes: opts['size'] === undefined ? undefined : byteSize(opts['size']), Mode: opts['mode'] === undefined ? undefined : parseInt(opts['mode'], 8) },
    });
  }
  return list;
}

function byteSize(text: string): number | undefined {
  const match = /^(\d+)([kmg]?)b?$/i.exec(text.trim());
  if (match === null) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase()] ?? 1;
  return Number(match[1]) * unit;
}

function mount(project: Project, stack: string, v: ServiceVolume): Json {
  const base = { Target: v.target, ReadOnly: v.read_only === true ? true : undefined, Consistency: v.consistency };
  switch (v.type) {
    case 'volume': {
      if (v.source === undefined) return { Type: 'volume', ...base, VolumeOptions: { NoCopy: v.volume?.nocopy } };
      const top = project.volumes[v.source];
      if (top?.external === true) return { Type: 'volume', Source: top.name, ...base, VolumeOptions: { NoCopy: v.volume?.nocopy } };
      return {
        Type: 'volume',
        Source: top?.name ?? scoped(stack, v.source),
        ...base,
        VolumeOptions: {
          NoCopy: v.volume?.nocopy,
          Labels: { ...(top?.labels ?? {}), [StackLabel.namespace]: stack },
          DriverConfig: top?.driver === undefined && top?.driver_opts === undefined ? undefined : { Name: top?.driver, Options: top?.driver_opts },
        },
      };
    }
    case 'bind':
      return { Type: 'bind', Source: v.source, ...base, BindOptions: { Propagation: v.bind?.propagation } };
    case 'tmpfs':
      return { Type: 'tmpfs', ...base, TmpfsOptions: { SizeBytes: v.tmpfs?.size, Mode: v.tmpfs?.mode } };
    default:
      // Refused earlier (see unsupported.ts): Swarm has no such mount type.
      return { Type: v.type, Source: v.source, ...base };
  }
}

function fileReference(ref: ServiceFileReference, name: string, defaultTarget: string): Json {
  return { File: { Name: ref.target ?? defaultTarget, UID: ref.uid ?? '0', GID: ref.gid ?? '0', Mode: ref.mode ?? 0o444 }, Name: name };
}

function references(
  refs: readonly ServiceFileReference[] | undefined, names: ReadonlyMap<string, string>, nameKey: 'SecretName' | 'ConfigName',
): Json[] {
  return (refs ?? [])
    .map((ref) => {
      const { File, Name } = fileReference(ref, names.get(ref.source) ?? ref.source, ref.source);
      return { File, [nameKey]: Name };
    })
    .sort((a, b) => String(a[nameKey]).localeCompare(String(b[nameKey])));
}

function resources(service: Service): Json | undefined {
  const r = service.deploy?.resources;
  const cpus = (value: number | undefined): number | undefined => (value === undefined ? undefined : Math.round(value * 1e9));
  const generic = (r?.reservations as { generic_resources?: readonly Json[] } | undefined)?.generic_resources ?? [];
  return {
    Limits: {
      NanoCPUs: cpus(r?.limits?.cpus ?? service.cpus),
      MemoryBytes: r?.limits?.memory ?? service.mem_limit,
      Pids: r?.limits?.pids ?? service.pids_limit,
    },
    Reservations: {
      NanoCPUs: cpus(r?.reservations?.cpus),
      MemoryBytes: r?.reservations?.memory ?? service.mem_reservation,
      GenericResources: generic.map((g) => {
        const discrete = g['discrete_resource_spec'] as { kind: string; value: number } | undefined;
        const named = g['named_resource_spec'] as { kind: string; value: string } | undefined;
        return {
          DiscreteResourceSpec: discrete === undefined ? undefined : { Kind: discrete.kind, Value: discrete.value },
          NamedResourceSpec: named === undefined ? undefined : { Kind: named.kind, Value: named.value },
        };
      }),
    },
  };
}

const RESTART_CONDITION: Readonly<Record<string, string>> = { no: 'none', always: 'any', 'unless-stopped': 'any', 'on-failure': 'on-failure' };

/** `deploy.restart_policy`, else the service's `restart` (where `no` means none, not Swarm's default of any). */
export function restartPolicy(service: Service, isJob: boolean): Json | undefined {
  const policy = service.deploy?.restart_policy;
  if (policy !== undefined) {
    return { Condition: policy.condition, Delay: ns(policy.delay), MaxAttempts: policy.max_attempts, Window: ns(policy.window) };
  }
  if (service.restart !== undefined) {
    const [name, count] = service.restart.split(':');
    const condition = RESTART_CONDITION[name ?? ''];
    if (condition !== undefined) return { Condition: condition, MaxAttempts: count === undefined ? undefined : Number(count) };
  }
  // A job restarted on success would run forever.
  return isJob ? { Condition: 'on-failure' } : undefined;
}

export function serviceMode(deploy: Deploy | undefined, replicas: number): Json {
  switch (deploy?.mode) {
    case 'global': return { Global: {} };
    case 'global-job': return { GlobalJob: {} };
    case 'replicated-job': return { ReplicatedJob: { MaxConcurrent: replicas, TotalCompletions: replicas } };
    default: return { Replicated: { Replicas: replicas } };
  }
}

export function isJobMode(deploy: Deploy | undefined): boolean {
  return deploy?.mode === 'replicated-job' || deploy?.mode === 'global-job';
}

function updateConfig(value: unknown): Json | undefined {
  if (value === undefined || value === null) return undefined;
  const c = value as Json;
  return {
    Parallelism: (c['parallelism'] as number | undefined) ?? 1,
    Delay: ns(c['delay'] as string | undefined),
    FailureAction: c['failure_action'],
    Monitor: ns(c['monitor'] as string | undefined),
    MaxFailureRatio: c['max_failure_ratio'],
    Order: c['order'],
  };
}

function placement(deploy: Deploy | undefined): Json | undefined {
  const p = deploy?.['placement'] as { constraints?: string[]; preferences?: { spread: string }[]; max_replicas_per_node?: number } | undefined;
  if (p === undefined) return undefined;
  return {
    Constraints: p.constraints,
    Preferences: (p.preferences ?? []).map((pref) => ({ Spread: { SpreadDescriptor: pref.spread } })),
    MaxReplicas: p.max_replicas_per_node,
  };
}

function networks(inputs: SpecInputs, service: Service): Json[] {
  const { project, key } = inputs;
  const keys = Object.keys(service.networks ?? { default: null });
  return keys
    .map((n) => {
      const top = project.networks[n];
      const target = top?.name ?? scoped(inputs.stack, n);
      const attach = service.networks?.[n] ?? null;
      return { Target: target, Aliases: [...(attach?.aliases ?? []), key], DriverOpts: attach?.driver_opts };
    })
    .sort((a, b) => a.Target.localeCompare(b.Target));
}

function hosts(extra: Readonly<Record<string, readonly string[]>> | undefined): string[] {
  return Object.entries(extra ?? {}).flatMap(([host, ips]) => ips.map((ip) => `${ip} ${host}`));
}

/** The swarm service spec of one compose service: docker/cli's mapping, plus the keys it leaves out that Swarm can honour. */
export function serviceSpec(inputs: SpecInputs): ServiceSpec {
  const { project, stack, key } = inputs;
  const service = project.services[key] as Service;
  const deploy = service.deploy;
  const job = isJobMode(deploy);
  const containerSpec = {
    Image: inputs.image,
    Labels: { ...service.labels, [StackLabel.namespace]: stack },
    Command: service.entrypoint ?? undefined,
    Args: service.command ?? undefined,
    Hostname: service.hostname,
    Env: environment(service.environment),
    Dir: service.working_dir,
    User: service.user,
    Groups: service.group_add,
    Mounts: mounts(project, stack, service),
    StopGracePeriod: ns(service.stop_grace_period),
    StopSignal: service.stop_signal,
    TTY: service.tty === true ? true : undefined,
    OpenStdin: service.stdin_open === true ? true : undefined,
    ReadOnly: service.read_only === true ? true : undefined,
    Healthcheck: healthcheck(service.healthcheck),
    Hosts: hosts(service.extra_hosts),
    DNSConfig: { Nameservers: service.dns, Search: service.dns_search, Options: service.dns_opt },
    Secrets: references(service.secrets, inputs.secretNames, 'SecretName'),
    Configs: references(service.configs, inputs.configNames, 'ConfigName'),
    Init: service.init,
    Sysctls: service.sysctls,
    CapabilityAdd: service.cap_add,
    CapabilityDrop: service.cap_drop,
    Ulimits: Object.entries(service.ulimits ?? {}).map(([name, u]) => ({ Name: name, Soft: u.soft, Hard: u.hard })).sort((a, b) => a.Name.localeCompare(b.Name)),
  };
  const spec = {
    Name: scoped(stack, key),
    Labels: { ...(deploy?.labels ?? {}), [StackLabel.namespace]: stack, [StackLabel.image]: service.image ?? inputs.image },
    TaskTemplate: {
      ContainerSpec: containerSpec,
      Resources: resources(service),
      RestartPolicy: restartPolicy(service, job),
      Placement: placement(deploy),
      Networks: networks(inputs, service),
      LogDriver: service.logging?.driver === undefined ? undefined : { Name: service.logging.driver, Options: service.logging.options },
    },
    UpdateConfig: updateConfig(deploy?.['update_config']),
    RollbackConfig: updateConfig(deploy?.['rollback_config']),
    EndpointSpec: { Mode: (deploy?.['endpoint_mode'] as string | undefined) ?? 'vip', Ports: endpointPorts(service.ports) },
  };
  // After compact: `{ Global: {} }` is empty but says everything.
  return { ...(compact(spec) as ServiceSpec), Mode: serviceMode(deploy, desiredReplicas(service)) };
}
