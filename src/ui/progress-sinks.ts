import type { BuildStep, EventSink, ProgressEvent, ResourceKind } from '../model/events.js';

export type Write = (text: string) => void;

const KIND_TITLE: Readonly<Record<ResourceKind, string>> = {
  container: 'Container',
  network: 'Network',
  volume: 'Volume',
  image: 'Image',
  service: 'Service',
  config: 'Config',
  secret: 'Secret',
};

function statusWord(event: ProgressEvent): string {
  const word = event.status.charAt(0).toUpperCase() + event.status.slice(1);
  if (event.status === 'error') return `Error ${event.detail ?? ''}`.trimEnd();
  // Readiness checks say what they wait for: CI logs should show why a run is slow.
  if (event.detail !== undefined && event.status === 'waiting') return `Waiting for ${event.detail}`;
  if (event.detail !== undefined && event.status === 'ready') return `Ready (${event.detail})`;
  return word;
}

/** `#5 [2/3] RUN make`, `#5 CACHED`, `#5 DONE 0.3s`, `#5 0.231 output`: Compose's plain build progress. */
export function stepLine(step: BuildStep): string {
  switch (step.state) {
    case 'started': return `#${step.id} ${step.name}`;
    case 'cached': return `#${step.id} CACHED`;
    case 'done': return `#${step.id} DONE ${(step.seconds ?? 0).toFixed(1)}s`;
    case 'error': return `#${step.id} ERROR: ${step.error ?? ''}`;
    case 'log': return `#${step.id} ${step.log ?? ''}`;
  }
}

/** One line per event, for CI logs and pipes: ` Container hello-web-1  Started`. */
export function plainSink(write: Write): EventSink {
  return {
    emit(event) {
      if (event.step !== undefined) write(`${stepLine(event.step)}\n`);
      else if (event.line !== undefined) write(` ${KIND_TITLE[event.kind]} ${event.name}  | ${event.line}\n`);
      else write(` ${KIND_TITLE[event.kind]} ${event.name}  ${statusWord(event)}\n`);
    },
    warn(message) {
      write(`WARN ${message}\n`);
    },
  };
}

/** JSON Lines: one object per event, stable keys (documented in the README). */
export function jsonSink(write: Write): EventSink {
  return {
    emit(event) {
      const record: Record<string, unknown> = {
        time: new Date(event.time).toISOString(),
        kind: event.kind,
        name: event.name,
        status: event.status,
        done: event.done,
      };
      if (event.detail !== undefined) record['detail'] = event.detail;
      if (event.line !== undefined) record['line'] = event.line;
      if (event.step !== undefined) record['step'] = event.step;
      write(`${JSON.stringify(record)}\n`);
    },
    warn(message) {
      write(`${JSON.stringify({ time: new Date().toISOString(), kind: 'warning', message })}\n`);
    },
  };
}

export function quietSink(write: Write): EventSink {
  return {
    emit(event) {
      if (event.status === 'error') write(`${KIND_TITLE[event.kind]} ${event.name}: ${event.detail ?? 'failed'}\n`);
    },
    warn() {},
  };
}

/** Drops the progress of pulls (`--quiet-pull`) and builds (`--quiet-build`); failures and warnings still pass. */
export function quietImageSink(sink: EventSink, quiet: { readonly pull: boolean; readonly build: boolean }): EventSink {
  const hidden = new Set<string>([...(quiet.pull ? ['pulling', 'pulled'] : []), ...(quiet.build ? ['building', 'built'] : [])]);
  if (hidden.size === 0) return sink;
  return {
    emit(event) {
      if (event.kind === 'image' && hidden.has(event.status)) return;
      sink.emit(event);
    },
    warn: (message) => sink.warn(message),
  };
}
