import type { Engine } from '../engine/engine.js';
import { EngineError, RuntimeError } from '../errors.js';
import { walkGraph } from '../graph/walk.js';
import { outputLine, progress, type EventSink, type ProgressStatus } from '../model/events.js';
import type { AwaitCondition, Plan, PlanNode, PlanOperation } from './plan-types.js';
import { waitForCondition } from './wait.js';

export interface ApplyOptions {
  readonly sink: EventSink;
  readonly signal?: AbortSignal;
  /** down keeps going past a failure, so one stuck network does not leave the volumes behind. */
  readonly continueOnError?: boolean;
  /** Pulls images; given by the caller because pulling streams progress. */
  readonly pullImage?: (image: string, platform?: string) => Promise<void>;
  /** Called between a container's dependencies being ready and its start (attached `up` attaches here). */
  readonly beforeStart?: (container: string, service: string) => Promise<void>;
}

/** A step that failed, with the error the engine gave. */
export interface StepFailure {
  readonly node: PlanNode;
  readonly error: unknown;
}

export class ApplyError extends RuntimeError {
  constructor(readonly failures: readonly StepFailure[]) {
    super(
      failures.map((f) => `${f.node.display}: ${describeStep(f.node.operation)} failed: ${(f.error as Error).message}`).join('\n'),
      firstHint(failures),
    );
  }
}

function firstHint(failures: readonly StepFailure[]): string | undefined {
  for (const f of failures) {
    const hint = (f.error as { hint?: string }).hint;
    if (hint !== undefined) return hint;
  }
  return 'run the same command again: it continues from where this one stopped';
}

function describeStep(op: PlanOperation): string {
  return op.type.replace('-', ' ');
}

const PHASES: Readonly<Record<PlanOperation['type'], readonly [ProgressStatus, ProgressStatus]>> = {
  'create-network': ['creating', 'created'],
  'remove-network': ['removing', 'removed'],
  'create-volume': ['creating', 'created'],
  'remove-volume': ['removing', 'removed'],
  'pull-image': ['pulling', 'pulled'],
  'build-image': ['building', 'built'],
  'push-image': ['pushing', 'pushed'],
  'remove-image': ['removing', 'removed'],
  'create-container': ['creating', 'created'],
  'start-container': ['starting', 'started'],
  'stop-container': ['stopping', 'stopped'],
  'remove-container': ['removing', 'removed'],
  'rename-container': ['recreating', 'recreated'],
  'kill-container': ['killing', 'killed'],
  'pause-container': ['pausing', 'paused'],
  'unpause-container': ['unpausing', 'unpaused'],
  'restart-container': ['restarting', 'restarted'],
  'copy-files': ['copying', 'copied'],
  'connect-network': ['connecting', 'connected'],
  'disconnect-network': ['disconnecting', 'disconnected'],
  'exec-hook': ['hooking', 'hooked'],
};

function kindOf(op: PlanOperation): 'container' | 'network' | 'volume' | 'image' {
  if (op.type === 'connect-network' || op.type === 'disconnect-network') return 'container';
  if (op.type.endsWith('network')) return 'network';
  if (op.type.endsWith('volume')) return 'volume';
  if (op.type.endsWith('image')) return 'image';
  return 'container';
}

