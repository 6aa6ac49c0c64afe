import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EngineError, EngineUnavailableError, UsageError } from '../errors.js';
import { DEFAULT_CONTEXT, contextNames, readContext } from './docker-context.js';

type Env = Readonly<Record<string, string | undefined>>;

/** TLS for a tcp endpoint: the PEM material read at resolution time, and whether the engine's certificate is checked. */
export interface TlsMaterial {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** false: encrypted, but any server certificate is accepted (DOCKER_TLS alone, or a context's SkipTLSVerify). */
  readonly verify: boolean;
  /** Where the files were looked for, for error hints. */
  readonly directory: string;
}

interface Described {
  /** The address as a user would write it: `unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://root@host`. */
  readonly display: string;
  /** The Docker CLI context it came from (`default` for -H, DOCKER_HOST and the default socket). */
  readonly context: string;
  /** What chose it: `--host`, `DOCKER_HOST`, `--context`, `DOCKER_CONTEXT`, `currentContext in …`, `default socket`. */
  readonly source: string;
}

export type EngineAddress =
  | (Described & { readonly kind: 'unix'; readonly socketPath: string })
  | (Described & { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls: TlsMaterial | undefined })
  | (Described & { readonly kind: 'ssh'; readonly host: string; readonly port: number | undefined; readonly user: string | undefined });

/** The global flags that pick an engine, as the Docker CLI has them. */
export interface EngineTarget {
  readonly context?: string;
  readonly host?: string;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export function dockerConfigDir(env: Env): string {
  const dir = env['DOCKER_CONFIG']?.trim();
  return dir !== undefined && dir !== '' ? dir : join(env['HOME'] ?? homedir(), '.docker');
}

/** Where build-context digests are kept between runs: `$XDG_CACHE_HOME/tscompose/context-digests`, else under `~/.cache`. */
export function digestCacheDir(env: Env): string {
  const base = env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache');
  return join(base, 'tscompose', 'context-digests');
}

/**
 * Where to reach the engine, in the Docker CLI's order: --context, then -H (default context),
 * DOCKER_HOST (default context), DOCKER_CONTEXT, `currentContext` in config.json, the default
 * socket (or the rootless one under XDG_RUNTIME_DIR when the default is absent). A named context
 * that does not exist is an error: never a fallback to another engine.
 */
export function resolveEngineAddress(env: Env, target: EngineTarget = {}): EngineAddress {
  const flagContext = nonEmpty(target.context);
  const flagHost = nonEmpty(target.host);
  if (flagContext !== undefined && flagHost !== undefined) {
    throw new UsageError('conflicting options: either specify --host or --context, not both', 'drop one of the two flags');
  }
  const configDir = dockerConfigDir(env);
  const chosen = contextName(env, configDir, flagContext, flagHost);
  if (chosen.name !== DEFAULT_CONTEXT) return fromContext(configDir, chosen.name, chosen.source);
  const host = flagHost ?? nonEmpty(env['DOCKER_HOST']);
  const source = flagHost !== undefined ? '--host' : host !== undefined ? 'DOCKER_HOST' : chosen.source;
  const tlsVerify = nonEmpty(env['DOCKER_TLS_VERIFY']) !== undefined;
  const tls = tlsVerify || nonEmpty(env['DOCKER_TLS']) !== undefined;
  const certDir = nonEmpty(env['DOCKER_CERT_PATH']) ?? configDir;
  const described = { context: DEFAULT_CONTEXT, source };
  if (host === undefined) return defaultSocket(env, described, DEFAULT_SOCKET);
  return parseHost(host, described, tls ? () => readTls(certDir, tlsVerify) : undefined);
}

function contextName(
  env: Env, configDir: string, flagContext: string | undefined, flagHost: string | undefined,
): { name: string; source: string } {
  if (flagContext !== undefined) return { name: flagContext, source: '--context' };
  if (flagHost !== undefined || nonEmpty(env['DOCKER_HOST']) !== undefined) return { name: DEFAULT_CONTEXT, source: 'DOCKER_HOST' };
  const fromEnv = nonEmpty(env['DOCKER_CONTEXT']);
  if (fromEnv !== undefined) return { name: fromEnv, source: 'DOCKER_CONTEXT' };
  const configPath = join(configDir, 'config.json');
  const current = currentContext(configPath);
  if (current !== undefined) return { name: current, source: `currentContext in ${configPath}` };
  return { name: DEFAULT_CONTEXT, source: 'default socket' };
}

function currentContext(configPath: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = (JSON.parse(text) as { currentContext?: unknown }).currentContext;
    return typeof value === 'string' ? nonEmpty(value) : undefined;
  } catch (error) {
    throw new EngineError(`the Docker config file ${configPath} is not valid JSON: ${(error as Error).message}`, {
      hint: 'fix the file, or point DOCKER_CONFIG at another directory',
    });
  }
}

function fromContext(configDir: string, name: string, source: string): EngineAddress {
  const lookup = readContext(configDir, name);
  if (!lookup.found) {
    const known = contextNames(configDir);
    const reason = lookup.reason === 'missing'
      ? 'does not exist'
      : lookup.reason === 'no-docker-endpoint' ? 'has no docker endpoint' : `cannot be read (${lookup.detail ?? ''})`;
    throw new EngineError(`context "${name}" (from ${source}) ${reason}: ${lookup.metaPath}`, {
      hint: known.length === 0
        ? `no contexts are stored under ${join(configDir, 'contexts')}; create one with \`docker context create\`, or unset ${source === '--context' ? '--context' : source.split(' ')[0]}`
        : `known contexts: ${known.join(', ')} (docker context ls)`,
    });
  }
  const { context } = lookup;
  const hasTlsFiles = ['ca.pem', 'cert.pem', 'key.pem'].some((f) => existsSync(join(context.tlsDirectory, f)));
  // As the Docker CLI: a context without TLS files or SkipTLSVerify talks plain HTTP.
  const tls = hasTlsFiles || context.skipTlsVerify
    ? () => readTls(context.tlsDirectory, !context.skipTlsVerify)
    : undefined;
  return parseHost(context.host, { context: name, source }, tls);
}

/** The default socket, or a rootless engine's socket when the default one is absent. */
export function defaultSocket(env: Env, described: { context: string; source: string }, socketPath: string): EngineAddress {
  const runtimeDir = nonEmpty(env['XDG_RUNTIME_DIR']);
  if (!existsSync(socketPath) && runtimeDir !== undefined) {
    const rootless = join(runtimeDir, 'docker.sock');
    if (existsSync(rootless)) {
      return { kind: 'unix', socketPath: rootless, display: `unix://${rootless}`, ...described, source: 'rootless socket ($XDG_RUNTIME_DIR)' };
    }
  }
  return { kind: 'unix', socketPath, display: `unix://${socketPath}`, ...described };
}

/** `unix:///path`, `tcp://host:port` (or bare `host:port`), `ssh://[user@]host[:port]`. */
export function parseHost(
  raw: string,
  described: { context: string; source: string },
  tls: (() => TlsMaterial) | undefined,
): EngineAddress {
  const text = raw.trim();
  const where = `${described.source === '--host' ? '--host' : described.source === 'DOCKER_HOST' ? 'DOCKER_HOST' : `context "${described.context}"`}=${text}`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'unix') {
    const socketPath = text.slice('unix://'.length) || DEFAULT_SOCKET;
    return { kind: 'unix', socketPath, display: `unix://${socketPath}`, ...described };
  }
  if (scheme === 'ssh') {
    const url = safeUrl(text, where);
    if (url.pathname !== '' && url.pathname !== '/') {
      throw new UsageError(`${where}: an ssh address takes no path`, 'use ssh://[user@]host[:port]');
    }
    if (url.password !== '') throw new UsageError(`${where}: an ssh address takes no password`, 'use a key (ssh-agent or ~/.ssh/config)');
    const user = url.username === '' ? undefined : decodeURIComponent(url.username);
    const port = url.port === '' ? undefined : Number(url.port);
    return { kind: 'ssh', host: url.hostname, port, user, display: text, ...described };
  }
  if (scheme === undefined || scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    const url = safeUrl(scheme === undefined ? `tcp://${text}` : text, where);
    const material = tls?.() ?? (scheme === 'https' ? readTls('', true) : undefined);
    const host = url.hostname === '' ? 'localhost' : url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = url.port === '' ? (material === undefined ? 2375 : 2376) : Number(url.port);
    return { kind: 'tcp', host, port, tls: material, display: `tcp://${url.hostname === '' ? 'localhost' : url.hostname}:${port}`, ...described };
  }
  throw new UsageError(`${where}: unsupported address`, 'use unix:///path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]');
}

