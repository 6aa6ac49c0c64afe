import type { ContainerSummary, Engine } from '../engine/engine.js';
import { Label, containerNumberOf, isOneoff, projectFilter } from '../model/labels.js';

/** A container port published on the host, where a client on this host reaches it. */
export interface PublishedPort {
  readonly service: string;
  /** The replica number (1 for the first). */
  readonly index: number;
  readonly container: string;
  readonly containerPort: number;
  readonly protocol: string;
  /** 127.0.0.1 when the engine bound every address. */
  readonly host: string;
  readonly port: number;
}

/** 0.0.0.0 and :: mean every address: loopback reaches them. */
export function reachableHost(ip: string | undefined): string {
  return ip === undefined || ip === '' || ip === '0.0.0.0' || ip === '::' ? '127.0.0.1' : ip;
}

/** Pure: the published ports of running service containers, IPv4 bindings first, one per container port. */
export function publishedPortsOf(containers: readonly ContainerSummary[]): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const c of containers) {
    if (isOneoff(c.labels) || c.state !== 'running') continue;
    const seen = new Set<string>();
    const ports = [...c.ports]
      .filter((p) => p.publicPort !== undefined && p.publicPort > 0)
      .sort((a, b) => Number((a.ip ?? '').includes(':')) - Number((b.ip ?? '').includes(':')));
    for (const p of ports) {
      const key = `${p.privatePort}/${p.type}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        service: c.labels[Label.service] ?? '',
        index: containerNumberOf(c.labels) || 1,
        container: c.name,
        containerPort: p.privatePort,
        protocol: p.type,
        host: reachableHost(p.ip),
        port: p.publicPort as number,
      });
    }
  }
  return out.sort((a, b) => a.service.localeCompare(b.service) || a.index - b.index || a.containerPort - b.containerPort || a.protocol.localeCompare(b.protocol));
}

export async function readPublishedPorts(engine: Engine, projectName: string): Promise<PublishedPort[]> {
  return publishedPortsOf(await engine.containers.list({ all: false, labels: [projectFilter(projectName)] }));
}

/** The lowest replica's binding unless `index` names one. */
export function findPublishedPort(
  ports: readonly PublishedPort[],
  service: string,
  containerPort: number,
  options: { readonly protocol?: string; readonly index?: number } = {},
): PublishedPort | undefined {
  const protocol = options.protocol ?? 'tcp';
  return ports.find((p) => p.service === service && p.containerPort === containerPort && p.protocol === protocol &&
    (options.index === undefined || p.index === options.index));
}

/**
 * What a test command on the host is told: `TSCOMPOSE_<SERVICE>_<PORT>=host:port` for the first
 * replica of each service (`_UDP` after the port for UDP), the service's name upper-cased with
 * every other character than A-Z and 0-9 made `_`.
 */
export function addressEnvironment(ports: readonly PublishedPort[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of ports) {
    const key = `TSCOMPOSE_${p.service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${p.containerPort}${p.protocol === 'tcp' ? '' : `_${p.protocol.toUpperCase()}`}`;
    env[key] ??= `${p.host}:${p.port}`;
  }
  return env;
}
