import { readinessFromProject, parseWaitForFlag } from '../config/readiness.js';
import { combineReadiness } from '../config/readiness-sources.js';
import type { Engine } from '../engine/engine.js';
import { UsageError } from '../errors.js';
import type { Project } from '../model/project.js';
import type { ReadinessCheck } from '../model/readiness.js';
import { takeDown } from '../reconcile/take-down.js';
import { waitForProjectReady } from '../reconcile/wait-ready.js';
import type { CommandContext, FlagSpec, ParsedFlags } from './command.js';
import { flagBoolean, flagList, flagNumber } from './flag-values.js';

/** --wait, --wait-timeout, --wait-for and --down-on-failure: what they mean and what they do (up, start, test). */
export const WAIT_FLAGS: readonly FlagSpec[] = [
  { name: 'wait', type: 'boolean', description: 'Wait until every service is running (healthy if it has a healthcheck) or completed with exit 0' },
  { name: 'wait-timeout', type: 'number', valueName: 'SECONDS', description: 'Give up waiting after this many seconds (implies --wait)' },
  { name: 'wait-for', type: 'string', repeat: true, valueName: 'SERVICE=CHECK',
    description: 'Also wait for a readiness check: port:PORT, http:PORT/PATH[=STATUS] or log:REGEX (repeatable; implies --wait)' },
  { name: 'down-on-failure', type: 'boolean', description: 'When starting or waiting fails, take the project down (volumes too) before exiting' },
];

export interface WaitChoice {
  readonly wait: boolean;
  readonly timeoutMs: number | undefined;
  /** Readiness checks from --wait-for, beside the files' x-tscompose.ready. */
  readonly waitFor: readonly { readonly service: string; readonly check: ReadinessCheck }[];
  readonly downOnFailure: boolean;
}

export function waitChoice(flags: ParsedFlags): WaitChoice {
  const seconds = flagNumber(flags, 'wait-timeout');
  if (seconds !== undefined && seconds <= 0) throw new UsageError('--wait-timeout must be a positive number of seconds');
  const waitFor = flagList(flags, 'wait-for').map(parseWaitForFlag);
  return {
    wait: flagBoolean(flags, 'wait') || seconds !== undefined || waitFor.length > 0,
    timeoutMs: seconds === undefined ? undefined : seconds * 1000,
    waitFor,
    downOnFailure: flagBoolean(flags, 'down-on-failure'),
  };
}

/**
 * Waits for the containers of `services` (all when empty) after a start: healthchecks and the
 * readiness checks of the files and --wait-for. Reports the ones that failed.
 */
export async function waitForServices(
  context: CommandContext,
  engine: Engine,
  project: Project | undefined,
  projectName: string,
  services: readonly string[],
  choice: WaitChoice,
  mustComplete?: ReadonlySet<string>,
): Promise<void> {
  const known = project === undefined ? choice.waitFor.map((w) => w.service) : Object.keys(project.services);
  const readiness = combineReadiness(project === undefined ? [] : readinessFromProject(project), choice.waitFor, known);
  await waitForProjectReady(engine, projectName, services, {
    sink: context.ui.events,
    signal: context.signal,
    probe: context.probe,
    readiness,
    ...(choice.timeoutMs === undefined ? {} : { timeoutMs: choice.timeoutMs }),
    ...(mustComplete === undefined ? {} : { mustComplete }),
  });
}

/**
 * Runs `action`; when it fails and --down-on-failure was given, takes the project down (volumes
 * included) before passing the failure on. The report was gathered before the teardown.
 */
export async function downOnFailure<T>(
  context: CommandContext,
  choice: WaitChoice,
  target: { readonly engine: () => Promise<Engine>; readonly name: string; readonly project: Project | undefined },
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!choice.downOnFailure || context.global.dryRun) throw error;
    context.ui.warn(`taking project "${target.name}" down after the failure (--down-on-failure)`);
    await takeDown(await target.engine(), target.name, target.project, {
      removeVolumes: true,
      removeOrphans: true,
      timeout: 0,
      removeImages: 'none',
      sink: context.ui.events,
      concurrency: context.global.parallel,
    });
    throw error;
  }
}
