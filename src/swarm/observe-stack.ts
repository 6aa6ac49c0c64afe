import { EngineError, InterruptedError, RuntimeError } from '../errors.js';
import type { SwarmApi, SwarmNetwork, SwarmService, SwarmState, SwarmTask } from '../engine/swarm-api.js';
import type { ActualStack } from './plan-deploy.js';
import type { DesiredStack } from './desired-stack.js';
import { stackFilter } from './stack-labels.js';

/** Refuses an engine that cannot take a stack: not in a swarm, or a worker. */
export async function requireManager(api: SwarmApi): Promise<SwarmState> {
  const state = await api.state();
  if (state.nodeState !== 'active' || !state.isManager) {
    throw new EngineError(
      state.nodeState === 'active'
        ? 'this node is a swarm worker: stacks are deployed from a manager'
        : 'this engine is not a swarm manager (swarm mode is not active)',
      { hint: state.nodeState === 'active' ? 'point DOCKER_HOST at a manager node' : 'run `docker swarm init` (or `docker swarm join` as a manager), or point DOCKER_HOST at a manager' },
    );
  }
  return state;
}

/**
 * Tasks of services already removed that have not left yet: a `stack rm` still under way. Their
 * overlay networks are gone from the swarm but still listed here until the tasks left them, so a
 * deploy that saw them would not recreate them and its services would fail with "network not found".
 */
export function tasksBeingRemoved(tasks: readonly SwarmTask[], services: readonly SwarmService[]): SwarmTask[] {
  const live = new Set(services.map((s) => s.id));
  return tasks.filter((t) => t.desiredState === 'remove' && !live.has(t.serviceId));
}

/** Waits (polling) until no task of a removed service of the stack is left; returns at once when none is. */
export async function waitForEarlierRemoval(api: SwarmApi, stack: string, first: readonly SwarmTask[], services: readonly SwarmService[], options: { readonly onWait: (count: number) => void; readonly timeoutMs?: number; readonly signal?: AbortSignal }): Promise<boolean> {
  let going = tasksBeingRemoved(first, services);
  if (going.length === 0) return false;
  options.onWait(going.length);
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  while (going.length > 0) {
    if (options.signal?.aborted === true) throw new InterruptedError('interrupted while waiting for an earlier stack rm to finish');
    if (Date.now() >= deadline) {
      throw new RuntimeError(`stack ${stack} is still being removed (${going.length} task(s) left)`, 'run `tscompose stack rm --wait` first, or try again later');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    going = tasksBeingRemoved(await api.listTasks({ labels: [stackFilter(stack)] }), services);
  }
  return true;
}

/** Everything the stack has on the cluster, by its namespace label, read at once. */
export async function observeStack(api: SwarmApi, stack: string): Promise<ActualStack> {
  const filter = [stackFilter(stack)];
  const [services, networks, configs, secrets] = await Promise.all([
    api.listServices(filter), api.listNetworks(filter), api.listConfigs(filter), api.listSecrets(filter),
  ]);
  return { services, networks, configs, secrets };
}

/**
 * Why a stack cannot join an external network as the engine reports it (undefined: not found), or
 * undefined when it can. Pure, so the rule is tested without a cluster.
 */
export function externalNetworkProblem(name: string, found: SwarmNetwork | undefined): EngineError | undefined {
  if (found === undefined) {
    return new EngineError(`network ${name} is declared external but does not exist`, {
      hint: `create it first: docker network create --driver overlay --attachable ${name}`,
    });
  }
  if (found.scope !== 'swarm') {
    return new EngineError(`network ${name} is declared external but is ${found.scope}-scoped; a stack can only join swarm-scoped networks`, {
      hint: `create an overlay network (docker network create --driver overlay ${name}-overlay) and use that one`,
    });
  }
  return undefined;
}

/** External networks must exist and be swarm-scoped, or the services could not join them on every node. */
export async function checkExternalNetworks(api: SwarmApi, desired: DesiredStack): Promise<void> {
  const external = desired.networks.filter((n) => n.external && !['host', 'none'].includes(n.name));
  const found = await Promise.all(external.map((n) => api.inspectNetwork(n.name)));
  external.forEach((network, i) => {
    const problem = externalNetworkProblem(network.name, found[i]);
    if (problem !== undefined) throw problem;
  });
}
