import type { Engine } from '../engine/engine.js';

/** Counts the lines of a stream that match a pattern; chunks may split lines anywhere. */
export function lineMatchCounter(pattern: RegExp): (chunk: string) => number {
  let partial = '';
  let count = 0;
  const test = (line: string): void => {
    pattern.lastIndex = 0;
    if (pattern.test(line)) count++;
  };
  return (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) test(line);
    // A line without its newline yet may already match (a prompt, a last line).
    if (partial !== '') {
      pattern.lastIndex = 0;
      if (pattern.test(partial)) {
        count++;
        partial = '';
      }
    }
    return count;
  };
}

/**
 * The `awaitLogMatch` of readiness checks: follows the container's output from its start and
 * resolves at the `times`-th matching line; rejects when the output ends first (the container stopped).
 */
export function logMatcher(engine: Engine): (container: string, pattern: RegExp, times: number, signal: AbortSignal) => Promise<void> {
  return async (container, pattern, times, signal) => {
    const details = await engine.containers.inspect(container);
    const follow = new AbortController();
    const stop = (): void => follow.abort();
    signal.addEventListener('abort', stop, { once: true });
    const count = lineMatchCounter(pattern);
    let matched = false;
    try {
      await engine.containers.logs(container, { follow: true, timestamps: false, tty: details.tty, signal: follow.signal }, (_stream, data) => {
        if (!matched && count(data.toString('utf8')) >= times) {
          matched = true;
          follow.abort();
        }
      });
    } catch (error) {
      if (!matched && !signal.aborted) throw error;
    } finally {
      signal.removeEventListener('abort', stop);
    }
    if (matched) return;
    if (signal.aborted) throw new Error('timed out');
    const after = await engine.containers.inspect(container).catch(() => undefined);
    throw new Error(after === undefined ? 'the container is gone' : `its output ended (${after.state}, exit code ${after.exitCode}) before the pattern matched`);
  };
}
