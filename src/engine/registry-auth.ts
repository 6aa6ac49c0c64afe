import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { proxyVariables, type ProxyVariables } from './proxy-config.js';

export const DOCKER_HUB = 'docker.io';
const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** The registry a reference lives in: `127.0.0.1:5000/app:1` → `127.0.0.1:5000`; `busybox` → docker.io. */
export function registryOf(reference: string): string {
  const slash = reference.indexOf('/');
  if (slash === -1) return DOCKER_HUB;
  const first = reference.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : DOCKER_HUB;
}

/** `name:tag` (or `name@digest`) with `:latest` added when the tag is left out. */
export function withTag(reference: string): string {
  if (reference.includes('@')) return reference;
  const lastSlash = reference.lastIndexOf('/');
  return reference.slice(lastSlash + 1).includes(':') ? reference : `${reference}:latest`;
}

export interface RegistryCredentials {
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly serveraddress: string;
}

interface AuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
}

interface ConfigFile {
  readonly auths: Readonly<Record<string, AuthEntry>>;
  readonly credsStore: string | undefined;
  readonly credHelpers: Readonly<Record<string, string>>;
  /** `proxies` as written; checked when used. */
  readonly proxies: unknown;
}

/** The key the Docker CLI stores Docker Hub's credentials under. */
const HUB_SERVER = 'https://index.docker.io/v1/';

/**
 * Registry credentials from the Docker config file (`$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json`), as the Docker CLI finds them: a per-registry `credHelpers` entry,
 * else the `credsStore` helper, else the `auths` entry. Helpers run once per registry.
 */
export class DockerConfig {
  private loaded: Promise<ConfigFile> | undefined;
  private readonly found = new Map<string, Promise<RegistryCredentials | undefined>>();

  constructor(readonly directory: string | undefined) {}

  get path(): string {
    return join(this.directory ?? '~/.docker', 'config.json');
  }

  private file(): Promise<ConfigFile> {
    this.loaded ??= (async () => {
      const empty: ConfigFile = { auths: {}, credsStore: undefined, credHelpers: {}, proxies: undefined };
      if (this.directory === undefined) return empty;
      try {
        const parsed = JSON.parse(await readFile(join(this.directory, 'config.json'), 'utf8')) as {
          auths?: Record<string, AuthEntry>; credsStore?: unknown; credHelpers?: Record<string, string>; proxies?: unknown;
        };
        return {
          auths: parsed.auths ?? {},
          credsStore: typeof parsed.credsStore === 'string' && parsed.credsStore !== '' ? parsed.credsStore : undefined,
          credHelpers: parsed.credHelpers ?? {},
          proxies: parsed.proxies,
        };
      } catch {
        return empty;
      }
    })();
    return this.loaded;
  }

  /** The proxy variables config.json gives the engine at `host` (its address as the Docker CLI writes it). */
  async proxies(host: string): Promise<ProxyVariables> {
    return proxyVariables((await this.file()).proxies, host, this.path);
  }

  /** Credentials for a registry (`docker.io` or `host[:port]`). */
  credentials(registry: string): Promise<RegistryCredentials | undefined> {
    let pending = this.found.get(registry);
    if (pending === undefined) {
      pending = this.lookUp(registry);
      this.found.set(registry, pending);
    }
    return pending;
  }

  private async lookUp(registry: string): Promise<RegistryCredentials | undefined> {
    const file = await this.file();
    const helperName = ownValue(file.credHelpers, registry) ?? (registry === DOCKER_HUB ? hubHelper(file.credHelpers) : undefined);
    const helper = helperName !== undefined
      ? { name: helperName, key: 'credHelpers' as const }
      : file.credsStore === undefined ? undefined : { name: file.credsStore, key: 'credsStore' as const };
    if (helper !== undefined) {
      const serverAddress = registry === DOCKER_HUB ? HUB_SERVER : registry;
      const { helperGet } = await import('./credential-helper.js');
      const got = await helperGet({ ...helper, configPath: this.path }, serverAddress);
      if (got !== undefined) {
        // A helper answers "<token>" as the user name for an identity token (an OAuth refresh token).
        return got.username === '<token>'
          ? { serveraddress: serverAddress, identitytoken: got.secret }
          : { serveraddress: serverAddress, username: got.username, password: got.secret };
      }
    }
    return fromAuths(file.auths, registry);
  }

