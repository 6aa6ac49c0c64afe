import { ExitCode, UsageError, isTscomposeError } from '../errors.js';
import type { EngineTarget } from '../engine/docker-host.js';
import type { EngineProvider } from '../engine/engine.js';
import type { HostProbe } from '../engine/host-probe.js';
import { closestMatch } from '../model/suggest.js';
import type { Renderer } from '../ui/renderer.js';
import type { CommandContext, FlagValue, GlobalOptions, ParsedFlags } from './command.js';
import { GLOBAL_FLAGS, VERSION_FLAG, resolveGlobalOptions } from './global-flags.js';
import { commandHelp, rootHelp } from './help.js';
import { parseArgs } from './parse-args.js';
import type { ForceStop, Terminal } from './terminal.js';
import { COMMANDS, findCommand } from './registry.js';

export interface CliEnvironment {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly signal: AbortSignal;
  readonly force: ForceStop;
  readonly terminal: Terminal;
  /** The engine chosen by the global --context / --host flags (or, without them, by the environment). */
  readonly engine: (target: EngineTarget) => EngineProvider;
  readonly probe: HostProbe;
  /** Built once the global flags are known (they choose the progress mode and colours). */
  readonly createRenderer: (global: GlobalOptions) => Renderer;
  readonly reportError: (error: unknown, global: GlobalOptions | undefined) => void;
  readonly readStdin: () => Promise<string>;
}

/** Parses, dispatches, and turns every failure into an exit code: the single catch. */
export async function runCli(cli: CliEnvironment): Promise<number> {
  let global: GlobalOptions | undefined;
  let renderer: Renderer | undefined;
  try {
    const head = parseArgs(cli.argv, [...GLOBAL_FLAGS, VERSION_FLAG], { stopAtFirstPositional: true });
    global = resolveGlobalOptions(head.flags, cli.env);
    const [name, ...rest] = head.positionals;
    if (name === undefined && head.flags['version'] !== true) {
      renderer = cli.createRenderer(global);
      renderer.out(rootHelp());
      return head.flags['help'] === true ? ExitCode.ok : ExitCode.usage;
    }
    const entry = findCommand(name ?? 'version');
    if (entry === undefined) {
      const guess = closestMatch(name ?? '', COMMANDS.map((c) => c.name));
      throw new UsageError(
        `unknown command "${name}"`,
        guess === undefined ? 'run \'tscompose --help\' for the list of commands' : `did you mean "${guess}"?`,
      );
    }
    const command = await entry.load();
    // The command's flags come first so they win a short letter both use (`logs -f`, `run -p`).
    const parsed = parseArgs(rest, [...command.flags, ...GLOBAL_FLAGS], {
      command: entry.name,
      ...(command.stopAtFirstPositional === true ? { stopAtFirstPositional: true } : {}),
    });
    global = resolveGlobalOptions(mergeGlobalFlags(head.flags, parsed.flags), cli.env);
    renderer = cli.createRenderer(global);
    if (parsed.flags['help'] === true || head.flags['help'] === true) {
      renderer.out(commandHelp(entry, command));
      return ExitCode.ok;
    }
    return await command.run(commandContext(cli, global, renderer, parsed.flags, parsed.positionals));
  } catch (error) {
    await renderer?.close();
    cli.reportError(error, global);
    return isTscomposeError(error) ? error.exitCode : ExitCode.failure;
  } finally {
    await renderer?.close();
  }
}


/** Global flags may come after the command too, as with Docker's CLI; repeatable ones add up. */
function mergeGlobalFlags(before: ParsedFlags, after: ParsedFlags): ParsedFlags {
  const merged: Record<string, FlagValue> = { ...before, ...after };
  for (const key of ['file', 'env-file', 'profile']) {
    const all = [...((before[key] as string[] | undefined) ?? []), ...((after[key] as string[] | undefined) ?? [])];
    if (all.length > 0) merged[key] = all;
  }
  return merged;
}

function commandContext(
  cli: CliEnvironment,
  global: GlobalOptions,
  renderer: Renderer,
  flags: ParsedFlags,
  args: readonly string[],
): CommandContext {
  return {
    global,
    flags,
    args,
    cwd: cli.cwd,
    env: cli.env,
    loadOptions: {
      cwd: cli.cwd,
      env: cli.env,
      files: global.files,
      ...(global.projectName === undefined ? {} : { projectName: global.projectName }),
      ...(global.projectDirectory === undefined ? {} : { projectDirectory: global.projectDirectory }),
      envFiles: global.envFiles,
      profiles: global.profiles,
      compatibility: global.compatibility,
      readStdin: cli.readStdin,
    },
    engine: cli.engine(global.engineTarget),
    probe: cli.probe,
    ui: renderer,
    signal: cli.signal,
    force: cli.force,
    terminal: cli.terminal,
  };
}
