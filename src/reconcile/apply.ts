import type { Engine } from '../engine/engine.js';
import { RuntimeError } from '../errors.js';
import { walkGraph } from '../graph/walk.js';
import { progress, type EventSink, type ProgressStatus } from '../model/events.js';
import { Mutex, executeStep, type StepContext } from './apply-steps.js';
import type { Plan, PlanNode, PlanOperation } from './plan-types.js';

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

/** The failed steps, in the order they failed, and the ones skipped because a step they wait for failed. */
class FailureLog {
  readonly failures: StepFailure[] = [];
  private readonly failed = new Set<string>();

  blocks(node: PlanNode): boolean {
    return node.dependsOn.some((d) => this.failed.has(d));
  }

  skip(node: PlanNode): void {
    this.failed.add(node.id);
  }

  record(node: PlanNode, error: unknown): void {
    this.failures.push({ node, error });
    this.failed.add(node.id);
  }
}

/** One step with its progress: doing, then done or error. A failure is logged, and rethrown unless apply keeps going. */
async function runStep(node: PlanNode, step: StepContext, log: FailureLog, continueOnError: boolean): Promise<void> {
  if (log.blocks(node)) {
    log.skip(node);
    return;
  }
  const [doing, done] = PHASES[node.operation.type];
  const kind = kindOf(node.operation);
  step.sink.emit(progress(kind, node.display, doing, false, node.cause));
  try {
    await executeStep(node.operation, step);
    step.sink.emit(progress(kind, node.display, done, true));
  } catch (error) {
    step.sink.emit(progress(kind, node.display, 'error', true, (error as Error).message));
    log.record(node, error);
    if (!continueOnError) throw error;
  }
}

/** Walks the plan: every step as soon as the steps it waits for are done. It decides nothing. */
export async function applyPlan(engine: Engine, plan: Plan, options: ApplyOptions): Promise<void> {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const log = new FailureLog();
  const shared = { engine, sink: options.sink, signal: options.signal, pullImage: options.pullImage, beforeStart: options.beforeStart, portLock: new Mutex() };
  const visit = (id: string): Promise<void> => {
    const node = byId.get(id) as PlanNode;
    return runStep(node, { ...shared, display: node.display }, log, options.continueOnError === true);
  };
  const graph = new Map(plan.nodes.map((n) => [n.id, n.dependsOn] as const));
  try {
    await walkGraph(graph, visit, options.signal === undefined ? {} : { signal: options.signal });
  } catch (error) {
    if (log.failures.length === 0) throw error;
  }
  if (log.failures.length > 0) throw new ApplyError(log.failures);
}
