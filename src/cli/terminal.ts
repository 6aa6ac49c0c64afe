import type { TerminalSize } from '../engine/engine.js';

/**
 * The process's own stdio, handed to the commands that connect it to a container (exec, run, attach).
 * main.ts builds it from process.stdin/stdout; nothing else touches those.
 */
export interface Terminal {
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  /** Starts reading stdin; the returned function stops and releases it. */
  readInput(onData: (data: Buffer) => void, onEnd: () => void): () => void;
  writeOut(data: Uint8Array | string): void;
  writeErr(data: Uint8Array | string): void;
  /** The terminal's size, when stdout is one. */
  size(): TerminalSize | undefined;
  /** Calls `listener` on every window resize; returns the unsubscribe function. */
  onResize(listener: () => void): () => void;
  /** Puts stdin in raw mode; the returned function restores it (safe to call twice). */
  enterRawMode(): () => void;
}

/** The second Ctrl-C: a command that can stop faster (kill instead of stop) claims it. */
export interface ForceStop {
  readonly signal: AbortSignal;
  /** Without a claim, the second Ctrl-C exits at once with 130. */
  claim(): void;
}
