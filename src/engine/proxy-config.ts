import { EngineError } from '../errors.js';
import type { ProxyVariables } from '../model/proxy-variables.js';

/** The proxy keys of config.json and the variables each becomes (both spellings, as the Docker CLI sets them). */
const PROXY_KEYS = [
  ['httpProxy', 'HTTP_PROXY'],
  ['httpsProxy', 'HTTPS_PROXY'],
  ['noProxy', 'NO_PROXY'],
  ['ftpProxy', 'FTP_PROXY'],
  ['allProxy', 'ALL_PROXY'],
] as const;

export type { ProxyVariables };

/**
 * The proxy variables config.json's `proxies` gives an engine, as the Docker CLI's `ParseProxyConfig`:
 * the entry keyed by the engine's address (`tcp://10.0.0.9:2376`, `unix:///var/run/docker.sock`)
 * when there is one, else `default`; each non-empty key as upper and lower case variables.
 * A `proxies` of the wrong shape is an error naming the key (the Docker CLI refuses the file too).
 */
export function proxyVariables(proxies: unknown, host: string, configPath: string): ProxyVariables {
  if (proxies === undefined || proxies === null) return {};
  if (!isRecord(proxies)) throw badProxies(configPath, 'proxies', 'an object keyed by engine address or "default"');
  const key = Object.hasOwn(proxies, host) ? host : 'default';
  const entry = Object.hasOwn(proxies, key) ? proxies[key] : undefined;
  if (entry === undefined || entry === null) return {};
  if (!isRecord(entry)) throw badProxies(configPath, `proxies["${key}"]`, 'an object with httpProxy, httpsProxy, noProxy, ftpProxy, allProxy');
  const out: Record<string, string> = {};
  for (const [field, variable] of PROXY_KEYS) {
    const value = Object.hasOwn(entry, field) ? entry[field] : undefined;
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw badProxies(configPath, `proxies["${key}"].${field}`, 'a string');
    out[variable] = value;
    out[variable.toLowerCase()] = value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badProxies(configPath: string, key: string, expected: string): EngineError {
  return new EngineError(`${configPath}: ${key} must be ${expected}`, {
    hint: 'the Docker CLI\'s shape is "proxies": {"default": {"httpProxy": "http://proxy:3128", "noProxy": "localhost"}}',
  });
}
