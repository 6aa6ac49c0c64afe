import { ConfigError, InternalError, isTscomposeError } from '../errors.js';

export interface ErrorStyle {
  readonly red: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

export const plainStyle: ErrorStyle = { red: (s) => s, dim: (s) => s, bold: (s) => s };

/** Messages from the validator already begin with the path (or its parent): do not say it twice. */
function namesItsPath(message: string, keyPath: string): boolean {
  const head = message.slice(0, message.indexOf(': '));
  return head !== '' && keyPath.startsWith(head);
}

/**
 * The text a user sees for a failure: what went wrong, where (file:line:column, key path and the
 * offending line), and how to fix it. Only bugs get a stack trace.
 */
export function formatError(error: unknown, style: ErrorStyle = plainStyle): string {
  if (!isTscomposeError(error)) {
    const text = error instanceof Error ? error.stack ?? error.message : String(error);
    return `${style.red('internal error')}: ${text}\nthis is a bug in tscompose: please report it with the command you ran`;
  }
  const lines: string[] = [];
  if (error instanceof ConfigError && error.position !== undefined) {
    const { file, line, column } = error.position;
    const where = error.keyPath === undefined || namesItsPath(error.message, error.keyPath) ? '' : ` ${style.bold(error.keyPath)}:`;
    lines.push(`${style.red('error')}: ${file}:${line}:${column}:${where} ${error.message}`);
    if (error.sourceLine !== undefined) {
      const gutter = String(line);
      lines.push(style.dim(`${' '.repeat(gutter.length)} |`));
      lines.push(`${style.dim(`${gutter} |`)} ${error.sourceLine}`);
      lines.push(`${style.dim(`${' '.repeat(gutter.length)} |`)} ${' '.repeat(Math.max(0, column - 1))}${style.red('^')}`);
    }
  } else if (error instanceof ConfigError && error.keyPath !== undefined && !namesItsPath(error.message, error.keyPath)) {
    lines.push(`${style.red('error')}: ${style.bold(error.keyPath)}: ${error.message}`);
  } else {
    lines.push(`${style.red('error')}: ${error.message}`);
  }
  if (error.hint !== undefined) lines.push(`${style.dim('hint')}: ${error.hint}`);
  if (error instanceof InternalError && error.stack !== undefined) lines.push(error.stack);
  return lines.join('\n');
}
