import type { SwarmNode, SwarmService, SwarmTask } from '../engine/swarm-api.js';
import { serviceProgress } from './converge.js';
import { StackLabel } from './stack-labels.js';

export interface StackRow {
  readonly name: string;
  readonly services: number;
}

/** `stack ls`: stacks by the namespace label of their services, as docker stack ls counts them. */
export function listStacks(services: readonly SwarmService[]): StackRow[] {
  const counts = new Map<string, number>();
  for (const s of services) {
    const stack = s.spec.Labels[StackLabel.namespace];
    if (stack !== undefined && stack !== '') counts.set(stack, (counts.get(stack) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => ({ name, services: n }));
}

export interface ServiceRow {
  readonly id: string;
  readonly name: string;
  readonly mode: string;
  /** `2/2`; jobs count completed tasks. */
  readonly replicas: string;
  readonly image: string;
  readonly ports: string;
}

function modeOf(service: SwarmService): string {
  const mode = (service.spec['Mode'] ?? {}) as Record<string, unknown>;
  if (mode['Global'] !== undefined) return 'global';
  if (mode['ReplicatedJob'] !== undefined) return 'replicated job';
  if (mode['GlobalJob'] !== undefined) return 'global job';
  return 'replicated';
}

function portsOf(service: SwarmService): string {
  const ports = ((service.spec['EndpointSpec'] as Record<string, unknown> | undefined)?.['Ports'] as Record<string, unknown>[] | undefined) ?? [];
  return ports.map((p) => `*:${String(p['PublishedPort'] ?? '')}->${String(p['TargetPort'])}/${String(p['Protocol'] ?? 'tcp')}${p['PublishMode'] === 'host' ? ' (host)' : ''}`).join(', ');
}

/** `stack services`: one row per service with running (or completed) tasks over desired. */
export function serviceRows(services: readonly SwarmService[], tasks: readonly SwarmTask[], now: number): ServiceRow[] {
  return [...services].sort((a, b) => a.spec.Name.localeCompare(b.spec.Name)).map((s) => {
    const p = serviceProgress(s, tasks, now, now);
    const image = ((s.spec['TaskTemplate'] as Record<string, any> | undefined)?.['ContainerSpec']?.['Image'] as string | undefined) ?? '';
    return { id: s.id, name: s.spec.Name, mode: modeOf(s), replicas: `${p.done}/${p.wanted}`, image, ports: portsOf(s) };
  });
}

export interface TaskRow {
  readonly id: string;
  /** `web.1` for replicated tasks, `web.<node id>` for global ones, as docker stack ps shows. */
  readonly name: string;
  readonly image: string;
  readonly node: string;
  readonly desiredState: string;
  readonly currentState: string;
  readonly error: string;
  readonly ports: string;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function since(timestamp: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(timestamp)) / 1000));
  if (seconds < 60) return `${seconds} seconds ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes ago`;
  return `${Math.round(seconds / 3600)} hours ago`;
}

/** `stack ps`: tasks, newest first per slot, with `--no-trunc` keeping full IDs, images and errors. */
export function taskRows(
  services: readonly SwarmService[], tasks: readonly SwarmTask[], nodes: readonly SwarmNode[], now: number, noTrunc: boolean,
): TaskRow[] {
  const names = new Map(services.map((s) => [s.id, s.spec.Name]));
  const hosts = new Map(nodes.map((n) => [n.id, n.hostname]));
  const image = (text: string): string => (noTrunc ? text : text.replace(/@sha256:[0-9a-f]+$/, ''));
  return [...tasks]
    .filter((t) => names.has(t.serviceId))
    .sort((a, b) => (names.get(a.serviceId) as string).localeCompare(names.get(b.serviceId) as string) || a.slot - b.slot || b.timestamp.localeCompare(a.timestamp))
    .map((t) => ({
      id: noTrunc ? t.id : t.id.slice(0, 12),
      name: `${names.get(t.serviceId) as string}.${t.slot > 0 ? t.slot : t.nodeId}`,
      image: image(t.image),
      node: hosts.get(t.nodeId) ?? t.nodeId,
      desiredState: capitalized(t.desiredState),
      currentState: `${capitalized(t.state)} ${since(t.timestamp, now)}`,
      error: noTrunc || t.error.length <= 30 ? t.error : `${t.error.slice(0, 29)}…`,
      ports: '',
    }));
}

/** `--filter key=value` for `stack ps`: name, id, node, desired-state (as docker stack ps takes them). */
export function filterTasks(rows: readonly TaskRow[], filters: readonly (readonly [string, string])[]): TaskRow[] {
  return rows.filter((r) => filters.every(([key, value]) => {
    switch (key) {
      case 'name': return r.name.startsWith(value);
      case 'id': return r.id.startsWith(value);
      case 'node': return r.node === value;
      case 'desired-state': return r.desiredState.toLowerCase() === value.toLowerCase();
      default: return false;
    }
  }));
}

/**
 * `stack logs` prefixes: `web.1` for a replicated task (`web.<node>` for a global one), by task ID,
 * without the stack's name, which every line would repeat.
 */
export function taskLogNames(stack: string, services: readonly SwarmService[], tasks: readonly SwarmTask[]): Map<string, string> {
  const keys = new Map(services.map((s) => [s.id, s.spec.Name.startsWith(`${stack}_`) ? s.spec.Name.slice(stack.length + 1) : s.spec.Name]));
  const names = new Map<string, string>();
  for (const t of tasks) {
    const key = keys.get(t.serviceId);
    if (key !== undefined) names.set(t.id, `${key}.${t.slot > 0 ? t.slot : t.nodeId.slice(0, 12)}`);
  }
  return names;
}
