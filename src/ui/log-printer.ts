import type { Write } from './progress-sinks.js';

export type LogStream = 'stdout' | 'stderr';
/** Raw bytes to stdout or stderr. */
export type RawWrite = (data: string | Uint8Array) => void;

export interface LogPrinterOptions {
  /** `web-1  | ` before each line (off with --no-log-prefix). */
  readonly prefix: boolean;
  readonly color: boolean;
  /** Insert the time each line was received after the prefix (`up --timestamps`). */
  readonly receiveTimestamps?: boolean;
}

/** Splits one container's output into lines and prints them with its prefix. */
export interface ContainerLogWriter {
  push(stream: LogStream, data: Buffer): void;
  /** Prints what is left of an unterminated last line. */
  flush(): void;
}

export interface LogPrinter {
  /** Names known up front, so the padding is right from the first line; later names widen it. */
  register(names: readonly string[]): void;
  writer(name: string): ContainerLogWriter;
  /** One whole line for a container, already split (merged logs). */
  line(name: string, stream: LogStream, text: string): void;
  /** A status line about a container: "web-1 exited with code 0". */
  status(name: string, text: string): void;
}

type Paint = (text: string) => string;

const CR_BEFORE_NEWLINE = /\r(?=\n|$)/g;
const NEWLINE = 10;

export function createLogPrinter(
  options: LogPrinterOptions,
  out: RawWrite,
  err: RawWrite,
  palette: readonly Paint[],
): LogPrinter {
  const colors = new Map<string, Paint>();
  let width = 0;
  const prefixes = new Map<string, string>();

  const register = (names: readonly string[]): void => {
    for (const name of [...names].sort()) {
      if (colors.has(name)) continue;
      colors.set(name, palette.length === 0 ? (t) => t : (palette[colors.size % palette.length] as Paint));
      if (name.length > width) {
        width = name.length;
        prefixes.clear();
      }
    }
  };
  const prefixOf = (name: string): string => {
    if (!options.prefix) return '';
    let prefix = prefixes.get(name);
    if (prefix === undefined) {
      if (!colors.has(name)) register([name]);
      prefix = (colors.get(name) as Paint)(`${name.padEnd(width + 1)} | `);
      prefixes.set(name, prefix);
    }
    return prefix;
  };
  const stamp = (): string => (options.receiveTimestamps === true ? `${new Date().toISOString()} ` : '');
  const target = (stream: LogStream): RawWrite => (stream === 'stderr' ? err : out);

  /** Writes complete lines (the text ends with a newline). */
  const writeLines = (name: string, stream: LogStream, data: Buffer): void => {
    const prefix = prefixOf(name);
    if (prefix === '' && options.receiveTimestamps !== true) {
      target(stream)(data);
      return;
    }
    const lead = prefix + stamp();
    // A TTY container ends its lines with \r\n: the \r has no place after a prefix.
    const text = data.toString('utf8', 0, data.length - 1).replace(CR_BEFORE_NEWLINE, '');
    target(stream)(`${lead}${text.replaceAll('\n', `\n${lead}`)}\n`);
  };

  return {
    register,
    writer(name) {
      register([name]);
      const pending: Record<LogStream, Buffer | undefined> = { stdout: undefined, stderr: undefined };
      return {
        push(stream, data) {
          const last = data.lastIndexOf(NEWLINE);
          if (last === -1) {
            pending[stream] = pending[stream] === undefined ? Buffer.from(data) : Buffer.concat([pending[stream] as Buffer, data]);
            return;
          }
          const head = data.subarray(0, last + 1);
          const before = pending[stream];
          writeLines(name, stream, before === undefined ? head : Buffer.concat([before, head]));
          pending[stream] = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : undefined;
        },
        flush() {
          for (const stream of ['stdout', 'stderr'] as const) {
            const rest = pending[stream];
            if (rest !== undefined) writeLines(name, stream, Buffer.concat([rest, Buffer.from('\n')]));
            pending[stream] = undefined;
          }
        },
      };
    },
    line(name, stream, text) {
      target(stream)(`${prefixOf(name)}${stamp()}${text.replace(CR_BEFORE_NEWLINE, '')}\n`);
    },
    status(name, text) {
      if (!colors.has(name)) register([name]);
      const paint = options.prefix ? (colors.get(name) as Paint) : (t: string) => t;
      out(`${paint(`${name} ${text}`)}\n`);
    },
  };
}

export type { Write };
