import { ConfigError, UsageError } from '../errors.js';
import { parseDurationNs } from '../model/duration.js';
import type { Project } from '../model/project.js';
import type { ReadinessCheck, ServiceReadiness } from '../model/readiness.js';

const EXTENSION = 'x-tscompose';

type Fail = (message: string, hint?: string) => Error;

function portOf(value: unknown, fail: Fail): number {
  const port = typeof value === 'string' ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw fail(`expected a container port (1-65535), got ${JSON.stringify(value)}`);
  }
  return port;
}

/** One entry of `ready:` in the file: `{port: 80}`, `{http: {port, path, status}}`, `{log: {pattern, times}}` or `{log: "text"}`. */
export function parseReadinessCheck(entry: unknown, fail: Fail): ReadinessCheck {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw fail('expected a mapping with one of port, http or log', 'e.g. - port: 8080');
  }
  const keys = Object.keys(entry);
  const value = (entry as Record<string, unknown>)[keys[0] ?? ''];
  if (keys.length !== 1 || !['port', 'http', 'log'].includes(keys[0] as string)) {
    throw fail(`expected exactly one of port, http or log, got ${keys.join(', ') || 'nothing'}`);
  }
  if (keys[0] === 'port') return { kind: 'port', port: portOf(value, fail) };
  if (keys[0] === 'http') {
    const http = (typeof value === 'object' && value !== null ? value : { port: value }) as Record<string, unknown>;
    const path = http['path'] ?? '/';
    if (typeof path !== 'string' || !path.startsWith('/')) throw fail(`http.path must start with /, got ${JSON.stringify(path)}`);
    const status = http['status'];
    if (status !== undefined && (typeof status !== 'number' || status < 100 || status > 599)) {
      throw fail(`http.status must be an HTTP status code, got ${JSON.stringify(status)}`);
    }
    return status === undefined
      ? { kind: 'http', port: portOf(http['port'], fail), path }
      : { kind: 'http', port: portOf(http['port'], fail), path, status };
  }
  const log = (typeof value === 'string' ? { pattern: value } : value) as Record<string, unknown> | null;
  const pattern = log?.['pattern'];
  const times = log?.['times'] ?? 1;
  if (typeof pattern !== 'string' || pattern === '') throw fail('log.pattern must be a non-empty regular expression');
  try {
    new RegExp(pattern);
  } catch (error) {
    throw fail(`log.pattern is not a valid regular expression: ${(error as Error).message}`);
  }
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) throw fail(`log.times must be a whole number of at least 1`);
  return { kind: 'log', pattern, times };
}

/** The readiness checks declared in the files, per service. */
export function readinessFromProject(project: Project): ServiceReadiness[] {
  const out: ServiceReadiness[] = [];
  for (const [service, config] of Object.entries(project.services)) {
    const extension = config[EXTENSION] as Record<string, unknown> | undefined;
    if (extension === undefined) continue;
    const keyPath = `services.${service}.${EXTENSION}`;
    const fail: Fail = (message, hint) => new ConfigError(message, { keyPath, ...(hint === undefined ? {} : { hint }) });
    const ready = extension['ready'] ?? [];
    if (!Array.isArray(ready)) throw fail('ready must be a sequence of checks', 'e.g. ready: [{ port: 8080 }]');
    const timeout = extension['ready_timeout'];
    const timeoutNs = timeout === undefined ? undefined : parseDurationNs(timeout as string | number);
    if (timeout !== undefined && timeoutNs === undefined) throw fail(`ready_timeout is not a duration: ${JSON.stringify(timeout)}`, 'e.g. 60s or 2m');
    const checks = ready.map((entry) => parseReadinessCheck(entry, fail));
    if (checks.length > 0) {
      out.push(timeoutNs === undefined ? { service, checks } : { service, checks, timeoutMs: timeoutNs / 1e6 });
    }
  }
  return out;
}

/** `--wait-for api=port:8080`, `api=http:8080/health`, `api=http:8080/health=204`, `api=log:listening`. */
export function parseWaitForFlag(text: string): { service: string; check: ReadinessCheck } {
  const fail: Fail = (message) => new UsageError(`invalid --wait-for "${text}": ${message}`,
    'use SERVICE=port:PORT, SERVICE=http:PORT/PATH[=STATUS] or SERVICE=log:REGEX');
  const match = /^([^=]+)=(port|http|log):(.+)$/.exec(text);
  if (match === null) throw fail('expected SERVICE=KIND:VALUE');
  const [, service, kind, value] = match as unknown as [string, string, string, string];
  if (kind === 'port') return { service, check: parseReadinessCheck({ port: value }, fail) };
  if (kind === 'log') return { service, check: parseReadinessCheck({ log: { pattern: value } }, fail) };
  const http = /^(\d+)(\/[^=]*)?(?:=(\d{3}))?$/.exec(value);
  if (http === null) throw fail('expected PORT/PATH[=STATUS]');
  return {
    service,
    check: parseReadinessCheck({ http: { port: http[1], path: http[2] ?? '/', ...(http[3] === undefined ? {} : { status: Number(http[3]) }) } }, fail),
  };
}
