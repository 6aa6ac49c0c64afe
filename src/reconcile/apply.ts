import type { Engine } from '../engine/engine.js';
import { EngineError, RuntimeError } from '../errors.js';
import { walkGraph } from '../graph/walk.js';
import { outputLine, progress, type EventSink, type ProgressStatus } from '../model/events.js';
import { Label } from '../model/labels.js';
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

/**
 * A stop that used its whole grace period and ended in SIGKILL (exit 137) means the main process
 * ignores the stop signal: say so, with the usual fix. Only slow stops are inspected.
 */
async function reportKilledOnStop(
  engine: Engine, sink: EventSink, display: string, container: string, timeout: number | undefined, took: number,
): Promise<void> {
  // Without -t the container's own grace period applies (stop_grace_period, else 10 s); one under a second goes unreported.
  if (timeout === 0 || took < (timeout ?? 1) - 0.25) return;
  const details = await engine.containers.inspect(container).catch(() => undefined);
  if (details?.exitCode !== 137) return;
  const service = details.labels[Label.service] ?? display;
  sink.warn(
    `${display} did not stop on SIGTERM and was killed after ${Math.round(took)}s: its main process ignores the signal ` +
    `(often a shell-form command running as PID 1); consider \`init: true\` on service "${service}", or an exec-form command that handles SIGTERM`,
  );
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
        await engine.networks.create(op.spec);
        return;
      case 'remove-network':
        await engine.networks.remove(op.id);
        return;
      case 'create-volume':
        await engine.volumes.create(op.spec);
        return;
      case 'remove-volume':
        await engine.volumes.remove(op.name);
        return;
      case 'pull-image':
        if (options.pullImage === undefined) throw new EngineError(`image ${op.image} is not present and pulling is not available here`);
        await options.pullImage(op.image, op.platform);
        return;
      case 'remove-image':
        await engine.images.remove(op.image);
        return;
      case 'build-image':
        await engine.images.build(op.request, (line) => options.sink.emit(outputLine('image', display, 'building', line)));
        return;
      case 'push-image':
        await engine.images.push(op.image, (status) => {
          if (!status.includes('[')) options.sink.emit(outputLine('image', display, 'pushing', status));
        });
        return;
      case 'create-container': {
        const id = await engine.containers.create(op.spec.name, op.spec.body, {
          ...(op.spec.platform === undefined ? {} : { platform: op.spec.platform }),
          onWarning: (warning) => options.sink.warn(`${op.spec.name}: ${warning}`),
        });
        for (const extra of op.spec.extraNetworks) await engine.networks.connect(extra.network, id, extra.config);
        return;
      }
      case 'start-container':
        await awaitAll(op.awaits);
        await options.beforeStart?.(op.container, op.service);
        if (op.allocatesPorts) await portLock.run(() => engine.containers.start(op.container));
        else await engine.containers.start(op.container);
        return;
      case 'stop-container': {
        const started = Date.now();
        await engine.containers.stop(op.container, op.timeout);
        await reportKilledOnStop(engine, options.sink, display, op.container, op.timeout, (Date.now() - started) / 1000);
        return;
      }
      case 'remove-container':
        await engine.containers.remove(op.container, { force: true, volumes: op.removeVolumes });
        return;
      case 'rename-container':
        await engine.containers.rename(op.container, op.newName);
        return;
      case 'kill-container':
        await engine.containers.kill(op.container, op.signal);
        return;
      case 'pause-container':
        await engine.containers.pause(op.container);
        return;
      case 'unpause-container':
        await engine.containers.unpause(op.container);
        return;
      case 'restart-container':
        await awaitAll(op.awaits);
        await engine.containers.restart(op.container, op.timeout);
        return;
      case 'connect-network':
        await engine.networks.connect(op.network, op.container, op.config);
        return;
      case 'disconnect-network':
        await engine.networks.disconnect(op.network, op.container, true);
        return;
      case 'copy-files':
        await engine.containers.putFiles(op.container, op.files);
        return;
      case 'exec-hook': {
        const outcome = await engine.exec.run(op.container, op.request);
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