function safeUrl(text: string, where: string): URL {
  try {
    // WHATWG URLs only parse ports and users for special schemes; tcp and ssh are parsed as http.
    return new URL(text.replace(/^[a-z][a-z0-9+.-]*:/i, 'http:'));
  } catch {
    throw new UsageError(`${where}: not a valid address`, 'use unix:///path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]');
  }
}

/**
 * The Docker CLI's TLS files: ca.pem, cert.pem and key.pem, each used when present; verifying
 * without a ca.pem checks the engine against the system's roots, as the CLI does.
 */
function readTls(directory: string, verify: boolean): TlsMaterial {
  const read = (file: string): Buffer | undefined => {
    if (directory === '') return undefined;
    try {
      return readFileSync(join(directory, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new EngineError(`cannot read the TLS file ${join(directory, file)}: ${(error as Error).message}`);
    }
  };
  const ca = read('ca.pem');
  const cert = read('cert.pem');
  const key = read('key.pem');
  if ((cert === undefined) !== (key === undefined)) {
    throw new EngineError(`TLS in ${directory}: ${cert === undefined ? 'key.pem has no cert.pem' : 'cert.pem has no key.pem'}`, {
      hint: 'put both the client certificate and its key there (or neither), or point DOCKER_CERT_PATH elsewhere',
    });
  }
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    verify,
    directory,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** How the address is shown by `version` and in errors: the address, and the context when it is not the default. */
export function describeAddress(address: EngineAddress): string {
  const tls = address.kind === 'tcp' && address.tls !== undefined ? (address.tls.verify ? ', TLS' : ', TLS unverified') : '';
  return `${address.display} (context ${address.context}, from ${address.source}${tls})`;
}

export function engineUnavailable(address: EngineAddress, cause: unknown): EngineUnavailableError {
  const where = address.kind === 'unix' ? `the socket ${address.socketPath}` : address.display;
  const how = address.kind === 'unix' && address.context === DEFAULT_CONTEXT
    ? 'start one: `npm run engine` (as root on Debian it installs and starts dockerd), `sudo systemctl start docker`, ' +
      'or Docker Desktop; or point DOCKER_HOST (or --context) at an engine that is running'
    : `check that the engine at ${address.display} is running and reachable (chosen by ${address.source})`;
  const detail = cause instanceof Error && address.kind !== 'unix' ? `: ${cause.message}` : '';
  return new EngineUnavailableError(`no Docker engine answers at ${address.display} (${where})${detail}`, { hint: how, cause });
}
