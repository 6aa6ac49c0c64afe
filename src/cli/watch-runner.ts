import type { Engine } from '../engine/engine.js';
import { silentSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import { watchLine } from '../ui/watch-lines.js';
import { enginePort } from '../watch/engine-adapter.js';
import { watchFolders } from '../watch/file-watcher.js';
import { loadWatchRules } from '../watch/load-rules.js';
import { WatchSession } from '../watch/watch-session.js';
import type { CommandContext } from './command.js';

export interface WatchHandle {
  close(): Promise<void>;
}

/**
 * Starts watching the selected services' `develop.watch` paths (all services when none are named):
 * the initial syncs first, then each burst of changes becomes one line and its actions.
 */
export async function startWatching(
  context: CommandContext,
  engine: Engine,
  project: Project,
  services: readonly string[],
  options: { readonly prune: boolean; readonly quiet: boolean },
): Promise<WatchHandle> {
  const rules = await loadWatchRules(project, services, (m) => context.ui.warn(m));
  const sink = options.quiet ? silentSink : context.ui.events;
  const session = new WatchSession({
    rules,
    port: enginePort(engine, project, sink),
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
