import { ExitCode, RuntimeError, UsageError } from '../../errors.js';
import { judgeStopped } from '../../reconcile/container-judges.js';
import { followContainers } from '../../reconcile/follow-containers.js';
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
    // Each exit code is printed as its container stops; the last one printed is the answer.
    let last: number = ExitCode.ok;
    const { outcome } = await followContainers(engine, containers.map((c) => c.name), judgeStopped, {
      until: downProject ? 'any' : 'all',
      signal: context.signal,
      onVerdict: (_name, verdict, details) => {
        if (verdict.kind !== 'met' || details === undefined) return;
        context.ui.out(String(details.exitCode));
        last = details.exitCode;
      },
    });
    if (outcome === 'aborted') throw new RuntimeError('interrupted while waiting for the containers');
    if (outcome === 'failed') throw new RuntimeError(`cannot wait for ${context.args.join(', ')}: a container went away`);
    if (downProject) {
      await takeDown(engine, name, project, {
        removeVolumes: false, removeOrphans: false, timeout: undefined, removeImages: 'none', sink: context.ui.events, signal: context.signal, concurrency: context.global.parallel,
      });
    }
    return last;
  },
};
