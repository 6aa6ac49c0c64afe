import type { Engine } from '../engine/engine.js';
import { EngineError, RuntimeError } from '../errors.js';
import { buildStepEvent, outputLine, type EventSink } from '../model/events.js';
import { Label } from '../model/labels.js';
import type { AwaitCondition, PlanOperation } from './plan-types.js';
import { waitForCondition } from './wait.js';

/** What a step needs besides its operation: the engine, the caller's hooks, and what the steps share. */
export interface StepContext {
  readonly engine: Engine;
  readonly sink: EventSink;
  readonly signal: AbortSignal | undefined;
  readonly pullImage: ((image: string, platform?: string) => Promise<void>) | undefined;
  readonly beforeStart: ((container: string, service: string) => Promise<void>) | undefined;
  /** The one lock for the starts that let the engine pick host ports. */
  readonly portLock: Mutex;
  /** The step's progress name. */
  readonly display: string;
}

type Executors = { readonly [T in PlanOperation['type']]: (op: Extract<PlanOperation, { type: T }>, step: StepContext) => Promise<void> };

/** One engine call (or one wait) per operation type: the whole of what apply does with a step. */
const EXECUTORS: Executors = {
  'create-network': async (op, { engine }) => {
    await engine.networks.create(op.spec);
  },
  'remove-network': (op, { engine }) => engine.networks.remove(op.id),
  'create-volume': (op, { engine }) => engine.volumes.create(op.spec),
  'remove-volume': (op, { engine }) => engine.volumes.remove(op.name),
  'pull-image': async (op, { pullImage }) => {
    if (pullImage === undefined) throw new EngineError(`image ${op.image} is not present and pulling is not available here`);
    await pullImage(op.image, op.platform);
  },
  'remove-image': (op, { engine }) => engine.images.remove(op.image),
  'build-image': async (op, { engine, sink, display }) => {
    await engine.images.build(
      op.request,
      (line) => sink.emit(outputLine('image', display, 'building', line)),
      (step) => sink.emit(buildStepEvent(display, step)),
    );
  },
  'push-image': (op, { engine, sink, display }) => engine.images.push(op.image, (status) => {
    if (!status.includes('[')) sink.emit(outputLine('image', display, 'pushing', status));
  }),
  'create-container': async (op, { engine, sink }) => {
    const id = await engine.containers.create(op.spec.name, op.spec.body, {
      ...(op.spec.platform === undefined ? {} : { platform: op.spec.platform }),
      onWarning: (warning) => sink.warn(`${op.spec.name}: ${warning}`),
    });
    for (const extra of op.spec.extraNetworks) await engine.networks.connect(extra.network, id, extra.config);
  },
  'start-container': async (op, step) => {
    await awaitConditions(op.awaits, step);
    await step.beforeStart?.(op.container, op.service);
    if (op.allocatesPorts) await step.portLock.run(() => step.engine.containers.start(op.container));
    else await step.engine.containers.start(op.container);
  },
  'stop-container': async (op, { engine, sink, display }) => {
    const started = Date.now();
    await engine.containers.stop(op.container, op.timeout);
    await reportKilledOnStop(engine, sink, display, op.container, op.timeout, (Date.now() - started) / 1000);
  },
  'remove-container': (op, { engine }) => engine.containers.remove(op.container, { force: true, volumes: op.removeVolumes }),
  'rename-container': (op, { engine }) => engine.containers.rename(op.container, op.newName),
  'kill-container': (op, { engine }) => engine.containers.kill(op.container, op.signal),
  'pause-container': (op, { engine }) => engine.containers.pause(op.container),
  'unpause-container': (op, { engine }) => engine.containers.unpause(op.container),
  'restart-container': async (op, step) => {
    await awaitConditions(op.awaits, step);
    await step.engine.containers.restart(op.container, op.timeout);
  },
  'connect-network': (op, { engine }) => engine.networks.connect(op.network, op.container, op.config),
  'disconnect-network': (op, { engine }) => engine.networks.disconnect(op.network, op.container, true),
  'copy-files': (op, { engine }) => engine.containers.putFiles(op.container, op.files),
  'run-pre-start-hook': async (op, step) => {
    await awaitConditions(op.awaits, step);
    await runPreStartHook(op, step);
  },
  'exec-hook': async (op, { engine }) => {
    const outcome = await engine.exec.run(op.container, op.request);
    if (outcome.exitCode === 0) return;
    const output = outcome.output.trim();
    throw new RuntimeError(`${op.hook} hook \`${op.request.command.join(' ')}\` exited with code ${outcome.exitCode}${output === '' ? '' : `: ${output}`}`);
  },
};

/** How many of a failed hook's last lines the error shows. */
const HOOK_TAIL_LINES = 10;

async function runPreStartHook(op: Extract<PlanOperation, { type: 'run-pre-start-hook' }>, { engine, sink, signal }: StepContext): Promise<void> {
  const id = await engine.containers.create(op.spec.name, op.spec.body, { onWarning: (warning) => sink.warn(`${op.service} pre_start[${op.index}]: ${warning}`) });
  try {
    for (const extra of op.spec.extraNetworks) await engine.networks.connect(extra.network, id, extra.config);
    // Subscribed before the start, so a hook that exits at once is not missed.
    const exited = engine.containers.wait(id, 'next-exit', signal);
    exited.catch(() => undefined);
    await engine.containers.start(id);
    const code = await exited;
    if (code === 0) {
      await engine.containers.remove(id, { force: false, volumes: true });
      return;
    }
    const lines: string[] = [];
    await engine.containers.logs(id, { follow: false, tail: HOOK_TAIL_LINES, timestamps: false, tty: false }, (_stream, data) => lines.push(data.toString('utf8')));
    const tail = lines.join('').trim();
    throw new RuntimeError(
      `service "${op.service}" pre_start[${op.index}] exited with code ${code}${tail === '' ? '' : `: ${tail}`} (hook container ${id.slice(0, 12)} kept for inspection)`,
      `read it with \`docker logs ${id.slice(0, 12)}\`; the next \`up\` removes it before it runs the hooks again`,
    );
  } catch (error) {
    // Interrupted, or the engine refused the start: the container has nothing to inspect.
    if (!(error instanceof RuntimeError)) await engine.containers.remove(id, { force: true, volumes: true }).catch(() => undefined);
    throw error;
  }
}

/** Carries out one step's operation. */
export function executeStep(op: PlanOperation, step: StepContext): Promise<void> {
  return (EXECUTORS[op.type] as (op: PlanOperation, step: StepContext) => Promise<void>)(op, step);
}

/** The dependency conditions a start waits for; an optional dependency that fails is a warning. */
async function awaitConditions(awaits: readonly AwaitCondition[], step: StepContext): Promise<void> {
  await Promise.all(awaits.map(async (condition) => {
    try {
      await waitForCondition(step.engine, condition, step.signal === undefined ? {} : { signal: step.signal });
    } catch (error) {
      if (condition.required) throw error;
      step.sink.warn(`optional dependency ${condition.service} skipped: ${(error as Error).message}`);
    }
  }));
}

/** One lock for the starts that let the engine pick host ports (two concurrent starts may get the same one). */
export class Mutex {
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
