import type { Network, SecretOrConfig, Service, Volume } from '../model/project.js';
import type { KeyPath } from './locator.js';
import { isMapping } from './tree.js';

/**
 * The shapes of the typed model (model/project.ts) as data, so that binding a canonical tree to
 * it is checked instead of cast. A stage that produces a wrong shape, or a value that slipped past
 * the schema, stops here with the key path instead of surprising the engine code later.
 */
export interface ShapeProblem {
  readonly path: KeyPath;
  readonly expected: string;
}

interface CheckContext {
  /** `--no-interpolate`: text holding `${...}` stands in for any value. */
  readonly templates: boolean;
}

/** A shape check; `T` names the model type a value that passes it is bound to. */
export interface Check<T = unknown> {
  (value: unknown, path: KeyPath, ctx: CheckContext): ShapeProblem | undefined;
  readonly model?: T;
}

const isTemplate = (value: unknown, ctx: CheckContext): boolean => ctx.templates && typeof value === 'string' && value.includes('$');

function leaf(expected: string, test: (value: unknown) => boolean): Check {
  return (value, path, ctx) => (test(value) || isTemplate(value, ctx) ? undefined : { path, expected });
}

export const str = leaf('a string', (v) => typeof v === 'string');
export const num = leaf('a number', (v) => typeof v === 'number');
export const bool = leaf('a boolean', (v) => typeof v === 'boolean');
const oneOf = (...words: readonly string[]): Check => leaf(`one of ${words.join(', ')}`, (v) => typeof v === 'string' && words.includes(v));

export const nullable = (check: Check): Check => (value, path, ctx) => (value === null ? undefined : check(value, path, ctx));

export function listOf(item: Check): Check {
  return (value, path, ctx) => {
    if (isTemplate(value, ctx)) return undefined;
    if (!Array.isArray(value)) return { path, expected: 'a list' };
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], [...path, i], ctx);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

