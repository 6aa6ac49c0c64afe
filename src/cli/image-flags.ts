import { UsageError } from '../errors.js';
import type { ImagePlanOptions, PullFlag } from '../reconcile/plan-images.js';
import { quietImageSink } from '../ui/progress-sinks.js';
import type { CommandContext, FlagSpec, ParsedFlags } from './command.js';
import { flagBoolean, flagChoice, flagString } from './flag-values.js';

/** The image flags of `up` (and `create`, `run`): build and pull policy. */
export const IMAGE_FLAGS = [
  { name: 'build', type: 'boolean', description: 'Build images before starting containers' },
  { name: 'no-build', type: 'boolean', description: 'Do not build images, even when their policy says so' },
  { name: 'pull', type: 'string', valueName: 'POLICY', description: 'Pull images: always, missing, never or build (overrides pull_policy)' },
] as const;

export function imageOptions(flags: ParsedFlags): Pick<ImagePlanOptions, 'build' | 'pull'> {
  if (flagBoolean(flags, 'build') && flagBoolean(flags, 'no-build')) {
    throw new UsageError('--build and --no-build cannot be used together');
  }
  const build = flagBoolean(flags, 'build') ? 'always' : flagBoolean(flags, 'no-build') ? 'never' : 'auto';
  const pull = flagString(flags, 'pull') === undefined
    ? undefined
    : flagChoice<PullFlag>(flags, 'pull', ['always', 'missing', 'never', 'build'], 'missing');
  return pull === undefined ? { build } : { build, pull };
}

/** `--build-arg K=V` (repeatable); a bare `K` takes its value from the environment, or is dropped when unset. */
export function parseBuildArgs(values: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq === 0) throw new UsageError(`invalid --build-arg "${value}"`, 'use NAME=VALUE, or NAME to take it from the environment');
    if (eq > 0) out[value.slice(0, eq)] = value.slice(eq + 1);
    else if (env[value] !== undefined) out[value] = env[value] as string;
  }
  return out;
}

/** `--quiet-pull` and `--quiet-build` (up, run; create has only --quiet-pull, as in Compose). */
export const QUIET_PULL_FLAG: FlagSpec = { name: 'quiet-pull', type: 'boolean', description: 'Pull without printing progress' };
export const QUIET_BUILD_FLAG: FlagSpec = { name: 'quiet-build', type: 'boolean', description: 'Build without printing the build\'s output' };

/**
 * `-y/--yes` of up and create: Compose asks before recreating a volume whose configuration changed;
 * tscompose never asks there (it reports the difference instead), so there is nothing to answer.
 * `--y` is the misspelling Compose still accepts.
 */
export const YES_FLAG: FlagSpec = {
  name: 'yes', short: 'y', type: 'boolean', aliases: ['y'],
  description: 'Answer yes to every question (up and create never ask: accepted for Compose\'s scripts)',
};

/** The context with pull and build progress left out, as --quiet-pull / --quiet-build ask. */
export function withQuietImages(context: CommandContext): CommandContext {
  const pull = flagBoolean(context.flags, 'quiet-pull');
  const build = flagBoolean(context.flags, 'quiet-build');
  if (!pull && !build) return context;
  return { ...context, ui: { ...context.ui, events: quietImageSink(context.ui.events, { pull, build }) } };
}
