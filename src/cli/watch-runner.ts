import type { Engine } from '../engine/engine.js';
import { silentSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import { watchLine } from '../ui/watch-lines.js';
import { enginePort } from '../watch/engine-adapter.js';
import { watchFolders } from '../watch/file-watcher.js';
import { loadWatchRules } from '../watch/load-rules.js';
import type { WatchRule } from '../watch/rules.js';
import { WatchSession } from '../watch/watch-session.js';
import type { CommandContext } from './command.js';

export interface WatchHandle {
  close(): Promise<void>;
}

/** The selected services' checked rules (all services when none are named): before anything starts, so a bad rule changes nothing. */
export function watchRules(context: CommandContext, project: Project, services: readonly string[]): Promise<WatchRule[]> {
  return loadWatchRules(project, services, (m) => context.ui.warn(m));
}

/** Starts watching: the initial syncs first, then each burst of changes becomes one line and its actions. */
export async function startWatching(
  context: CommandContext,
  engine: Engine,
  project: Project,
  rules: readonly WatchRule[],
  options: { readonly prune: boolean; readonly quiet: boolean },
): Promise<WatchHandle> {
  const sink = options.quiet ? silentSink : context.ui.events;
  const session = new WatchSession({
    rules,
    port: enginePort(engine, project, sink, undefined, context.global.parallel),
    prune: options.prune,
    report: (report) => {
      const line = watchLine(report);
      if (line === undefined) return;
      if (line.warning) context.ui.warn(line.text);
      else context.ui.info(line.text);
    },
  });
  await session.initialSync();
  const watcher = await watchFolders(session.watchedPaths(), (paths) => session.changed(paths), (error) => context.ui.warn(`file watcher: ${error.message}`));
  context.ui.info('Watch enabled');
  return {
    async close() {
      await watcher.close();
      session.close();
      context.ui.info('Watch disabled');
    },
  };
}
