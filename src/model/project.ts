/**
 * The canonical model: long syntax only, the shape `config` prints (keys as the Compose
 * Specification spells them). The loader produces it; nothing after the loader changes it.
 */

export type Dict<T> = Readonly<Record<string, T>>;

export interface Project {
  readonly name: string;
  /** Absolute project directory; relative paths in the files were resolved against it. */
  readonly working_dir: string;
  /** Absolute paths of the files that were merged, in order. */
  readonly config_files: readonly string[];
  /** The env files that fed interpolation (absolute). */
  readonly env_files: readonly string[];
  /** The interpolation environment: OS over --env-file over .env. */
  readonly environment: Dict<string>;
  readonly services: Dict<Service>;
  /** Services switched off by profiles: known (so not orphans) but not run. */
  readonly disabled_services: Dict<Service>;
  readonly networks: Dict<Network>;
  readonly volumes: Dict<Volume>;
  readonly secrets: Dict<SecretOrConfig>;
  readonly configs: Dict<SecretOrConfig>;
  readonly profiles: readonly string[];
  /** `_` with --compatibility or COMPOSE_COMPATIBILITY: containers are named `<project>_<service>_<n>`, as Compose v1 did. */
  readonly name_separator?: '_';
  /** Top-level `models` (AI models run by a provider): kept so `up` can refuse them aloud. */
  readonly models?: Dict<unknown>;
  readonly extensions?: Dict<unknown>;
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface DependsOn {
  readonly condition: DependencyCondition;
  readonly required: boolean;
  readonly restart: boolean;
}

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

export interface PortMapping {
  readonly target: number;
  /** A single port, a range `8000-8010`, or absent for an ephemeral host port. */
  readonly published?: string;
  readonly host_ip?: string;
  readonly protocol: PortProtocol;
  readonly mode: 'ingress' | 'host';
  readonly app_protocol?: string;
  readonly name?: string;
}

export type MountType = 'volume' | 'bind' | 'tmpfs' | 'image' | 'npipe' | 'cluster';

export interface ServiceVolume {
  readonly type: MountType;
  /** The volume key (named), a host path (bind, absolute), or absent (anonymous, tmpfs). */
  readonly source?: string;
  readonly target: string;
  readonly read_only?: boolean;
  readonly consistency?: string;
  readonly bind?: {
    readonly propagation?: string;
    readonly create_host_path?: boolean;
    readonly selinux?: 'z' | 'Z';
    readonly recursive?: 'enabled' | 'disabled' | 'writable' | 'readonly';
  };
  readonly volume?: { readonly nocopy?: boolean; readonly subpath?: string; readonly labels?: Dict<string> };
  readonly tmpfs?: { readonly size?: number; readonly mode?: number };
  readonly image?: { readonly subpath?: string };
}

export interface ServiceNetwork {
  readonly aliases?: readonly string[];
  readonly ipv4_address?: string;
  readonly ipv6_address?: string;
  readonly link_local_ips?: readonly string[];
  readonly mac_address?: string;
  readonly driver_opts?: Dict<string>;
  readonly priority?: number;
  readonly gw_priority?: number;
  readonly interface_name?: string;
}

export interface Healthcheck {
  /** ['CMD', ...], ['CMD-SHELL', cmd] or ['NONE']. */
  readonly test?: readonly string[];
  readonly interval?: string;
  readonly timeout?: string;
  readonly retries?: number;
  readonly start_period?: string;
  readonly start_interval?: string;
  readonly disable?: boolean;
}

export interface BuildConfig {
  /** Absolute path, or a URL for remote contexts. */
  readonly context: string;
  readonly dockerfile?: string;
  readonly dockerfile_inline?: string;
  readonly args?: Dict<string | null>;
  readonly target?: string;
  readonly labels?: Dict<string>;
  readonly tags?: readonly string[];
  readonly network?: string;
  readonly extra_hosts?: Dict<readonly string[]>;
  readonly shm_size?: number;
  readonly no_cache?: boolean;
  readonly pull?: boolean;
  readonly cache_from?: readonly string[];
  readonly cache_to?: readonly string[];
  readonly platforms?: readonly string[];
  readonly additional_contexts?: Dict<string>;
  readonly secrets?: readonly ServiceFileReference[];
  readonly ssh?: readonly string[];
  readonly isolation?: string;
  readonly privileged?: boolean;
  readonly ulimits?: Dict<Ulimit>;
}

export interface Ulimit {
  readonly soft: number;
  readonly hard: number;
}

export interface ServiceFileReference {
  readonly source: string;
  readonly target?: string;
  readonly uid?: string;
  readonly gid?: string;
  readonly mode?: number;
}

export interface EnvFileReference {
  readonly path: string;
  readonly required: boolean;
  readonly format?: 'raw';
}

export interface Logging {
  readonly driver?: string;
  readonly options?: Dict<string>;
}

export interface ResourceSpec {
  readonly cpus?: number;
  readonly memory?: number;
  readonly pids?: number;
}

export interface Deploy {
  readonly mode?: string;
  readonly replicas?: number;
  readonly labels?: Dict<string>;
  readonly resources?: {
    readonly limits?: ResourceSpec;
    readonly reservations?: ResourceSpec & { readonly devices?: readonly DeviceRequest[] };
  };
  readonly restart_policy?: {
    readonly condition?: 'none' | 'on-failure' | 'any';
    readonly delay?: string;
    readonly max_attempts?: number;
    readonly window?: string;
  };
  readonly [key: string]: unknown;
}

/** A device request (GPUs and the like): `count` -1 means all. */
export interface DeviceRequest {
  readonly driver?: string;
  readonly count?: number;
  readonly device_ids?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly options?: Dict<string>;
}

export interface BlkioRate {
  readonly path: string;
  readonly rate: number;
}

export interface BlkioConfig {
  readonly weight?: number;
  readonly weight_device?: readonly { readonly path: string; readonly weight: number }[];
  readonly device_read_bps?: readonly BlkioRate[];
  readonly device_read_iops?: readonly BlkioRate[];
  readonly device_write_bps?: readonly BlkioRate[];
  readonly device_write_iops?: readonly BlkioRate[];
}

export interface ServiceHook {
  readonly command: readonly string[];
  readonly user?: string;
  readonly privileged?: boolean;
  readonly working_dir?: string;
  readonly environment?: Dict<string | null>;
}

/** A `pre_start` hook: a one-off container run before the service's first replica starts. */
export interface PreStartHook extends ServiceHook {
  /** The hook's image; the service's when absent. */
  readonly image?: string;
  /** One run per replica: Compose refuses it (not supported yet), so do we. */
  readonly per_replica?: boolean;
}

export type WatchAction = 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec';

/**
 * A `develop.watch` rule as the file gives it (the loader makes `path` absolute; `ignore` and
 * `include` may still be a single string, `exec.command` a string).
 */
export interface WatchTrigger {
  readonly path: string;
  readonly action: WatchAction;
  readonly target?: string;
  readonly ignore?: string | readonly string[];
  readonly include?: string | readonly string[];
  readonly exec?: Omit<ServiceHook, 'command'> & { readonly command: string | readonly string[] };
  readonly initial_sync?: boolean | string;
}

export interface Develop {
  readonly watch?: readonly WatchTrigger[];
}

export interface DeviceMapping {
  readonly source: string;
  readonly target: string;
  readonly permissions: string;
}

/**
 * A service in canonical form. Keys not listed here (the rare T3 ones) are still carried in the
 * index signature, so `config` prints them and the hash covers them.
 */
export interface Service {
  readonly image?: string;
  readonly build?: BuildConfig;
  readonly command?: readonly string[] | null;
  readonly entrypoint?: readonly string[] | null;
  /** Resolved: env_file contents, then `environment:`. null means "unset in the container". */
  readonly environment: Dict<string | null>;
  readonly env_file?: readonly EnvFileReference[];
  readonly labels: Dict<string>;
  readonly ports: readonly PortMapping[];
  readonly expose?: readonly string[];
  readonly volumes: readonly ServiceVolume[];
  readonly networks?: Dict<ServiceNetwork | null>;
  readonly network_mode?: string;
  readonly depends_on: Dict<DependsOn>;
  readonly healthcheck?: Healthcheck;
  readonly restart?: string;
  readonly container_name?: string;
  readonly profiles?: readonly string[];
  readonly pull_policy?: string;
  readonly scale?: number;
  readonly deploy?: Deploy;
  readonly working_dir?: string;
  readonly user?: string;
  readonly init?: boolean;
  readonly tty?: boolean;
  readonly stdin_open?: boolean;
  readonly stop_signal?: string;
  readonly stop_grace_period?: string;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly extra_hosts?: Dict<readonly string[]>;
  readonly dns?: readonly string[];
  readonly dns_search?: readonly string[];
  readonly dns_opt?: readonly string[];
  readonly cap_add?: readonly string[];
  readonly cap_drop?: readonly string[];
  readonly privileged?: boolean;
  readonly read_only?: boolean;
  readonly ulimits?: Dict<Ulimit>;
  readonly sysctls?: Dict<string>;
  readonly tmpfs?: readonly string[];
  readonly shm_size?: number;
  readonly devices?: readonly DeviceMapping[];
  readonly pid?: string;
  readonly ipc?: string;
  readonly uts?: string;
  readonly security_opt?: readonly string[];
  readonly platform?: string;
  readonly logging?: Logging;
  readonly secrets?: readonly ServiceFileReference[];
  readonly configs?: readonly ServiceFileReference[];
  readonly links?: readonly string[];
  readonly external_links?: readonly string[];
  readonly volumes_from?: readonly string[];
  readonly mem_limit?: number;
  readonly mem_reservation?: number;
  readonly memswap_limit?: number;
  readonly cpus?: number;
  readonly cpu_shares?: number;
  readonly pids_limit?: number;
  readonly group_add?: readonly string[];
  readonly attach?: boolean;
  readonly annotations?: Dict<string>;
  readonly blkio_config?: BlkioConfig;
  readonly cgroup?: 'host' | 'private';
  readonly cgroup_parent?: string;
  readonly cpu_count?: number;
  readonly cpu_percent?: number;
  readonly cpu_period?: number;
  readonly cpu_quota?: number;
  readonly cpu_rt_period?: number;
  readonly cpu_rt_runtime?: number;
  readonly cpuset?: string;
  readonly device_cgroup_rules?: readonly string[];
  readonly gpus?: readonly DeviceRequest[];
  readonly isolation?: string;
  readonly mac_address?: string;
  readonly mem_swappiness?: number;
  readonly oom_kill_disable?: boolean;
  readonly oom_score_adj?: number;
  readonly runtime?: string;
  readonly storage_opt?: Dict<string>;
  readonly use_api_socket?: boolean;
  readonly userns_mode?: string;
  readonly pre_start?: readonly PreStartHook[];
  readonly post_start?: readonly ServiceHook[];
  readonly pre_stop?: readonly ServiceHook[];
  readonly develop?: Develop;
  readonly [extension: string]: unknown;
}

export interface IpamConfig {
  readonly subnet?: string;
  readonly ip_range?: string;
  readonly gateway?: string;
  readonly aux_addresses?: Dict<string>;
}

export interface Network {
  /** The engine's name: `<project>_<key>` unless `name:`; external ones keep theirs. */
  readonly name: string;
  readonly driver?: string;
  readonly driver_opts?: Dict<string>;
  readonly attachable?: boolean;
  readonly enable_ipv4?: boolean;
  readonly enable_ipv6?: boolean;
  readonly external?: boolean;
  readonly internal?: boolean;
  readonly ipam?: { readonly driver?: string; readonly config?: readonly IpamConfig[]; readonly options?: Dict<string> };
  readonly labels?: Dict<string>;
}

export interface Volume {
  readonly name: string;
  readonly driver?: string;
  readonly driver_opts?: Dict<string>;
  readonly external?: boolean;
  readonly labels?: Dict<string>;
}

export interface SecretOrConfig {
  readonly name: string;
  readonly file?: string;
  readonly environment?: string;
  readonly content?: string;
  readonly external?: boolean;
  readonly labels?: Dict<string>;
}

/** How many containers the service wants: `scale`, else `deploy.replicas`, else 1. */
export function desiredReplicas(service: Service): number {
  return service.scale ?? service.deploy?.replicas ?? 1;
}

/** The networks a service joins, in engine-name order of priority; none under network_mode. */
export function serviceNetworkKeys(service: Service): readonly string[] {
  if (service.network_mode !== undefined) return [];
  const networks = service.networks ?? {};
  return Object.keys(networks).sort((a, b) => {
    const pa = networks[a]?.priority ?? 0;
    const pb = networks[b]?.priority ?? 0;
    return pb - pa || a.localeCompare(b);
  });
}
