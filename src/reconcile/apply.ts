import type { Engine } from '../engine/engine.js';
import { RuntimeError } from '../errors.js';
import { walkGraph } from '../graph/walk.js';
import { progress, type EventSink, type ProgressStatus } from '../model/events.js';
import { Mutex, executeStep } from './apply-steps.js';
import type { Plan, PlanNode, PlanOperation } from './plan-types.js';

/** How the steps are walked, whatever runs them. */
export interface WalkPlanOptions {
  readonly sink: EventSink;
  readonly signal?: AbortSignal;
  /** down keeps going past a failure, so one stuck network does not leave the volumes behind. */
  readonly continueOnError?: boolean;
  /** Most steps in flight at once (--parallel, COMPOSE_PARALLEL_LIMIT); unset or Infinity: as many as the graph allows. */
  readonly concurrency?: number;
}

export interface ApplyOptions extends WalkPlanOptions {
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
  'run-pre-start-hook': ['hooking', 'hooked'],
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
async function runStep(node: PlanNode, execute: StepRunner, sink: EventSink, log: FailureLog, continueOnError: boolean): Promise<void> {
  if (log.blocks(node)) {
    log.skip(node);
    return;
  }
  const [doing, done] = PHASES[node.operation.type];
  const kind = kindOf(node.operation);
  sink.emit(progress(kind, node.display, doing, false, node.cause));
  try {
    await execute(node);
    sink.emit(progress(kind, node.display, done, true));
  } catch (error) {
    sink.emit(progress(kind, node.display, 'error', true, (error as Error).message));
    log.record(node, error);
    if (!continueOnError) throw error;
  }
}

/** Does one step's work; apply's is executeStep against the engine. */
export type StepRunner = (node: PlanNode) => Promise<void>;

/**
 * Walks the plan: every step as soon as the steps it waits for are done, at most
 * `options.concurrency` at once. It decides nothing; `execute` does each step's work.
 */
export async function walkPlan(plan: Plan, execute: StepRunner, options: WalkPlanOptions): Promise<void> {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const log = new FailureLog();
  const visit = (id: string): Promise<void> =>
    runStep(byId.get(id) as PlanNode, execute, options.sink, log, options.continueOnError === true);
  const graph = new Map(plan.nodes.map((n) => [n.id, n.dependsOn] as const));
  try {
    await walkGraph(graph, visit, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    });
  } catch (error) {
    if (log.failures.length === 0) throw error;
  }
  if (log.failures.length > 0) throw new ApplyError(log.failures);
}

/** Applies the plan to the engine. */
export async function applyPlan(engine: Engine, plan: Plan, options: ApplyOptions): Promise<void> {
  const shared = { engine, sink: options.sink, signal: options.signal, pullImage: options.pullImage, beforeStart: options.beforeStart, portLock: new Mutex() };
  await walkPlan(plan, (node) => executeStep(node.operation, { ...shared, display: node.display }), options);
}
