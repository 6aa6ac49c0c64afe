import { parallelLimit } from '../config/parallel-limit.js';
import { UsageError } from '../errors.js';
import type { FlagSpec, GlobalOptions, ParsedFlags } from './command.js';

export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'file', short: 'f', type: 'string', repeat: true, valueName: 'FILE', description: 'Compose file (repeatable; - reads stdin)' },
  { name: 'project-name', short: 'p', type: 'string', valueName: 'NAME', description: 'Project name' },
  { name: 'project-directory', type: 'string', valueName: 'DIR', description: 'Project directory (default: the first file\'s folder)' },
  { name: 'env-file', type: 'string', repeat: true, valueName: 'FILE', description: 'Environment file for interpolation (repeatable)' },
  { name: 'profile', type: 'string', repeat: true, valueName: 'NAME', description: 'Enable a profile (repeatable)' },
  { name: 'ansi', type: 'string', valueName: 'WHEN', description: 'Colours and control characters: never, always, auto', default: 'auto' },
  { name: 'progress', type: 'string', valueName: 'MODE', description: 'Progress output: auto, tty, plain, json, quiet', default: 'auto' },
  { name: 'context', short: 'c', type: 'string', valueName: 'NAME', description: 'Docker context to use (overrides DOCKER_HOST, DOCKER_CONTEXT and the current context)' },
  { name: 'host', short: 'H', type: 'string', valueName: 'URL', description: 'Engine address: unix:///path, tcp://host:port or ssh://[user@]host[:port]' },
  { name: 'dry-run', type: 'boolean', description: 'Print what would be done, change nothing' },
  { name: 'parallel', type: 'number', valueName: 'N', description: 'Most engine changes (pull, build, create, start...) in flight at once; -1 for no limit (default: COMPOSE_PARALLEL_LIMIT, else 64)' },
  { name: 'compatibility', type: 'boolean', description: 'Name containers as Compose v1 did: <project>_<service>_<n>' },
  { name: 'all-resources', type: 'boolean', description: 'Create every declared network and volume, even those no service uses' },
  { name: 'no-ansi', type: 'boolean', description: 'Deprecated: --ansi never', hidden: true },
  { name: 'verbose', type: 'boolean', description: 'Accepted for Compose\'s scripts (debug logging there); no extra output', hidden: true },
  { name: 'workdir', type: 'string', valueName: 'DIR', description: 'Deprecated: --project-directory', hidden: true },
  { name: 'help', short: 'h', type: 'boolean', description: 'Show help' },
];

/** `-v`/`--version` before any command: the same as the `version` command. */
export const VERSION_FLAG: FlagSpec = { name: 'version', short: 'v', type: 'boolean', description: 'Show the version', hidden: true };

const ANSI = ['never', 'always', 'auto'] as const;
const PROGRESS = ['auto', 'tty', 'plain', 'json', 'quiet'] as const;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`invalid value "${value}" for --${flag}`, `use one of: ${allowed.join(', ')}`);
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? [...(value as string[])] : [];
}

/** BUILDKIT_PROGRESS (docker build's variable) as a progress mode: rawjson is our json; unknown values are left out. */
function buildkitProgress(raw: string | undefined): string | undefined {
  const value = raw?.trim().toLowerCase();
  if (value === 'rawjson') return 'json';
  return value === 'auto' || value === 'tty' || value === 'plain' || value === 'quiet' ? value : undefined;
}

/** Flags first, then COMPOSE_ANSI / COMPOSE_PROGRESS / NO_COLOR. The loader reads COMPOSE_FILE and friends. */
export function resolveGlobalOptions(flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>): GlobalOptions {
  if (flags['no-ansi'] === true && flags['ansi'] !== undefined) {
    throw new UsageError('--no-ansi and --ansi cannot be used together', 'drop the deprecated --no-ansi');
  }
  if (flags['workdir'] !== undefined && flags['project-directory'] !== undefined) {
    throw new UsageError('--workdir and --project-directory cannot be used together', 'drop the deprecated --workdir');
  }
  const ansiRaw = flags['no-ansi'] === true ? 'never' : (flags['ansi'] as string | undefined) ?? env['COMPOSE_ANSI'] ?? 'auto';
  const progressRaw = (flags['progress'] as string | undefined) ?? env['COMPOSE_PROGRESS'] ?? buildkitProgress(env['BUILDKIT_PROGRESS']) ?? 'auto';
  return {
    files: list(flags['file']),
    projectName: flags['project-name'] as string | undefined,
    projectDirectory: (flags['project-directory'] ?? flags['workdir']) as string | undefined,
    envFiles: list(flags['env-file']),
    profiles: list(flags['profile']).flatMap((p) => p.split(',')).filter((p) => p !== ''),
    ansi: oneOf('ansi', ansiRaw, ANSI),
    progress: oneOf('progress', progressRaw, PROGRESS),
    dryRun: flags['dry-run'] === true,
    allResources: flags['all-resources'] === true,
    parallel: parallelLimit(flags['parallel'], env),
    compatibility: flags['compatibility'] === true,
    engineTarget: {
      ...(typeof flags['context'] === 'string' ? { context: flags['context'] } : {}),
      ...(typeof flags['host'] === 'string' ? { host: flags['host'] } : {}),
    },
  };
}
