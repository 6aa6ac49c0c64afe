import { ExitCode, UsageError } from '../../errors.js';
import { shortContainerName } from '../../model/naming.js';
import type { Project } from '../../model/project.js';
import { converge } from '../../reconcile/converge.js';
import { targetServices, type UpPlanOptions } from '../../reconcile/plan.js';
import { AttachWatcher, type ContainerExit } from '../attach-watcher.js';
import type { CommandContext } from '../command.js';
import { flagBoolean, flagList, flagString } from '../flag-values.js';
import { listServiceContainers } from '../../reconcile/find-containers.js';
import { stopServices } from '../../reconcile/stop-services.js';

/** The flags that only make sense when `up` stays attached. */
export const ATTACH_FLAGS = [
  { name: 'abort-on-container-exit', type: 'boolean', description: 'Stop everything when any attached container exits; its exit code is ours' },
  { name: 'abort-on-container-failure', type: 'boolean', description: 'Stop everything when an attached container exits with a non-zero code' },
  { name: 'exit-code-from', type: 'string', valueName: 'SERVICE', description: 'Return this service\'s exit code (implies --abort-on-container-exit)' },
  { name: 'attach', type: 'string', repeat: true, valueName: 'SERVICE', description: 'Show only these services\' output' },
  { name: 'no-attach', type: 'string', repeat: true, valueName: 'SERVICE', description: 'Do not show these services\' output' },
  { name: 'attach-dependencies', type: 'boolean', description: 'Show the output of dependencies too' },
  { name: 'timestamps', type: 'boolean', description: 'Show the time each line was received' },
  { name: 'no-log-prefix', type: 'boolean', description: 'Do not print the container name before each line' },
  { name: 'no-color', type: 'boolean', description: 'Plain prefixes, no colours' },
  { name: 'watch', short: 'w', type: 'boolean', description: 'Watch the develop.watch paths and sync, restart or rebuild on change' },
] as const;

export function checkDetachConflicts(context: CommandContext): void {
  const used = ATTACH_FLAGS.filter((f) => {
    const v = context.flags[f.name];
    return v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);
  });
  if (used.length > 0) {
    throw new UsageError(`-d cannot be combined with ${used.map((f) => `--${f.name}`).join(', ')}`, 'drop -d to stay attached, or drop those flags');
  }
}

/** Which services' output is shown: Compose's rules, with --attach overriding them all. */
export function attachedServices(project: Project, context: CommandContext, named: readonly string[]): Set<string> {
  const explicit = flagList(context.flags, 'attach');
  if (explicit.length > 0) return new Set(explicit);
  const base = flagBoolean(context.flags, 'attach-dependencies')
    ? targetServices(project, named, false)
    : named.length === 0 ? Object.keys(project.services) : [...named];
  const excluded = new Set(flagList(context.flags, 'no-attach'));
  return new Set(base.filter((s) => !excluded.has(s) && project.services[s]?.attach !== false));
}

type Outcome = { readonly kind: 'done' } | { readonly kind: 'interrupted' } | { readonly kind: 'abort'; readonly exit: ContainerExit };

/**
 * `up` without -d: attach to each container before it starts, stream the output until every
 * attached container has exited, and stop gracefully on Ctrl-C (kill on the second).
 */
export async function upAttached(context: CommandContext, project: Project, options: UpPlanOptions): Promise<number> {
  const exitCodeFrom = flagString(context.flags, 'exit-code-from');
  const abortOnFailure = flagBoolean(context.flags, 'abort-on-container-failure');
  const abortOnExit = flagBoolean(context.flags, 'abort-on-container-exit') || exitCodeFrom !== undefined;
  if (exitCodeFrom !== undefined && !Object.hasOwn(project.services, exitCodeFrom)) {
    throw new UsageError(`--exit-code-from: no such service: ${exitCodeFrom}`, `known services: ${Object.keys(project.services).sort().join(', ')}`);
  }
  if (abortOnExit && abortOnFailure) {
    throw new UsageError('--abort-on-container-exit and --abort-on-container-failure cannot be used together');
  }
  // Loaded only with --watch: the file watcher is a native module that plain `up` never needs.
  const watchRunner = flagBoolean(context.flags, 'watch') ? await import('../watch-runner.js') : undefined;
  const rules = watchRunner === undefined ? undefined : await watchRunner.watchRules(context, project, options.services);
  const services = attachedServices(project, context, options.services);
  const engine = await context.engine();
  const printer = await context.ui.logPrinter({
    prefix: !flagBoolean(context.flags, 'no-log-prefix'),
    color: !flagBoolean(context.flags, 'no-color'),
    receiveTimestamps: flagBoolean(context.flags, 'timestamps'),
  });

  let settle!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
  const watcher = new AttachWatcher(engine, project.name, services, printer, (exit) => {
    if (abortOnExit || (abortOnFailure && exit.code !== 0)) settle({ kind: 'abort', exit });
  });
  void watcher.idle.then(() => settle({ kind: 'done' }));
  const onInterrupt = (): void => settle({ kind: 'interrupted' });
  context.signal.addEventListener('abort', onInterrupt, { once: true });
  context.force.claim();
  watcher.watch();
  let watching: { close(): Promise<void> } | undefined;

  try {
    await converge(engine, project, {
      ...options,
      sink: context.ui.events,
      signal: context.signal,
      concurrency: context.global.parallel,
      onPlan: async (plan) => {
        const starting = plan.nodes
          .filter((n) => n.operation.type === 'start-container' && services.has(n.operation.service))
          .map((n) => n.display);
        const running = (await listServiceContainers(engine, project.name, { services: [...services], all: false })).map((c) => c.name);
        const names = [...new Set([...running, ...starting])].map((n) => shortContainerName(project.name, n)).sort();
        printer.register(names);
        if (names.length > 0) context.ui.out(`Attaching to ${names.join(', ')}`);
      },
      beforeStart: (container) => watcher.attach(container),
    });
    // Containers that were already running and up to date: attach to them as they are.
    for (const c of await listServiceContainers(engine, project.name, { services: [...services], all: false })) {
      await watcher.attach(c.id);
    }
    watcher.attachedAll();
    if (watchRunner !== undefined && rules !== undefined) {
      watching = await watchRunner.startWatching(context, engine, project, rules, { prune: true, quiet: false });
    }

    const result = await outcome;
    await watching?.close();
    watching = undefined;
    if (result.kind === 'done') return ExitCode.ok;
    if (result.kind === 'interrupted') context.ui.info('Gracefully stopping... (press Ctrl+C again to force)');
    else context.ui.info(`Aborting on container exit (${result.exit.name} exited with code ${result.exit.code})...`);
    // Ctrl-C and the abort flags stop the named services (all when none); implicit dependencies keep running.
    await stopServices(engine, project, options.services, { timeout: options.timeout, sink: context.ui.events, force: context.force.signal, concurrency: context.global.parallel });
    await Promise.race([watcher.idle, new Promise((resolve) => setTimeout(resolve, 2000))]);
    if (result.kind === 'interrupted') return ExitCode.interrupted;
    if (exitCodeFrom === undefined) return result.exit.code;
    if (result.exit.service === exitCodeFrom) return result.exit.code;
    const from = (await listServiceContainers(engine, project.name, { services: [exitCodeFrom], all: true }))[0];
    return from === undefined ? ExitCode.failure : (await engine.containers.inspect(from.id)).exitCode;
  } finally {
    await watching?.close();
    context.signal.removeEventListener('abort', onInterrupt);
    await watcher.close();
  }
}