export function dictOf(item: Check): Check {
  return (value, path, ctx) => {
    if (isTemplate(value, ctx)) return undefined;
    if (!isMapping(value)) return { path, expected: 'a mapping' };
    for (const key of Object.keys(value)) {
      const problem = item(value[key], [...path, key], ctx);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/** A mapping whose listed keys have these shapes; other keys (extensions, rare ones) pass as they are. */
export function shape<T = unknown>(fields: Readonly<Record<string, Check>>, required: readonly string[] = []): Check<T> {
  return (value, path, ctx) => {
    if (isTemplate(value, ctx)) return undefined;
    if (!isMapping(value)) return { path, expected: 'a mapping' };
    for (const key of required) if (!Object.hasOwn(value, key)) return { path: [...path, key], expected: 'a value (it is required)' };
    for (const key of Object.keys(fields)) {
      if (!Object.hasOwn(value, key) || value[key] === undefined) continue;
      const problem = fields[key]!(value[key], [...path, key], ctx);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/** The first place where `value` does not have the shape of `T`, or undefined when it does. */
export function findShapeProblem<T>(value: unknown, check: Check<T>, path: KeyPath, templates: boolean): ShapeProblem | undefined {
  return check(value, path, { templates });
}

/** A type guard over a checked shape. */
export function hasShape<T>(value: unknown, check: Check<T>, templates: boolean): value is T {
  return check(value, [], { templates }) === undefined;
}

const strings = listOf(str);
const stringDict = dictOf(str);
const environment = dictOf(nullable(str));
const fileReference = shape({ source: str, target: str, uid: str, gid: str, mode: num }, ['source']);
const ulimit = shape({ soft: num, hard: num }, ['soft', 'hard']);
const hook = shape({ command: nullable(strings), user: str, privileged: bool, working_dir: str, environment }, ['command']);
const preStartHook = shape({ command: nullable(strings), user: str, privileged: bool, working_dir: str, environment, image: str, per_replica: bool }, ['command']);

/** model/project.ts `Service`, key by key. */
export const SERVICE = shape<Service>(
  {
    image: str,
    build: shape(
      {
        context: str,
        dockerfile: str,
        dockerfile_inline: str,
        args: environment,
        target: str,
        labels: stringDict,
        tags: strings,
        network: str,
        extra_hosts: dictOf(strings),
        shm_size: num,
        no_cache: bool,
        pull: bool,
        cache_from: strings,
        cache_to: strings,
        platforms: strings,
        additional_contexts: stringDict,
        secrets: listOf(fileReference),
        ssh: strings,
        isolation: str,
        privileged: bool,
        ulimits: dictOf(ulimit),
      },
      ['context'],
    ),
    command: nullable(strings),
    entrypoint: nullable(strings),
    environment,
    env_file: listOf(shape({ path: str, required: bool, format: str }, ['path', 'required'])),
    labels: stringDict,
    ports: listOf(
      shape(
        { target: num, published: str, host_ip: str, protocol: oneOf('tcp', 'udp', 'sctp'), mode: oneOf('ingress', 'host'), app_protocol: str, name: str },
        ['target', 'protocol', 'mode'],
      ),
    ),
    expose: strings,
    volumes: listOf(
      shape(
        {
          type: oneOf('volume', 'bind', 'tmpfs', 'image', 'npipe', 'cluster'),
          source: str,
          target: str,
          read_only: bool,
          consistency: str,
          bind: shape({ propagation: str, create_host_path: bool, selinux: oneOf('z', 'Z') }),
          volume: shape({ nocopy: bool, subpath: str }),
          tmpfs: shape({ size: num, mode: num }),
          image: shape({ subpath: str }),
        },
        ['type', 'target'],
      ),
    ),
    networks: dictOf(
      nullable(
        shape({
          aliases: strings,
          ipv4_address: str,
          ipv6_address: str,
          link_local_ips: strings,
          mac_address: str,
          driver_opts: stringDict,
          priority: num,
          gw_priority: num,
          interface_name: str,
        }),
      ),
    ),
    network_mode: str,
    depends_on: dictOf(
      shape(
        { condition: oneOf('service_started', 'service_healthy', 'service_completed_successfully'), required: bool, restart: bool },
        ['condition', 'required', 'restart'],
      ),
    ),
    healthcheck: shape({
      test: strings,
      interval: str,
      timeout: str,
      retries: num,
      start_period: str,
      start_interval: str,
      disable: bool,
    }),
    restart: str,
    container_name: str,
    profiles: strings,
    pull_policy: str,
    scale: num,
    deploy: shape({
      mode: str,
      replicas: num,
      labels: stringDict,
      resources: shape({
        limits: shape({ cpus: num, memory: num, pids: num }),
        reservations: shape({ cpus: num, memory: num, pids: num, devices: listOf((_v, _p) => undefined) }),
      }),
      restart_policy: shape({ condition: oneOf('none', 'on-failure', 'any'), delay: str, max_attempts: num, window: str }),
    }),
    working_dir: str,
    user: str,
    init: bool,
    tty: bool,
    stdin_open: bool,
    stop_signal: str,
    stop_grace_period: str,
    hostname: str,
    domainname: str,
    extra_hosts: dictOf(strings),
    dns: strings,
    dns_search: strings,
    dns_opt: strings,
    cap_add: strings,
    cap_drop: strings,
    privileged: bool,
    read_only: bool,
    ulimits: dictOf(ulimit),
    sysctls: stringDict,
    tmpfs: strings,
    shm_size: num,
    devices: listOf(shape({ source: str, target: str, permissions: str }, ['source', 'target', 'permissions'])),
    pid: nullable(str),
    ipc: str,
    uts: str,
    security_opt: strings,
    platform: str,
    logging: shape({ driver: str, options: stringDict }),
    secrets: listOf(fileReference),
    configs: listOf(fileReference),
    links: strings,
    external_links: strings,
    volumes_from: strings,
    mem_limit: num,
    mem_reservation: num,
    memswap_limit: num,
    cpus: num,
    cpu_shares: num,
    pids_limit: num,
    group_add: strings,
    attach: bool,
    pre_start: listOf(preStartHook),
    post_start: listOf(hook),
    pre_stop: listOf(hook),
  },
  ['environment', 'labels', 'ports', 'volumes', 'depends_on'],
);

/** model/project.ts `Network`, `Volume` and `SecretOrConfig`. */
export const NETWORK = shape<Network>(
  {
    name: str,
    driver: str,
    driver_opts: stringDict,
    attachable: bool,
    enable_ipv4: bool,
    enable_ipv6: bool,
    external: bool,
    internal: bool,
    ipam: shape({ driver: str, config: listOf(shape({ subnet: str, ip_range: str, gateway: str, aux_addresses: stringDict })), options: stringDict }),
    labels: stringDict,
  },
  ['name'],
);
export const VOLUME = shape<Volume>({ name: str, driver: str, driver_opts: stringDict, external: bool, labels: stringDict }, ['name']);
export const SECRET_OR_CONFIG = shape<SecretOrConfig>(
  { name: str, file: str, environment: str, content: str, external: bool, labels: stringDict },
  ['name'],
);
