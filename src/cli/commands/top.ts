import { ExitCode } from '../../errors.js';
import { shortContainerName } from '../../model/naming.js';
import { formatTable } from '../../ui/table.js';
import type { CommandDefinition } from '../command.js';
import { loadProjectOrName } from '../load-project.js';
import { checkServices } from '../check-services.js';
import { listServiceContainers } from '../../reconcile/find-containers.js';

export const topCommand: CommandDefinition = {
  name: 'top',
  usage: '[SERVICE...]',
  flags: [],
  async run(context) {
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, context.args);
    const engine = await context.engine();
    const containers = await listServiceContainers(engine, name, { services: context.args, all: false });
    const tops = await Promise.all(containers.map((c) => engine.containers.top(c.id)));
    containers.forEach((c, i) => {
      const top = tops[i];
      if (top === undefined) return;
      context.ui.out(`${shortContainerName(name, c.name)}\n${formatTable([...top.titles], top.processes.map((p) => [...p]))}\n`);
    });
    return ExitCode.ok;
  },
};
