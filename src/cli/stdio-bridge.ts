import type { OutputHandler, StdioSession, TerminalSize } from '../engine/engine.js';
import type { Terminal } from './terminal.js';

export interface BridgeOptions {
  readonly tty: boolean;
  /** Forward our stdin to the process. */
  readonly stdin: boolean;
  /** Tells the engine the terminal's size (exec or container resize). */
  readonly resize?: (size: TerminalSize) => Promise<void>;
  /** Called once the connection is up: e.g. start the container now that nothing can be missed. */
  readonly connected?: () => Promise<void>;
}

/**
 * Connects our terminal to a process in a container until its output ends: raw mode and the window
 * size when it is a TTY, stdin forwarded, and the terminal restored on every way out.
 */
export async function bridgeTerminal(
  terminal: Terminal,
  open: (onOutput: OutputHandler) => Promise<StdioSession>,
  options: BridgeOptions,
): Promise<void> {
  const onOutput: OutputHandler = (stream, data) => (stream === 'stderr' ? terminal.writeErr(data) : terminal.writeOut(data));
  const restore = options.tty ? terminal.enterRawMode() : () => {};
  let stopInput = (): void => {};
  let stopResize = (): void => {};
  try {
    const session = await open(onOutput);
    await options.connected?.();
    if (options.tty && options.resize !== undefined) {
      const resize = options.resize;
      const sendSize = (): void => {
        const size = terminal.size();
        if (size !== undefined) resize(size).catch(() => undefined);
      };
      sendSize();
      stopResize = terminal.onResize(sendSize);
    }
    if (options.stdin) stopInput = terminal.readInput((data) => session.write(data), () => session.endInput());
    else session.endInput();
    await session.done;
  } finally {
    stopResize();
    stopInput();
    restore();
  }
}
