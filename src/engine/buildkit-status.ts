import type { BuildStepUpdate } from './engine.js';

/** BuildKit's StatusResponse, decoded (moby.buildkit.v1, the .proto dockerode ships). */
export interface StatusMessage {
  readonly vertexes?: readonly VertexMessage[];
  readonly logs?: readonly { readonly vertex?: string; readonly msg?: Uint8Array; readonly timestamp?: TimestampMessage }[];
}

export interface VertexMessage {
  readonly digest?: string;
  readonly name?: string;
  readonly cached?: boolean;
  readonly started?: TimestampMessage;
  readonly completed?: TimestampMessage;
  readonly error?: string;
}

export interface TimestampMessage {
  readonly seconds?: number | string;
  readonly nanos?: number;
}

function seconds(t: TimestampMessage | undefined): number | undefined {
  if (t === undefined || t === null) return undefined;
  return Number(t.seconds ?? 0) + (t.nanos ?? 0) / 1e9;
}

interface StepState {
  readonly id: number;
  name: string;
  started?: number;
  announced: boolean;
  ended: boolean;
  /** The last lines of output, for the failure report. */
  readonly tail: string[];
  partial: string;
}

const TAIL = 20;

/**
 * Turns BuildKit's status messages into step updates as Compose prints them: a number per vertex
 * in order of appearance, its name once it starts, then CACHED, DONE with its time, or ERROR; and
 * its output lines. Pure: the caller decodes and prints.
 */
export class BuildSteps {
  private readonly byDigest = new Map<string, StepState>();
  private failed: StepState | undefined;
  private failure: string | undefined;

  apply(message: StatusMessage): BuildStepUpdate[] {
    const out: BuildStepUpdate[] = [];
    for (const v of message.vertexes ?? []) {
      if (v.digest === undefined || v.digest === '') continue;
      let step = this.byDigest.get(v.digest);
      if (step === undefined) {
        step = { id: this.byDigest.size + 1, name: v.name ?? '', announced: false, ended: false, tail: [], partial: '' };
        this.byDigest.set(v.digest, step);
      }
      if (v.name !== undefined && v.name !== '') step.name = v.name;
      if (step.ended) continue;
      const started = seconds(v.started);
      if (started !== undefined && step.started === undefined) step.started = started;
      if (!step.announced && (started !== undefined || v.cached === true)) {
        step.announced = true;
        out.push({ id: step.id, name: step.name, state: 'started' });
      }
      if (v.error !== undefined && v.error !== '') {
        step.ended = true;
        this.failed ??= step;
        this.failure ??= v.error;
        out.push({ id: step.id, name: step.name, state: 'error', error: v.error });
      } else if (v.cached === true) {
        step.ended = true;
        out.push({ id: step.id, name: step.name, state: 'cached' });
      } else if (seconds(v.completed) !== undefined) {
        step.ended = true;
        const took = (seconds(v.completed) ?? 0) - (step.started ?? seconds(v.completed) ?? 0);
        out.push({ id: step.id, name: step.name, state: 'done', seconds: Math.max(0, took) });
      }
    }
    for (const log of message.logs ?? []) {
      const step = this.byDigest.get(log.vertex ?? '');
      if (step === undefined || log.msg === undefined) continue;
      const at = seconds(log.timestamp);
      const since = at === undefined || step.started === undefined ? undefined : Math.max(0, at - step.started);
      const lines = (step.partial + Buffer.from(log.msg).toString('utf8')).split(/\r?\n/);
      step.partial = lines.pop() ?? '';
      for (const line of lines) {
        step.tail.push(line);
        if (step.tail.length > TAIL) step.tail.shift();
        out.push({ id: step.id, name: step.name, state: 'log', log: since === undefined ? line : `${since.toFixed(3)} ${line}` });
      }
    }
    return out;
  }

  /** The step that failed first, its error and its last output lines. */
  failedStep(): { readonly name: string; readonly error: string; readonly tail: readonly string[] } | undefined {
    if (this.failed === undefined) return undefined;
    const tail = this.failed.partial === '' ? this.failed.tail : [...this.failed.tail, this.failed.partial];
    return { name: this.failed.name, error: this.failure ?? '', tail };
  }
}
