import type { ContainerCreateBody } from '../engine/engine.js';
import { canonicalJson, hashedServiceConfig, serviceConfigHash } from '../model/config-hash.js';
import { createHash } from 'node:crypto';
import { parseDurationNs, parseDurationSeconds } from '../model/duration.js';
import { formatDependsOnLabel } from '../model/depends-on-label.js';
import { COMPOSE_VERSION_LABEL, ENGINE_LABEL_VALUE, Label } from '../model/labels.js';
import { defaultImageName } from '../model/naming.js';
import type { BlkioRate, DeviceRequest, Project, Service, ServiceVolume } from '../model/project.js';
import { serviceNetworkKeys } from '../model/project.js';
import { underOwn, type ProxyVariables } from '../model/proxy-variables.js';
import { KEY_DIGESTS_LABEL } from './actual.js';

/** What the planner knows that the service alone does not say. */
export interface ContainerSpecInput {
  readonly project: Project;
  readonly service: string;
  readonly number: number;
  readonly name: string;
  /** The image ID at plan time, stored in com.docker.compose.image to spot a new build or pull. */
  readonly imageId: string | undefined;
  /** Anonymous volumes of the container being replaced: target → volume name. */
  readonly carriedVolumes?: Readonly<Record<string, string>>;
  /** Name of the container a recreate replaces (com.docker.compose.replace). */
  readonly replaces?: string;
  /** The container that `network_mode: service:x`, `volumes_from: x` and the like point at. */
  readonly serviceContainer: (service: string) => string;
  /** Seccomp profiles named in security_opt, path as written → compact JSON, read before planning. */
  readonly seccompProfiles?: ReadonlyMap<string, string>;
  /**
   * The Docker config's proxy variables for this engine: in the environment unless the service
   * sets the same key. Not in the config hash (as in Compose): a changed config.json recreates nothing.
   */
  readonly proxyEnvironment?: ProxyVariables;
}

export interface ContainerSpec {
  readonly name: string;
  readonly body: ContainerCreateBody;
  /** Networks beyond the first: the engine takes one at create, the rest are connected before start. */
  readonly extraNetworks: readonly { readonly network: string; readonly config: Readonly<Record<string, unknown>> }[];
  /** `platform` (or DOCKER_DEFAULT_PLATFORM): the create request's platform query. */
  readonly platform?: string;
}

/** Short digests of each hashed key, so the next plan can name the keys that changed. */
export function keyDigests(service: Service): string {
  const config = hashedServiceConfig(service);
  return Object.keys(config)
    .filter((k) => config[k] !== undefined)
    .sort()
    .map((k) => `${k}=${createHash('sha256').update(canonicalJson(config[k])).digest('hex').slice(0, 8)}`)
    .join(',');
}

export function containerLabels(input: ContainerSpecInput, service: Service): Record<string, string> {
  const { project } = input;
  const labels: Record<string, string> = {
    ...service.labels,
    [Label.project]: project.name,
    [Label.service]: input.service,
    [Label.containerNumber]: String(input.number),
    [Label.oneoff]: 'False',
    [Label.configHash]: serviceConfigHash(service),
    [Label.workingDir]: project.working_dir,
    [Label.configFiles]: project.config_files.join(','),
    [Label.environmentFile]: project.env_files.join(','),
    [Label.version]: COMPOSE_VERSION_LABEL,
    [Label.dependsOn]: formatDependsOnLabel(service.depends_on),
    [Label.engine]: ENGINE_LABEL_VALUE,
    [KEY_DIGESTS_LABEL]: keyDigests(service),
  };
  if (input.imageId !== undefined) labels[Label.image] = input.imageId;
  if (input.replaces !== undefined) labels[Label.replace] = input.replaces;
  return labels;
}

export function environmentList(env: Readonly<Record<string, string | null>>): string[] {
  return Object.keys(env)
    .sort()
    .map((k) => (env[k] === null ? k : `${k}=${env[k]}`));
}

