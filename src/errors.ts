/**
 * Every failure a user can cause or meet is one of these classes. Each carries the message shown
 * to the user, an optional hint on how to fix it, and the process exit code. The CLI has one catch
 * that prints them; anything else that reaches it is a bug (InternalError).
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  invalidProject: 3,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class TscomposeError extends Error {
  abstract readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** A place in a source file, 1-based, as editors show it. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The project's files are wrong: a position and a key path when we have them. */
export class ConfigError extends TscomposeError {
  readonly exitCode = ExitCode.invalidProject;
  readonly position: SourcePosition | undefined;
  readonly keyPath: string | undefined;
  /** The offending source line, for the report. */
  readonly sourceLine: string | undefined;

  constructor(
    message: string,
    details: { position?: SourcePosition; keyPath?: string; hint?: string; sourceLine?: string; cause?: unknown } = {},
  ) {
    super(message, details.hint, { cause: details.cause });
    this.position = details.position;
    this.keyPath = details.keyPath;
    this.sourceLine = details.sourceLine;
  }
}

/** No compose file could be found, or one named on the command line does not exist. */
export class ProjectNotFoundError extends TscomposeError {
  readonly exitCode = ExitCode.invalidProject;
}

/** A loop of dependencies; from the loader it points at the entry that closes the loop. */
export class DependencyCycleError extends ConfigError {
  /** The loop, first name repeated at the end: ['a', 'b', 'a']. */
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[], place: { position?: SourcePosition; keyPath?: string; sourceLine?: string } = {}) {
    super(`dependency cycle between services: ${cycle.join(' -> ')}`, {
      ...place,
      hint: 'remove one of these depends_on (or links, volumes_from, network_mode: service:) entries',
    });
    this.cycle = cycle;
  }
}

export class UsageError extends TscomposeError {
  readonly exitCode = ExitCode.usage;
}

/** The engine answered with an error, or a step against it failed. */
export class EngineError extends TscomposeError {
  readonly exitCode = ExitCode.failure;
  readonly statusCode: number | undefined;

  constructor(message: string, details: { statusCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, details.hint, { cause: details.cause });
    this.statusCode = details.statusCode;
  }
}

/** Nothing answers at the engine's address. */
export class EngineUnavailableError extends EngineError {}

/**
 * The engine cannot start a container because a task of it outlived an engine restart (its
 * containerd bundle folder is still there: moby/moby#50040). Starting it again fails the same way
 * until the engine's containerd restarts; a new container (a new ID) starts.
 */
export class StaleTaskError extends EngineError {}

/** An image build failed: the step that failed and the build's whole output. */
export class BuildError extends EngineError {
  readonly image: string;
  readonly reason: string;
  readonly step: string | undefined;
  readonly output: readonly string[];

  constructor(image: string, reason: string, details: { step?: string; output?: readonly string[]; hint?: string } = {}) {
    const at = details.step === undefined ? '' : ` at "${details.step}"`;
    const output = details.output ?? [];
    const shown = output.length === 0 ? '' : `\n  build output:\n${output.map((l) => `    ${l}`).join('\n')}`;
    super(`build of ${image} failed${at}: ${reason}${shown}`, details.hint === undefined ? {} : { hint: details.hint });
    this.image = image;
    this.reason = reason;
    this.step = details.step;
    this.output = output;
  }
}

/** A registry refused a pull or push: an unknown image, a refused login, no answer. */
export class RegistryError extends EngineError {}

/** A runtime step failed (a dependency never became healthy, a service is not running...). */
export class RuntimeError extends TscomposeError {
  readonly exitCode = ExitCode.failure;
}

export class InterruptedError extends TscomposeError {
  readonly exitCode = ExitCode.interrupted;
}

/** A bug in tscompose: the only error that is printed with its stack. */
export class InternalError extends TscomposeError {
  readonly exitCode = ExitCode.failure;
}

export function isTscomposeError(value: unknown): value is TscomposeError {
  return value instanceof TscomposeError;
}
