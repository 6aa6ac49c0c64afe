import { ExitCode, UsageError } from '../../errors.js';
import { takeDown } from '../../reconcile/take-down.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';
import { checkServices } from '../check-services.js';
import { listServiceContainers } from '../../reconcile/find-containers.js';

export const waitCommand: CommandDefinition = {
  name: 'wait',
  usage: 'SERVICE [SERVICE...]',
  flags: [{ name: 'down-project', type: 'boolean', description: 'Take the whole project down once the first container exits' }],
  async run(context) {
    if (context.args.length === 0) throw new UsageError('wait needs at least one service', 'tscompose wait SERVICE [SERVICE...]');
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, context.args);
    const engine = await context.engine();
    const containers = await listServiceContainers(engine, name, { services: context.args, all: true });
    if (containers.length === 0) throw new UsageError(`no containers for ${context.args.join(', ')}`, 'create them first: tscompose up -d');
    const downProject = flagBoolean(context.flags, 'down-project');
    let last: number = ExitCode.ok;
    const waits = containers.map(async (c) => {
      const code = await engine.containers.wait(c.id, 'not-running', context.signal);
      context.ui.out(String(code));
      last = code;
      return code;
    });
    if (downProject) {
      last = await Promise.race(waits);
      await takeDown(engine, name, project, {
        removeVolumes: false, removeOrphans: false, timeout: undefined, removeImages: 'none', sink: context.ui.events, signal: context.signal,
      });
    } else await Promise.all(waits);
    return last;
  },
};
