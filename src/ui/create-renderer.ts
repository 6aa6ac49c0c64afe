import type { Renderer } from './renderer.js';
import { createLogPrinter, type RawWrite } from './log-printer.js';
import { jsonSink, plainSink, quietSink, type Write } from './progress-sinks.js';

export interface RendererOptions {
  readonly progress: 'auto' | 'tty' | 'plain' | 'json' | 'quiet';
  readonly ansi: 'never' | 'always' | 'auto';
  readonly stdout: { write: RawWrite; readonly isTTY?: boolean };
  readonly stderr: { write: RawWrite; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Picks the progress display: plain lines unless asked otherwise (the live TTY view comes later). */
export function createRenderer(options: RendererOptions): Renderer {
  const interactive = options.stdout.isTTY === true;
  const noColor = options.env['NO_COLOR'] !== undefined && options.env['NO_COLOR'] !== '';
  const color = options.ansi === 'always' || (options.ansi === 'auto' && interactive && !noColor);
  const err: Write = (text) => options.stderr.write(text);
  const events = options.progress === 'json'
    ? jsonSink(err)
    : options.progress === 'quiet'
      ? quietSink(err)
      : plainSink(err);
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
    close: async () => {},
  };
}