function restartPolicy(service: Service): { Name: string; MaximumRetryCount?: number } | undefined {
  const text = service.restart;
  if (text !== undefined) {
    const [name, count] = text.split(':');
    if (name === 'no' || name === '') return { Name: 'no' };
    return count === undefined ? { Name: name as string } : { Name: name as string, MaximumRetryCount: Number(count) };
  }
  const policy = service.deploy?.restart_policy;
  if (policy?.condition === undefined) return undefined;
  const name = { none: 'no', 'on-failure': 'on-failure', any: 'always' }[policy.condition];
  return policy.max_attempts === undefined ? { Name: name } : { Name: name, MaximumRetryCount: policy.max_attempts };
}

function healthcheck(service: Service): Record<string, unknown> | undefined {
  const h = service.healthcheck;
  if (h === undefined) return undefined;
  if (h.disable === true) return { Test: ['NONE'] };
  const out: Record<string, unknown> = {};
  if (h.test !== undefined) out['Test'] = h.test;
  const durations = [
    ['Interval', h.interval], ['Timeout', h.timeout], ['StartPeriod', h.start_period], ['StartInterval', h.start_interval],
  ] as const;
  for (const [key, value] of durations) {
    if (value !== undefined) out[key] = parseDurationNs(value);
  }
  if (h.retries !== undefined) out['Retries'] = h.retries;
  return out;
}

