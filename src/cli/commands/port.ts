import { ExitCode, RuntimeError, UsageError } from '../../errors.js';
import type { CommandDefinition } from '../command.js';
import { flagChoice, flagNumber } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';
import { checkServices } from '../check-services.js';
import { pickServiceContainer } from '../../reconcile/find-containers.js';

export const portCommand: CommandDefinition = {
  name: 'port',
  usage: 'SERVICE PRIVATE_PORT',
  flags: [
    { name: 'protocol', type: 'string', valueName: 'PROTO', description: 'tcp, udp or sctp', default: 'tcp' },
    { name: 'index', type: 'number', valueName: 'N', description: 'Which replica (default: the first)' },
  ],
  async run(context) {
    const [service, port] = context.args;
    if (service === undefined || port === undefined || !/^\d+$/.test(port)) {
      throw new UsageError('port needs a service and a port number', 'tscompose port SERVICE PRIVATE_PORT, e.g. tscompose port web 80');
    }
    const protocol = flagChoice(context.flags, 'protocol', ['tcp', 'udp', 'sctp'] as const, 'tcp');
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, [service]);
    const engine = await context.engine();
    const container = await pickServiceContainer(engine, name, service, flagNumber(context.flags, 'index'));
    const details = await engine.containers.inspect(container.id);
    const bindings = details.ports[`${port}/${protocol}`] ?? [];
    const first = bindings[0];
    if (first === undefined) throw new RuntimeError(`no port ${port}/${protocol} published for ${container.name}`);
    context.ui.out(`${first.hostIp === '' ? '0.0.0.0' : first.hostIp}:${first.hostPort}`);
    return ExitCode.ok;
  },
};
