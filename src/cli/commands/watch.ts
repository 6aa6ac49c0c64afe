import { ExitCode } from '../../errors.js';
import { converge } from '../../reconcile/converge.js';
import { defaultUpPlanOptions } from '../../reconcile/plan.js';
import { listServiceContainers } from '../../reconcile/find-containers.js';
import { watchedServices } from '../../watch/rules.js';
import { AttachWatcher } from '../attach-watcher.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean } from '../flag-values.js';
import { loadForCommand } from '../load-project.js';
import { startWatching, watchRules } from '../watch-runner.js';

export const watchCommand: CommandDefinition = {
  name: 'watch',
  usage: '[SERVICE...]',
  flags: [
    { name: 'no-up', type: 'boolean', description: 'Do not build and start the services before watching' },
    { name: 'prune', type: 'boolean', default: true, description: 'Remove the dangling image after a rebuild (--prune=false keeps it)' },
    { name: 'quiet', type: 'boolean', description: 'Hide build output' },
  ],
  async run(context) {
    const project = await loadForCommand(context, context.args);
    const rules = await watchRules(context, project, context.args);
    const engine = await context.engine();
    const sink = flagBoolean(context.flags, 'quiet') ? { emit() {}, warn: (m: string) => context.ui.warn(m) } : context.ui.events;
    if (!flagBoolean(context.flags, 'no-up')) {
      await converge(engine, project, { ...defaultUpPlanOptions, services: context.args, sink, signal: context.signal, concurrency: context.global.parallel });
    }
    await context.ui.close();
    // The output of the watched services, beside the watch lines; followed across restarts and recreates.
    const services = new Set(watchedServices(project, context.args));
    const printer = await context.ui.logPrinter({ prefix: true, color: true });
    const logs = new AttachWatcher(engine, project.name, services, printer, () => undefined);
    logs.watch();
    for (const c of await listServiceContainers(engine, project.name, { services: [...services], all: false })) await logs.attach(c.id);
    const watching = await startWatching(context, engine, project, rules, {
      prune: context.flags['prune'] !== false,
      quiet: flagBoolean(context.flags, 'quiet'),
    });
    try {
      await new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        else context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      return ExitCode.interrupted;
    } finally {
      await watching.close();
      await logs.close();
    }
  },
};
