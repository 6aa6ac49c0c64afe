import type { ProgressEvent, ResourceKind } from '../model/events.js';

export interface BoardRow {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly status: ProgressEvent['status'];
  readonly done: boolean;
  readonly failed: boolean;
  readonly detail: string | undefined;
  /** When the row's current phase began and, once done, ended (ms). */
  readonly startedAt: number;
  readonly endedAt: number | undefined;
}

const KIND_TITLE: Readonly<Record<ResourceKind, string>> = {
  container: 'Container',
  network: 'Network',
  volume: 'Volume',
  image: 'Image',
  service: 'Service',
  config: 'Config',
  secret: 'Secret',
};

/**
 * The state behind the live progress view: one row per resource, in order of first appearance,
 * each showing its latest status. Pure (time comes with the events), so it is unit-tested.
 */
export class ProgressBoard {
  private readonly byKey = new Map<string, BoardRow>();
  private readonly warningList: string[] = [];

  apply(event: ProgressEvent): BoardRow {
    const key = `${event.kind}:${event.name}`;
    const before = this.byKey.get(key);
    if (event.step !== undefined && before !== undefined) return this.applyStep(key, before, event);
    const startedAt = before === undefined || before.done ? event.time : before.startedAt;
    const row: BoardRow = {
      kind: event.kind,
      name: event.name,
      status: event.status,
      done: event.done,
      failed: event.status === 'error',
      detail: event.detail,
      startedAt,
      endedAt: event.done ? event.time : undefined,
    };
    this.byKey.set(key, row);
    return row;
  }

  /** A BuildKit step: the image's row shows the step running, and its last output line. */
  private applyStep(key: string, before: BoardRow, event: ProgressEvent): BoardRow {
    const step = event.step;
    if (step === undefined) return before;
    const detail = step.state === 'log' ? `#${step.id} ${step.log ?? ''}` : step.state === 'started' ? `#${step.id} ${step.name}` : before.detail;
    const row: BoardRow = { ...before, detail: detail === undefined ? undefined : detail.slice(0, 100) };
    this.byKey.set(key, row);
    return row;
  }

  warn(message: string): void {
    this.warningList.push(message);
  }

  get rows(): readonly BoardRow[] {
    return [...this.byKey.values()];
  }

  get warnings(): readonly string[] {
    return this.warningList;
  }

  /** `3/5 done, 1 failed`: the title line above the rows. */
  summary(): string {
    const rows = this.rows;
    const done = rows.filter((r) => r.done && !r.failed).length;
    const failed = rows.filter((r) => r.failed).length;
    return `${done}/${rows.length} done${failed > 0 ? `, ${failed} failed` : ''}`;
  }

  /** The rows as aligned text lines; `now` times the rows still in progress. */
  lines(now: number, style: RowStyle = plainRowStyle): string[] {
    const rows = this.rows;
    const width = Math.max(0, ...rows.map((r) => r.name.length));
    return [
      ...rows.map((r) => {
        const word = r.status.charAt(0).toUpperCase() + r.status.slice(1);
        const seconds = (((r.endedAt ?? now) - r.startedAt) / 1000).toFixed(1);
        const mark = r.failed ? style.fail('✘') : r.done ? style.ok('✔') : style.busy('…');
        const detail = r.detail === undefined || (!r.failed && r.done) ? '' : ` ${style.dim(r.detail)}`;
        return `${mark} ${KIND_TITLE[r.kind].padEnd(9)} ${r.name.padEnd(width)}  ${(r.failed ? style.fail : (s: string) => s)(word)}${detail}  ${style.dim(`${seconds}s`)}`;
      }),
      ...this.warningList.map((w) => `${style.warn('!')} ${w}`),
    ];
  }
}

export interface RowStyle {
  readonly ok: (s: string) => string;
  readonly fail: (s: string) => string;
  readonly busy: (s: string) => string;
  readonly warn: (s: string) => string;
  readonly dim: (s: string) => string;
}

export const plainRowStyle: RowStyle = { ok: (s) => s, fail: (s) => s, busy: (s) => s, warn: (s) => s, dim: (s) => s };