function portBindings(service: Service): { exposed: Record<string, object>; bindings: Record<string, object[]> } {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, object[]> = {};
  for (const e of service.expose ?? []) {
    const [port, proto = 'tcp'] = String(e).split('/');
    exposed[`${port}/${proto}`] = {};
  }
  for (const p of service.ports) {
    const key = `${p.target}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.host_ip ?? '', HostPort: p.published ?? '' });
  }
  return { exposed, bindings };
}

function bindString(v: ServiceVolume): string {
  const options: string[] = [];
  if (v.read_only === true) options.push('ro');
  if (v.bind?.selinux !== undefined) options.push(v.bind.selinux);
  if (v.bind?.propagation !== undefined) options.push(v.bind.propagation);
  return `${v.source}:${v.target}${options.length > 0 ? `:${options.join(',')}` : ''}`;
}

function mounts(input: ContainerSpecInput, service: Service): { binds: string[]; mounts: object[] } {
  const binds: string[] = [];
  const out: object[] = [];
  for (const v of service.volumes) {
    if (v.type === 'bind' && v.bind?.create_host_path !== false && (v.bind?.recursive ?? 'enabled') === 'enabled') {
      binds.push(bindString(v));
      continue;
    }
    const mount: Record<string, unknown> = { Type: v.type, Target: v.target };
    if (v.read_only === true) mount['ReadOnly'] = true;
    if (v.type === 'volume') {
      const key = v.source;
      const named = key === undefined ? undefined : input.project.volumes[key];
      const source = named?.name ?? (key === undefined ? input.carriedVolumes?.[v.target] : key);
      if (source !== undefined) mount['Source'] = source;
      const options: Record<string, unknown> = {};
      if (v.volume?.nocopy === true) options['NoCopy'] = true;
      if (v.volume?.subpath !== undefined) options['Subpath'] = v.volume.subpath;
      if (v.volume?.labels !== undefined) options['Labels'] = v.volume.labels;
      if (Object.keys(options).length > 0) mount['VolumeOptions'] = options;
    } else if (v.type === 'bind') {
      mount['Source'] = v.source;
      const bind = bindOptions(v);
      if (bind !== undefined) mount['BindOptions'] = bind;
    } else if (v.type === 'tmpfs') {
      const options: Record<string, unknown> = {};
      if (v.tmpfs?.size !== undefined) options['SizeBytes'] = v.tmpfs.size;
      if (v.tmpfs?.mode !== undefined) options['Mode'] = v.tmpfs.mode;
      if (Object.keys(options).length > 0) mount['TmpfsOptions'] = options;
    } else if (v.type === 'image') {
      if (v.source !== undefined) mount['Source'] = v.source;
      if (v.image?.subpath !== undefined) mount['ImageOptions'] = { Subpath: v.image.subpath };
    } else if (v.source !== undefined) {
      mount['Source'] = v.source;
    }
    out.push(mount);
  }
  for (const [kind, refs, root] of [
    ['secrets', service.secrets, '/run/secrets/'],
    ['configs', service.configs, '/'],
  ] as const) {
    for (const ref of refs ?? []) {
      const top = kind === 'secrets' ? input.project.secrets[ref.source] : input.project.configs[ref.source];
      if (top?.file === undefined) continue; // environment and content sources are copied in before start
      const target = ref.target === undefined ? `${root}${ref.source}` : ref.target.startsWith('/') ? ref.target : `${root}${ref.target}`;
      binds.push(`${top.file}:${target}:ro`);
    }
  }
  return { binds, mounts: out };
}

/** Compose's bind options: propagation, and `recursive` as the engine's three flags. */
function bindOptions(v: ServiceVolume): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (v.bind?.propagation !== undefined) out['Propagation'] = v.bind.propagation;
  if (v.bind?.recursive === 'disabled') out['NonRecursive'] = true;
  if (v.bind?.recursive === 'writable') out['ReadOnlyNonRecursive'] = true;
  if (v.bind?.recursive === 'readonly') out['ReadOnlyForceRecursive'] = true;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A CDI device name, `vendor.com/class=name`: requested from the engine's CDI driver, not mapped as a path. */
export function isCdiDeviceName(name: string): boolean {
  return /^[a-zA-Z0-9][a-zA-Z0-9.-]*\/[a-zA-Z0-9][a-zA-Z0-9._-]*=[a-zA-Z0-9_.:-]+$/.test(name);
}

function deviceRequests(service: Service): object[] {
  const out: object[] = [];
  const request = (d: DeviceRequest, capabilities: readonly string[] | undefined): object => definedOnly({
    Driver: d.driver ?? '',
    Count: d.count ?? 0,
    DeviceIDs: d.device_ids,
    Capabilities: capabilities === undefined ? undefined : [capabilities],
    Options: d.options,
  });
  // The order Compose builds them in: reservations, CDI names from devices, then gpus.
  for (const d of service.deploy?.resources?.reservations?.devices ?? []) out.push(request(d, d.capabilities ?? []));
  const cdi = (service.devices ?? []).filter((d) => d.source === d.target && isCdiDeviceName(d.source)).map((d) => d.source);
  if (cdi.length > 0) out.push({ Driver: 'cdi', Count: 0, DeviceIDs: cdi });
  for (const g of service.gpus ?? []) out.push(request(g, [...(g.capabilities ?? []), 'gpu']));
  return out;
}

function blkio(service: Service): Record<string, unknown> {
  const b = service.blkio_config;
  if (b === undefined) return {};
  const rates = (list: readonly BlkioRate[] | undefined) => list?.map((r) => ({ Path: r.path, Rate: r.rate }));
  return {
    BlkioWeight: b.weight,
    BlkioWeightDevice: b.weight_device?.map((w) => ({ Path: w.path, Weight: w.weight })),
    BlkioDeviceReadBps: rates(b.device_read_bps),
    BlkioDeviceReadIOps: rates(b.device_read_iops),
    BlkioDeviceWriteBps: rates(b.device_write_bps),
    BlkioDeviceWriteIOps: rates(b.device_write_iops),
  };
}

/**
 * security_opt as the engine wants it: a seccomp profile file becomes its JSON (read before
 * planning); `systempaths=unconfined` is no option but empty MaskedPaths and ReadonlyPaths.
 */
function securityOptions(service: Service, input: ContainerSpecInput): { options?: string[]; unconfined: boolean } {
  if (service.security_opt === undefined) return { unconfined: false };
  let unconfined = false;
  const options: string[] = [];
  for (const opt of service.security_opt) {
    if (opt === 'systempaths=unconfined') {
      unconfined = true;
      continue;
    }
    const file = seccompFile(opt);
    const profile = file === undefined ? undefined : input.seccompProfiles?.get(file);
    options.push(profile === undefined ? opt : `seccomp=${profile}`);
  }
  return { options, unconfined };
}

/** The profile path of `seccomp=<file>` (or `seccomp:<file>`); undefined for other options and the built-in profiles. */
export function seccompFile(opt: string): string | undefined {
  const match = /^seccomp[=:](.*)$/.exec(opt);
  const value = match?.[1];
  return value === undefined || value === 'unconfined' || value === 'builtin' ? undefined : value;
}

export function endpointConfig(serviceName: string, service: Service, key: string): Record<string, unknown> {
  const net = service.networks?.[key] ?? null;
  const config: Record<string, unknown> = { Aliases: [serviceName, ...(net?.aliases ?? [])] };
  const ipam: Record<string, unknown> = {};
  if (net?.ipv4_address !== undefined) ipam['IPv4Address'] = net.ipv4_address;
  if (net?.ipv6_address !== undefined) ipam['IPv6Address'] = net.ipv6_address;
  if (net?.link_local_ips !== undefined) ipam['LinkLocalIPs'] = net.link_local_ips;
  if (Object.keys(ipam).length > 0) config['IPAMConfig'] = ipam;
  if (net?.mac_address !== undefined) config['MacAddress'] = net.mac_address;
  const driverOpts = net?.interface_name === undefined
    ? net?.driver_opts
    : { ...net.driver_opts, 'com.docker.network.endpoint.ifname': net.interface_name };
  if (driverOpts !== undefined) config['DriverOpts'] = driverOpts;
  if (net?.gw_priority !== undefined) config['GwPriority'] = net.gw_priority;
  return config;
}

function namespaceMode(mode: string | undefined, input: ContainerSpecInput): string | undefined {
  if (mode === undefined) return undefined;
  return mode.startsWith('service:') ? `container:${input.serviceContainer(mode.slice('service:'.length))}` : mode;
}

function definedOnly(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}

/** `links` to service containers, then `external_links` to any container by name (`name[:alias]`). */
function links(service: Service, input: ContainerSpecInput): string[] | undefined {
  if (service.links === undefined && service.external_links === undefined) return undefined;
  const out = (service.links ?? []).map((l) => {
    const [target = '', alias = target] = l.split(':');
    return `${input.serviceContainer(target)}:${alias}`;
  });
  for (const l of service.external_links ?? []) {
    const at = l.indexOf(':');
    out.push(at === -1 ? `${l}:${l}` : l);
  }
  return out;
}

/** The create request for one replica of a service. */
export function buildContainerSpec(input: ContainerSpecInput): ContainerSpec {
  const service = input.project.services[input.service];
  if (service === undefined) throw new Error(`unknown service ${input.service}`);
  const image = service.image ?? defaultImageName(input.project.name, input.service, input.project.name_separator);
  const { exposed, bindings } = portBindings(service);
  const { binds, mounts: mountList } = mounts(input, service);
  const networkKeys = serviceNetworkKeys(service);
  const networkName = (key: string): string => input.project.networks[key]?.name ?? key;
  const [firstNetwork, ...otherNetworks] = networkKeys;
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const cpus = limits?.cpus ?? service.cpus;
  const security = securityOptions(service, input);
  const requests = deviceRequests(service);
  const mainNetwork = firstNetwork === undefined ? undefined : service.networks?.[firstNetwork];

  const hostConfig = definedOnly({
    Binds: binds.length > 0 ? binds : undefined,
    Mounts: mountList.length > 0 ? mountList : undefined,
    PortBindings: Object.keys(bindings).length > 0 ? bindings : undefined,
    NetworkMode: service.network_mode !== undefined
      ? namespaceMode(service.network_mode, input)
      : firstNetwork !== undefined ? networkName(firstNetwork) : undefined,
    RestartPolicy: restartPolicy(service),
    Init: service.init,
    Privileged: service.privileged,
    ReadonlyRootfs: service.read_only,
    CapAdd: service.cap_add,
    CapDrop: service.cap_drop,
    Dns: service.dns,
    DnsSearch: service.dns_search,
    DnsOptions: service.dns_opt,
    ExtraHosts: service.extra_hosts === undefined
      ? undefined
      : Object.entries(service.extra_hosts).flatMap(([host, ips]) => ips.map((ip) => `${host}:${ip}`)),
    Ulimits: service.ulimits === undefined
      ? undefined
      : Object.entries(service.ulimits).map(([Name, u]) => ({ Name, Soft: u.soft, Hard: u.hard })),
    Sysctls: service.sysctls,
    Tmpfs: service.tmpfs === undefined
      ? undefined
      : Object.fromEntries(service.tmpfs.map((t) => {
        const [path, options = ''] = t.split(':');
        return [path, options];
      })),
    ShmSize: service.shm_size,
    Devices: service.devices
      ?.filter((d) => !(d.source === d.target && isCdiDeviceName(d.source)))
      .map((d) => ({ PathOnHost: d.source, PathInContainer: d.target, CgroupPermissions: d.permissions })),
    DeviceRequests: requests.length > 0 ? requests : undefined,
    DeviceCgroupRules: service.device_cgroup_rules,
    PidMode: namespaceMode(service.pid, input),
    IpcMode: namespaceMode(service.ipc, input),
    UTSMode: service.uts,
    SecurityOpt: security.options,
    MaskedPaths: security.unconfined ? [] : undefined,
    ReadonlyPaths: security.unconfined ? [] : undefined,
    LogConfig: service.logging?.driver === undefined && service.logging?.options === undefined
      ? undefined
      : { Type: service.logging?.driver ?? '', Config: service.logging?.options ?? {} },
    Memory: limits?.memory ?? service.mem_limit,
    MemoryReservation: reservations?.memory ?? service.mem_reservation,
    MemorySwap: service.memswap_limit,
    NanoCpus: cpus === undefined ? undefined : Math.round(cpus * 1e9),
    CpuShares: service.cpu_shares,
    CpuCount: service.cpu_count,
    // Compose sends the percentage times 100 (its own conversion); Linux engines discard it with a warning.
    CpuPercent: service.cpu_percent === undefined ? undefined : Math.trunc(service.cpu_percent * 100),
    CpuPeriod: service.cpu_period,
    CpuQuota: service.cpu_quota,
    CpuRealtimePeriod: service.cpu_rt_period,
    CpuRealtimeRuntime: service.cpu_rt_runtime,
    CpusetCpus: service.cpuset,
    CgroupParent: service.cgroup_parent,
    CgroupnsMode: service.cgroup,
    // Compose leaves 0 out (the engine's default, -1, then applies).
    MemorySwappiness: service.mem_swappiness === undefined || service.mem_swappiness === 0 ? undefined : service.mem_swappiness,
    OomKillDisable: service.oom_kill_disable,
    OomScoreAdj: service.oom_score_adj,
    ...blkio(service),
    Annotations: service.annotations,
    StorageOpt: service.storage_opt,
    UsernsMode: service.userns_mode,
    Isolation: service.isolation,
    Runtime: service.runtime,
    PidsLimit: limits?.pids ?? service.pids_limit,
    GroupAdd: service.group_add,
    VolumesFrom: service.volumes_from?.map((v) => {
      const [source = '', mode] = v.startsWith('container:') ? [v.slice('container:'.length)] : v.split(':');
      const target = v.startsWith('container:') ? source : input.serviceContainer(source);
      return mode === undefined ? target : `${target}:${mode}`;
    }),
    Links: links(service, input),
  });

  const body = definedOnly({
    Image: image,
    Labels: containerLabels(input, service),
    Cmd: service.command ?? undefined,
    Entrypoint: service.entrypoint ?? undefined,
    Env: environmentList(underOwn(input.proxyEnvironment ?? {}, service.environment)),
    ExposedPorts: Object.keys(exposed).length > 0 ? exposed : undefined,
    Hostname: service.hostname,
    // API 1.41 takes the MAC address on the container: the service's, else the main network's.
    MacAddress: service.mac_address ?? mainNetwork?.mac_address,
    Domainname: service.domainname,
    User: service.user,
    WorkingDir: service.working_dir,
    Tty: service.tty ?? false,
    OpenStdin: service.stdin_open ?? false,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    StopSignal: service.stop_signal,
    StopTimeout: service.stop_grace_period === undefined ? undefined : parseDurationSeconds(service.stop_grace_period),
    Healthcheck: healthcheck(service),
    HostConfig: hostConfig,
    NetworkingConfig: firstNetwork === undefined
      ? undefined
      : { EndpointsConfig: { [networkName(firstNetwork)]: endpointConfig(input.service, service, firstNetwork) } },
  }) as ContainerCreateBody;

  const platform = service.platform ?? input.project.environment['DOCKER_DEFAULT_PLATFORM'];
  return {
    name: input.name,
    body,
    ...(platform === undefined || platform === '' ? {} : { platform }),
    extraNetworks: otherNetworks.map((key) => ({
      network: networkName(key),
      config: endpointConfig(input.service, service, key),
    })),
  };
}