  /** The X-Registry-Auth header value for a pull or push: base64url JSON, `{}` when there are no credentials. */
  async authHeader(registry: string): Promise<string> {
    const credentials = await this.credentials(registry);
    return base64UrlPadded(JSON.stringify(credentials ?? {}));
  }

  /** Credentials for every registry the config file knows (its auths, credHelpers and credsStore's list), by server address. */
  async allCredentials(): Promise<Record<string, { username?: string; password?: string; identitytoken?: string }>> {
    const file = await this.file();
    const registries = new Set([...Object.keys(file.auths), ...Object.keys(file.credHelpers)].map(bareHost));
    if (file.credsStore !== undefined) {
      const { helperList } = await import('./credential-helper.js');
      for (const server of await helperList({ name: file.credsStore, key: 'credsStore', configPath: this.path })) registries.add(bareHost(server));
    }
    const out: Record<string, { username?: string; password?: string; identitytoken?: string }> = {};
    for (const host of registries) {
      const registry = HUB_KEYS.map(bareHost).includes(host) ? DOCKER_HUB : host;
      const credentials = await this.credentials(registry);
      if (credentials === undefined) continue;
      out[registry === DOCKER_HUB ? HUB_SERVER : credentials.serveraddress] = {
        ...(credentials.username === undefined ? {} : { username: credentials.username }),
        ...(credentials.password === undefined ? {} : { password: credentials.password }),
        ...(credentials.identitytoken === undefined ? {} : { identitytoken: credentials.identitytoken }),
      };
    }
    return out;
  }

  /** The X-Registry-Config header of a build: credentials for every known registry, so FROM can pull private bases. */
  async buildHeader(): Promise<string | undefined> {
    const out = await this.allCredentials();
    return Object.keys(out).length === 0 ? undefined : base64UrlPadded(JSON.stringify(out));
  }

  /**
   * A Docker client config.json holding every credential found, whatever helper stores it, as
   * plain `auths` (`auth` is base64 of user:password), which a client inside a container reads
   * without the helper (use_api_socket, as Compose writes it).
   */
  async clientConfig(): Promise<string> {
    const auths: Record<string, { auth?: string; identitytoken?: string }> = {};
    for (const [server, c] of Object.entries(await this.allCredentials())) {
      auths[server] = {
        ...(c.username === undefined && c.password === undefined ? {} : { auth: Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`).toString('base64') }),
        ...(c.identitytoken === undefined ? {} : { identitytoken: c.identitytoken }),
      };
    }
    return `${JSON.stringify({ auths }, null, '\t')}\n`;
  }
}

/** An `auths` entry, matching keys with or without a scheme or path. */
function fromAuths(auths: Readonly<Record<string, AuthEntry>>, registry: string): RegistryCredentials | undefined {
  const wanted = registry === DOCKER_HUB ? HUB_KEYS.map(bareHost) : [registry];
  for (const [key, entry] of Object.entries(auths)) {
    if (!wanted.includes(bareHost(key))) continue;
    let { username, password } = entry;
    if (entry.auth !== undefined && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
    if (username === undefined && password === undefined && entry.identitytoken === undefined) continue;
    return {
      serveraddress: key,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      ...(entry.identitytoken === undefined ? {} : { identitytoken: entry.identitytoken }),
    };
  }
  return undefined;
}

function hubHelper(helpers: Readonly<Record<string, string>>): string | undefined {
  for (const key of HUB_KEYS) {
    const name = ownValue(helpers, key);
    if (name !== undefined) return name;
  }
  return undefined;
}

function ownValue(record: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(record, key) && typeof record[key] === 'string' && record[key] !== '' ? record[key] : undefined;
}

/** Go's base64.URLEncoding, which dockerd decodes these headers with, wants the `=` padding that Node's base64url drops. */
function base64UrlPadded(text: string): string {
  return Buffer.from(text).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function bareHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}
