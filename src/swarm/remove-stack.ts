import type { Engine } from '../engine/engine.js';
import type { SwarmApi } from '../engine/swarm-api.js';
import { InterruptedError, RuntimeError } from '../errors.js';
import { progress, type EventSink } from '../model/events.js';
import type { ActualStack, StackPlan, StackPlanNode } from './plan-deploy.js';
import { applyStackPlan } from './apply-stack.js';
import { stackFilter } from './stack-labels.js';

/** Every service, config, secret and network of the stack: services first, the rest once they are gone. */
export function planRemove(actual: ActualStack): StackPlan {
  const nodes: StackPlanNode[] = [];
  const services = [...actual.services].sort((a, b) => a.spec.Name.localeCompare(b.spec.Name));
  for (const s of services) {
    nodes.push({ id: `service:${s.spec.Name}#remove`, resource: `service:${s.spec.Name}`, operation: { type: 'remove-service', name: s.spec.Name, id: s.id }, dependsOn: [], cause: 'stack rm' });
  }
  const after = nodes.map((n) => n.id);
  for (const [kind, list] of [['config', actual.configs], ['secret', actual.secrets]] as const) {
    for (const o of [...list].sort((a, b) => a.name.localeCompare(b.name))) {
      nodes.push({ id: `${kind}:${o.name}#remove`, resource: `${kind}:${o.name}`, operation: { type: 'remove-object', kind, name: o.name, id: o.id }, dependsOn: after, cause: 'stack rm' });
    }
  }
  for (const n of [...actual.networks].sort((a, b) => a.name.localeCompare(b.name))) {
    nodes.push({ id: `network:${n.name}#remove`, resource: `network:${n.name}`, operation: { type: 'remove-network', name: n.name, id: n.id }, dependsOn: after, cause: 'stack rm' });
  }
  return { nodes, warnings: [] };
}

export interface RemoveOptions {
  readonly wait: boolean;
  readonly volumes: boolean;
  readonly timeoutMs?: number;
  readonly events: EventSink;
  readonly signal?: AbortSignal;
}

type Cluster = Pick<Engine, 'containers' | 'volumes'>;

const TERMINAL = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);

/**
 * What of the stack is still on this node: tasks not yet shut down, containers, networks. A network
 * removal is accepted at once but its overlay lingers until the last task left it.
 */
export async function leftovers(api: SwarmApi, engine: Cluster, stack: string): Promise<string[]> {
  const filter = [stackFilter(stack)];
  const [tasks, containers, networks] = await Promise.all([
    api.listTasks({ labels: filter }), engine.containers.list({ all: true, labels: filter }), api.listNetworks(filter),
  ]);
  return [
    ...tasks.filter((t) => !TERMINAL.has(t.state)).map((t) => `task ${t.id.slice(0, 12)}`),
    ...containers.map((c) => `container ${c.name}`),
    ...networks.map((n) => `network ${n.name}`),
  ];
}

/** Runs the removal; with `wait`, returns once nothing of the stack is left, then removes its volumes if asked. */
export async function removeStack(api: SwarmApi, engine: Cluster, stack: string, actual: ActualStack, options: RemoveOptions): Promise<void> {
  const plan = planRemove(actual);
  const networkNodes = plan.nodes.filter((n) => n.operation.type === 'remove-network');
  // Networks go once the tasks left them: removing earlier races the task shutdown.
  const first: StackPlan = { nodes: plan.nodes.filter((n) => n.operation.type !== 'remove-network'), warnings: [] };
  await applyStackPlan(api, first, actual, { events: options.events, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  if (!options.wait && !options.volumes) {
    await applyStackPlan(api, { nodes: networkNodes, warnings: [] }, actual, { events: options.events });
    return;
  }
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const filter = [stackFilter(stack)];
  let networksRemoved = false;
  for (;;) {
    if (options.signal?.aborted === true) throw new InterruptedError('interrupted while waiting for the stack to go');
    const [tasks, containers] = await Promise.all([api.listTasks({ labels: filter }), engine.containers.list({ all: true, labels: filter })]);
    // Swarm (20.10) leaves the containers of completed job tasks behind once their service is gone: they are the stack's, and stopped.
    const stopped = containers.filter((c) => c.state === 'exited' || c.state === 'created' || c.state === 'dead');
    // Swarm's own reaper may remove the same container at the same moment (404, or 409 "removal in
    // progress"): whatever is left is seen, and tried again, next round.
    await Promise.all(stopped.map((c) => engine.containers.remove(c.id, { force: false, volumes: false }).catch(() => undefined)));
    const live = tasks.filter((t) => !TERMINAL.has(t.state));
    if (!networksRemoved && live.length === 0 && containers.length === stopped.length) {
      try {
        await applyStackPlan(api, { nodes: networkNodes, warnings: [] }, actual, { events: options.events });
        networksRemoved = true;
      } catch (error) {
        // An endpoint not yet released: the next round tries again, until the deadline says why not.
        if (Date.now() >= deadline) throw error;
      }
    }
    const left = networksRemoved ? await leftovers(api, engine, stack) : [];
    if (networksRemoved && left.length === 0) break;
    if (Date.now() >= deadline) {
      const now = await leftovers(api, engine, stack);
      throw new RuntimeError(`stack ${stack} was removed but some of it is still there: ${now.join(', ')}`, 'run `tscompose stack rm` again later');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (options.volumes) {
    for (const v of await engine.volumes.list(filter)) {
      options.events.emit(progress('volume', v.name, 'removing', false));
      await engine.volumes.remove(v.name);
      options.events.emit(progress('volume', v.name, 'removed', true));
    }
  }
}
