import type { Renderer } from './renderer.js';
import { createLogPrinter, type RawWrite } from './log-printer.js';
import { jsonSink, plainSink, quietSink, type Write } from './progress-sinks.js';
import { ttySink, type TtySink } from './tty-sink.js';

export interface RendererOptions {
  readonly progress: 'auto' | 'tty' | 'plain' | 'json' | 'quiet';
  readonly ansi: 'never' | 'always' | 'auto';
  readonly stdout: { write: RawWrite; readonly isTTY?: boolean };
  readonly stderr: { write: RawWrite; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The real stderr stream, for the live view (listr2 redraws it in place). */
  readonly stderrStream?: NodeJS.WriteStream;
  /** Reads one answer line from the terminal; absent when stdin is not a terminal. */
  readonly askLine?: (question: string) => Promise<string>;
}

/** `tty` when asked, or in `auto` mode on a terminal outside CI. */
function wantsLiveView(options: RendererOptions): boolean {
  if (options.stderrStream === undefined) return false;
  if (options.progress === 'tty') return true;
  const ci = (options.env['CI'] ?? '') !== '' && options.env['CI'] !== 'false';
  return options.progress === 'auto' && options.stderr.isTTY === true && !ci && options.env['TERM'] !== 'dumb';
}

/** Picks the progress display: the live view on a terminal, plain lines in CI and pipes, JSON or quiet on request. */
export function createRenderer(options: RendererOptions): Renderer {
  const interactive = options.stdout.isTTY === true;
  const noColor = options.env['NO_COLOR'] !== undefined && options.env['NO_COLOR'] !== '';
  const color = options.ansi === 'always' || (options.ansi === 'auto' && interactive && !noColor);
  const err: Write = (text) => options.stderr.write(text);
  const live: TtySink | undefined = wantsLiveView(options)
    ? ttySink(options.stderrStream as NodeJS.WriteStream, options.ansi === 'always' || (options.ansi === 'auto' && !noColor))
    : undefined;
  const events = live?.sink ?? (options.progress === 'json'
    ? jsonSink(err)
    : options.progress === 'quiet'
      ? quietSink(err)
      : plainSink(err));
  return {
    out: (text) => options.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    events,
    warn: (message) => events.warn(message),
    info: (message) => {
      if (options.progress !== 'quiet' && options.progress !== 'json') err(`${message}\n`);
    },
    color,
    interactive,
    logPrinter: async (logOptions) => {
      const useColor = color && logOptions.color;
      const palette = useColor ? (await import('./log-colors.js')).logPalette() : [];
      return createLogPrinter(
        { ...logOptions, color: useColor },
        (data) => options.stdout.write(data),
        (data) => options.stderr.write(data),
        palette,
      );
    },
    close: async () => {
      await live?.close();
    },
    ...(options.askLine === undefined ? {} : {
      confirm: async (question: string) => {
        await live?.close();
        const answer = await (options.askLine as (q: string) => Promise<string>)(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      },
    }),
  };
}
