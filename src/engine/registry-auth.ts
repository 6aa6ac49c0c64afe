import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

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

/** The `auths` section of the Docker config file: `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
export class DockerConfig {
  private loaded: Promise<Readonly<Record<string, AuthEntry>>> | undefined;

  constructor(readonly directory: string | undefined) {}

  get path(): string {
    return join(this.directory ?? '~/.docker', 'config.json');
  }

  private auths(): Promise<Readonly<Record<string, AuthEntry>>> {
    this.loaded ??= (async () => {
      if (this.directory === undefined) return {};
      try {
        const parsed = JSON.parse(await readFile(join(this.directory, 'config.json'), 'utf8')) as { auths?: Record<string, AuthEntry> };
        return parsed.auths ?? {};
      } catch {
        return {};
      }
    })();
    return this.loaded;
  }

  /** Credentials for a registry, matching `auths` keys with or without a scheme or path. */
  async credentials(registry: string): Promise<RegistryCredentials | undefined> {
    const auths = await this.auths();
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
      return {
        serveraddress: key,
        ...(username === undefined ? {} : { username }),
        ...(password === undefined ? {} : { password }),
        ...(entry.identitytoken === undefined ? {} : { identitytoken: entry.identitytoken }),
      };
    }
    return undefined;
  }

  /** The X-Registry-Auth header value for a pull or push: base64url JSON, `{}` when there are no credentials. */
  async authHeader(registry: string): Promise<string> {
    const credentials = await this.credentials(registry);
    return base64UrlPadded(JSON.stringify(credentials ?? {}));
  }

  /** The X-Registry-Config header of a build: credentials for every registry, so FROM can pull private bases. */
  async buildHeader(): Promise<string | undefined> {
    const auths = await this.auths();
    const out: Record<string, { username?: string; password?: string }> = {};
    for (const key of Object.keys(auths)) {
      const credentials = await this.credentials(bareHost(key));
      if (credentials !== undefined) out[key] = { username: credentials.username, password: credentials.password };
    }
    return Object.keys(out).length === 0 ? undefined : base64UrlPadded(JSON.stringify(out));
  }
}

/** Go's base64.URLEncoding, which dockerd decodes these headers with, wants the `=` padding that Node's base64url drops. */
function base64UrlPadded(text: string): string {
  return Buffer.from(text).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function bareHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}