/** One lock for the starts that let the engine pick host ports (two concurrent starts may get the same one). */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async run<T>(task: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise((resolve) => (release = resolve));
    await previous;
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/** Walks the plan: every step as soon as the steps it waits for are done. It decides nothing. */
export async function applyPlan(engine: Engine, plan: Plan, options: ApplyOptions): Promise<void> {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const failures: StepFailure[] = [];
  const failed = new Set<string>();
  const portLock = new Mutex();

  const execute = async (op: PlanOperation, display: string): Promise<void> => {
    switch (op.type) {
      case 'create-network':
        await engine.createNetwork(op.body);
        return;
      case 'remove-network':
        await engine.removeNetwork(op.id);
        return;
      case 'create-volume':
        await engine.createVolume(op.body);
        return;
      case 'remove-volume':
        await engine.removeVolume(op.name);
        return;
      case 'pull-image':
        if (options.pullImage === undefined) throw new EngineError(`image ${op.image} is not present and pulling is not available here`);
        await options.pullImage(op.image, op.platform);
        return;
      case 'remove-image':
        await engine.removeImage(op.image);
        return;
      case 'build-image':
        await engine.buildImage(op.request, (line) => options.sink.emit(outputLine('image', display, 'building', line)));
        return;
      case 'push-image':
        await engine.pushImage(op.image, (status) => {
          if (!status.includes('[')) options.sink.emit(outputLine('image', display, 'pushing', status));
        });
        return;
      case 'create-container': {
        const id = await engine.createContainer(op.spec.name, op.spec.body, {
          ...(op.spec.platform === undefined ? {} : { platform: op.spec.platform }),
          onWarning: (warning) => options.sink.warn(`${op.spec.name}: ${warning}`),
        });
        for (const extra of op.spec.extraNetworks) await engine.connectNetwork(extra.network, id, extra.config);
        return;
      }
      case 'start-container':
        await awaitAll(op.awaits);
        await options.beforeStart?.(op.container, op.service);
        if (op.allocatesPorts) await portLock.run(() => engine.startContainer(op.container));
        else await engine.startContainer(op.container);
        return;
      case 'stop-container':
        await engine.stopContainer(op.container, op.timeout);
        return;
      case 'remove-container':
        await engine.removeContainer(op.container, { force: true, volumes: op.removeVolumes });
        return;
      case 'rename-container':
        await engine.renameContainer(op.container, op.newName);
        return;
      case 'kill-container':
        await engine.killContainer(op.container, op.signal);
        return;
      case 'pause-container':
        await engine.pauseContainer(op.container);
        return;
      case 'unpause-container':
        await engine.unpauseContainer(op.container);
        return;
      case 'restart-container':
        await awaitAll(op.awaits);
        await engine.restartContainer(op.container, op.timeout);
        return;
      case 'connect-network':
        await engine.connectNetwork(op.network, op.container, op.config);
        return;
      case 'disconnect-network':
        await engine.disconnectNetwork(op.network, op.container, true);
        return;
      case 'copy-files':
        await engine.putFiles(op.container, op.files);
        return;
      case 'exec-hook': {
        const outcome = await engine.execAndWait(op.container, op.request);
        if (outcome.exitCode !== 0) {
          const output = outcome.output.trim();
          throw new RuntimeError(
            `${op.hook} hook \`${op.request.command.join(' ')}\` exited with code ${outcome.exitCode}${output === '' ? '' : `: ${output}`}`,
          );
        }
        return;
      }
    }
  };

  const awaitAll = async (awaits: readonly AwaitCondition[]): Promise<void> => {
    await Promise.all(awaits.map(async (condition) => {
      try {
        await waitForCondition(engine, condition, options.signal === undefined ? {} : { signal: options.signal });
      } catch (error) {
        if (condition.required) throw error;
        options.sink.warn(`optional dependency ${condition.service} skipped: ${(error as Error).message}`);
      }
    }));
  };

  const visit = async (id: string): Promise<void> => {
    const node = byId.get(id) as PlanNode;
    if (node.dependsOn.some((d) => failed.has(d))) {
      failed.add(id);
      return;
    }
    const [doing, done] = PHASES[node.operation.type];
    const kind = kindOf(node.operation);
    options.sink.emit(progress(kind, node.display, doing, false, node.cause));
    try {
      await execute(node.operation, node.display);
      options.sink.emit(progress(kind, node.display, done, true));
    } catch (error) {
      options.sink.emit(progress(kind, node.display, 'error', true, (error as Error).message));
      failures.push({ node, error });
      failed.add(id);
      if (options.continueOnError !== true) throw error;
    }
  };

  const graph = new Map(plan.nodes.map((n) => [n.id, n.dependsOn] as const));
  try {
    await walkGraph(graph, visit, options.signal === undefined ? {} : { signal: options.signal });
  } catch (error) {
    if (failures.length === 0) throw error;
  }
  if (failures.length > 0) throw new ApplyError(failures);
}
