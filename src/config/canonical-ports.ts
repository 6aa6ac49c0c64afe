import type { PortMapping, PortProtocol } from '../model/project.js';

/** A port short syntax that cannot be read; the caller places it in the file. */
export class PortSyntaxError extends Error {}

const PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp']);
const PORT_OR_RANGE = /^(\d+)(?:-(\d+))?$/;

/**
 * `[host_ip:][published:]target[/protocol]` → one mapping per container port. IPv6 host addresses
 * come in brackets (`[::1]:80:80`) or bare when three colons make them unambiguous.
 */
export function parsePortSpec(spec: string | number): PortMapping[] {
  if (typeof spec === 'number') return [{ mode: 'ingress', target: checkPort(spec, String(spec)), protocol: 'tcp' }];
  const text = spec.trim();
  let rest = text;
  let protocol: PortProtocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash !== -1) {
    const proto = rest.slice(slash + 1).toLowerCase();
    if (!PROTOCOLS.has(proto)) throw new PortSyntaxError(`unknown protocol "${proto}" in "${text}" (tcp, udp or sctp)`);
    protocol = proto as PortProtocol;
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  let published: string;
  let target: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1 || rest[close + 1] !== ':') throw new PortSyntaxError(`invalid IPv6 address in "${text}"`);
    hostIp = rest.slice(1, close);
    const parts = rest.slice(close + 2).split(':');
    if (parts.length !== 2) throw new PortSyntaxError(`expected [ip]:published:target in "${text}"`);
    [published, target] = parts as [string, string];
  } else {
    const parts = rest.split(':');
    if (parts.length === 1) {
      published = '';
      target = parts[0]!;
    } else if (parts.length === 2) {
      [published, target] = parts as [string, string];
    } else {
      target = parts.pop()!;
      published = parts.pop()!;
      hostIp = parts.join(':');
    }
  }
  if (hostIp !== undefined && hostIp === '') hostIp = undefined;
  const targets = parseRange(target, text, 'container port');
  const hosts = published === '' ? undefined : parseRange(published, text, 'published port');
  const base = { mode: 'ingress' as const, ...(hostIp === undefined ? {} : { host_ip: hostIp }) };
  if (hosts === undefined) {
    return targets.map((t) => ({ ...base, target: t, protocol }));
  }
  if (targets.length === 1) {
    return [{ ...base, target: targets[0]!, published, protocol }];
  }
  if (hosts.length !== targets.length) {
    throw new PortSyntaxError(`the published range and the container range of "${text}" differ in length`);
  }
  return targets.map((t, i) => ({ ...base, target: t, published: String(hosts[i]), protocol }));
}

function parseRange(text: string, whole: string, what: string): number[] {
  const match = PORT_OR_RANGE.exec(text.trim());
  if (match === null) throw new PortSyntaxError(`invalid ${what} "${text}" in "${whole}"`);
  const start = checkPort(Number(match[1]), whole);
  const end = match[2] === undefined ? start : checkPort(Number(match[2]), whole);
  if (end < start) throw new PortSyntaxError(`invalid ${what} range "${text}" in "${whole}"`);
  const out: number[] = [];
  for (let p = start; p <= end; p++) out.push(p);
  return out;
}

function checkPort(port: number, whole: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PortSyntaxError(`port ${port} in "${whole}" is out of range (1-65535)`);
  }
  return port;
}

/** The long syntax with defaults filled in and published as text. */
export function normalizePortObject(port: Record<string, unknown>): PortMapping {
  const target = port['target'];
  if (typeof target !== 'number' || !Number.isInteger(target)) throw new PortSyntaxError('a port needs an integer `target`');
  checkPort(target, String(target));
  const published = port['published'];
  const protocol = typeof port['protocol'] === 'string' ? port['protocol'].toLowerCase() : 'tcp';
  if (!PROTOCOLS.has(protocol)) throw new PortSyntaxError(`unknown protocol "${protocol}" (tcp, udp or sctp)`);
  if (published !== undefined && published !== null && published !== '') {
    const text = String(published);
    const match = PORT_OR_RANGE.exec(text);
    if (match === null) throw new PortSyntaxError(`invalid published port "${text}"`);
    checkPort(Number(match[1]), text);
    if (match[2] !== undefined) checkPort(Number(match[2]), text);
  }
  const out: Record<string, unknown> = { ...port, target, protocol, mode: port['mode'] ?? 'ingress' };
  if (published === undefined || published === null || published === '') delete out['published'];
  else out['published'] = String(published);
  return out as unknown as PortMapping;
}

/** The key that de-duplicates ports across merged files. */
export function portKey(port: PortMapping): string {
  return `${port.host_ip ?? ''}:${port.published ?? ''}:${port.target}/${port.protocol}`;
}
