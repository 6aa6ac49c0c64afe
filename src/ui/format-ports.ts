import type { PortBinding } from '../engine/engine.js';

/** `0.0.0.0:8080->80/tcp, :::8080->80/tcp, 9000/tcp`, sorted as docker ps sorts them. */
export function formatPorts(ports: readonly PortBinding[]): string {
  const seen = new Set<string>();
  return [...ports]
    .sort((a, b) => a.privatePort - b.privatePort || (a.publicPort ?? 0) - (b.publicPort ?? 0) || (a.ip ?? '').localeCompare(b.ip ?? ''))
    .map((p) => {
      if (p.publicPort === undefined) return `${p.privatePort}/${p.type}`;
      const ip = p.ip === undefined || p.ip === '' ? '0.0.0.0' : p.ip.includes(':') ? `[${p.ip}]`.replace('[::]', '::') : p.ip;
      return `${ip}:${p.publicPort}->${p.privatePort}/${p.type}`;
    })
    .filter((text) => !seen.has(text) && seen.add(text) !== undefined)
    .join(', ');
}
