import type { ProgressEvent } from '../model/events.js';
import type { ReadinessCheck } from '../model/readiness.js';

/** How to find and read the project, as the CLI's global flags do. */
export interface LoadStackOptions {
  /** Where discovery starts and relative paths resolve; the process's working directory when absent. */
  readonly cwd?: string;
  /** Compose files in order; discovery (compose.yaml…) when absent. */
  readonly files?: readonly string[];
  readonly projectName?: string;
  /**
   * Add a random suffix to the project name (`ci-3f9a61c2`), so parallel runs never share
   * containers, networks or volumes. A string is the name's base instead of the usual name.
   */
  readonly uniqueName?: boolean | string;
  readonly projectDirectory?: string;
  readonly envFiles?: readonly string[];
  readonly profiles?: readonly string[];
  /**
   * The environment the files are interpolated with, and where DOCKER_HOST is read. Empty when
   * absent, so a test is not changed by whatever its shell exported: pass `process.env` to opt in.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Progress of every step (create, start, wait, ready, stop, remove…), for a log or a UI. */
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly onWarning?: (message: string) => void;
  /**
   * Most engine changes (create, start, stop, remove, pull, build...) in flight at once, as the
   * CLI's --parallel; COMPOSE_PARALLEL_LIMIT of `env` when absent, else 64; 0 or less: no bound.
   */
  readonly parallel?: number;
}

export interface UpOptions {
  /** Only these services and what they depend on; all when absent. */
  readonly services?: readonly string[];
  /**
   * Wait until every container runs (healthy when it has a healthcheck) or completed with exit 0,
   * and every readiness check holds. Default true.
   */
  readonly wait?: boolean;
  /** Give up waiting after this long. */
  readonly timeoutMs?: number;
  /** Readiness checks per service, beside the files' `x-tscompose.ready`. */
  readonly ready?: Readonly<Record<string, readonly ReadinessCheck[]>>;
  /** Build images always, never, or when missing or changed (default). */
  readonly build?: 'auto' | 'always' | 'never';
  /** Take the stack down (volumes too) when starting or waiting fails. Default true. */
  readonly downOnFailure?: boolean;
  readonly signal?: AbortSignal;
}

export interface DownOptions {
  /** Remove the project's volumes too. Default true: a test run should leave nothing behind. */
  readonly volumes?: boolean;
  /** Seconds each container gets to stop before it is killed. Default 0. */
  readonly timeoutSeconds?: number;
}

export interface ContainerInfo {
  readonly name: string;
  readonly service: string;
  /** The replica number; 0 for a one-off container. */
  readonly index: number;
  readonly state: string;
  /** healthy, unhealthy, starting, or none without a healthcheck. */
  readonly health: 'healthy' | 'unhealthy' | 'starting' | 'none';
  /** The engine's words: `Up 3 seconds (healthy)`. */
  readonly status: string;
  readonly oneoff: boolean;
}

export interface HostAddress {
  readonly host: string;
  readonly port: number;
  /** `host:port`, ready for a URL. */
  readonly address: string;
}

export interface PortOptions {
  readonly protocol?: 'tcp' | 'udp' | 'sctp';
  /** Which replica; the lowest-numbered when absent. */
  readonly index?: number;
}

export interface LogOptions {
  /** Only these services; all when absent. */
  readonly services?: readonly string[];
  /** Lines from the end of each container's output. */
  readonly tail?: number;
}

export interface LogLine {
  readonly container: string;
  readonly service: string;
  readonly stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, from the engine. */
  readonly time: string;
  readonly text: string;
}

export interface CommandOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly workingDir?: string;
}

export interface ExecOptions extends CommandOptions {
  /** Which replica; the lowest-numbered running one when absent. */
  readonly index?: number;
}

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}
