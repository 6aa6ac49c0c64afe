import type { EngineProvider } from '../engine/engine.js';
import type { EngineTarget } from '../engine/docker-host.js';
import type { HostProbe } from '../engine/host-probe.js';
import type { LoadOptions } from '../config/load.js';
import type { Renderer } from '../ui/renderer.js';
import type { ForceStop, Terminal } from './terminal.js';

/** A flag as the parser knows it. `repeat` collects every occurrence into an array. */
export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly type: 'boolean' | 'string' | 'number';
  readonly repeat?: boolean;
  readonly description: string;
  readonly valueName?: string;
  readonly default?: string | number | boolean;
  readonly hidden?: boolean;
  /** Other spellings Compose accepts for this flag (`--no-TTY` for `--no-tty`); never shown in help. */
  readonly aliases?: readonly string[];
}

export type FlagValue = string | number | boolean | readonly string[] | undefined;
export type ParsedFlags = Readonly<Record<string, FlagValue>>;

/** The global flags, already merged with their environment variables. */
export interface GlobalOptions {
  readonly files: readonly string[];
  readonly projectName: string | undefined;
  readonly projectDirectory: string | undefined;
  readonly envFiles: readonly string[];
  readonly profiles: readonly string[];
  readonly ansi: 'never' | 'always' | 'auto';
  readonly progress: 'auto' | 'tty' | 'plain' | 'json' | 'quiet';
  readonly dryRun: boolean;
  /** --all-resources: create declared networks and volumes that no service uses. */
  readonly allResources: boolean;
  /** --parallel / COMPOSE_PARALLEL_LIMIT: most engine-changing steps in flight at once (Infinity: no bound). */
  readonly parallel: number;
  /** --compatibility: Compose v1's `_` in container names. */
  readonly compatibility: boolean;
  /** --context / --host: which engine, when not from DOCKER_HOST, DOCKER_CONTEXT or the Docker config. */
  readonly engineTarget: EngineTarget;
}

/** What a command gets: no process globals, everything passed in. */
export interface CommandContext {
  readonly global: GlobalOptions;
  readonly flags: ParsedFlags;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Load options built from the globals, for commands that read the project. */
  readonly loadOptions: LoadOptions;
  readonly engine: EngineProvider;
  /** Probes of published ports from this host, for readiness checks. */
  readonly probe: HostProbe;
  readonly ui: Renderer;
  /** Fired on the first Ctrl-C (or SIGTERM). */
  readonly signal: AbortSignal;
  /** The second Ctrl-C, for commands that claim it. */
  readonly force: ForceStop;
  /** Our stdio, for commands that connect it to a container. */
  readonly terminal: Terminal;
}

export interface CommandDefinition {
  readonly name: string;
  /** `[SERVICE...]`, `SERVICE COMMAND [ARGS...]`. */
  readonly usage?: string;
  readonly flags: readonly FlagSpec[];
  /** Stop parsing flags at the first positional (exec, run: the rest is the command). */
  readonly stopAtFirstPositional?: boolean;
  /** Returns the exit code. */
  run(context: CommandContext): Promise<number>;
}
