import type { MountSummary } from './engine.js';

/** An Engine API answer before it is read into our types. */
export type Json = Record<string, unknown>;

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

export function labelsOf(value: unknown): Record<string, string> {
  return value !== null && typeof value === 'object' ? (value as Record<string, string>) : {};
}

export function labelFilters(labels: readonly string[]): string {
  return JSON.stringify({ label: labels });
}

/** A path segment for a container, exec, network, volume or image name or ID. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

export function mountsOf(value: unknown): MountSummary[] {
  if (!Array.isArray(value)) return [];
  return value.map((m: Json) => {
    const mount: MountSummary = {
      type: str(m['Type']),
      source: str(m['Source']),
      destination: str(m['Destination']),
    };
    return typeof m['Name'] === 'string' ? { ...mount, name: m['Name'] } : mount;
  });
}
