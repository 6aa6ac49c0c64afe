import type { EventSink } from '../model/events.js';
import { ProgressBoard, plainRowStyle, type RowStyle } from './progress-board.js';

export interface TtySink {
  readonly sink: EventSink;
  /** Ends the live view and leaves its last frame on screen; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The live view for terminals: a listr2 task whose output area holds one row per resource,
 * redrawn in place as events arrive. listr2 and chalk are loaded only when the first event comes.
 */
export function ttySink(stream: NodeJS.WriteStream, color: boolean): TtySink {
  const board = new ProgressBoard();
  let finish: (() => void) | undefined;
  let update: (() => void) | undefined;
  let running: Promise<unknown> | undefined;
  let closed = false;

  const start = (): Promise<unknown> => (async () => {
    const [{ Listr, ListrLogger, ProcessOutput }, { default: chalk }] = await Promise.all([import('listr2'), import('chalk')]);
    const style: RowStyle = color
      ? { ok: chalk.green, fail: chalk.red, busy: chalk.cyan, warn: chalk.yellow, dim: chalk.dim }
      : plainRowStyle;
    const listr = new Listr([{
      title: board.summary(),
      task: (_ctx, task) => new Promise<void>((resolve) => {
        update = () => {
          task.title = board.summary();
          task.output = board.lines(Date.now(), style).join('\n');
        };
        finish = () => {
          update?.();
          resolve();
        };
        update();
        if (closed) finish();
      }),
      rendererOptions: { outputBar: Infinity, persistentOutput: true },
    }], {
      renderer: 'default',
      forceTTY: true,
      registerSignalListeners: false,
      exitOnError: false,
      rendererOptions: {
        lazy: false,
        removeEmptyLines: false,
        formatOutput: 'truncate',
        // Progress belongs on stderr, as Compose does it; stdout stays clean for data.
        logger: new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(stream, stream) }),
      },
    });
    await listr.run();
  })();

  return {
    sink: {
      emit(event) {
        board.apply(event);
        running ??= start();
        update?.();
      },
      warn(message) {
        board.warn(message);
        running ??= start();
        update?.();
      },
    },
    async close() {
      closed = true;
      finish?.();
      await running;
    },
  };
}
