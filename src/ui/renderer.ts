import type { EventSink } from '../model/events.js';
import type { LogPrinter, LogPrinterOptions } from './log-printer.js';

/**
 * Where commands send what the user sees. Data (tables, YAML, JSON) goes to stdout; progress,
 * warnings and errors go to stderr, as Docker Compose does.
 */
export interface Renderer {
  /** Command output, for stdout. A trailing newline is added. */
  out(text: string): void;
  /** Progress events from apply, wait, build and pull. */
  readonly events: EventSink;
  warn(message: string): void;
  /** A status line on stderr ("Attaching to ...", "Gracefully stopping..."). */
  info(message: string): void;
  /** Whether ANSI colours may be used on stdout. */
  readonly color: boolean;
  /** Whether stdout is a terminal. */
  readonly interactive: boolean;
  /** Prints container output with `web-1  | ` prefixes; `color: false` forces colours off (--no-color). */
  logPrinter(options: LogPrinterOptions): Promise<LogPrinter>;
  /** Asks a yes/no question on the terminal (default no); absent when there is no terminal to ask on. */
  confirm?(question: string): Promise<boolean>;
  /** Ends any live progress display; call before printing a final result. */
  close(): Promise<void>;
}
