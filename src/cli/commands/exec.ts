import { ExitCode, UsageError } from '../../errors.js';
import type { CommandDefinition } from '../command.js';
import { resolveEnvFlags } from '../env-flags.js';
import { flagBoolean, flagList, flagNumber, flagString } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';
import { bridgeTerminal } from '../stdio-bridge.js';
import { checkServices } from '../check-services.js';
import { pickServiceContainer } from '../../reconcile/find-containers.js';

export const execCommand: CommandDefinition = {
  name: 'exec',
  usage: 'SERVICE COMMAND [ARGS...]',
  stopAtFirstPositional: true,
  flags: [
    { name: 'detach', short: 'd', type: 'boolean', description: 'Run the command in the background' },
    { name: 'no-tty', short: 'T', type: 'boolean', aliases: ['no-TTY'], description: 'No pseudo-terminal (the default when stdin or stdout is not a terminal)' },
    { name: 'env', short: 'e', type: 'string', repeat: true, valueName: 'KEY[=VALUE]', description: 'Set a variable (a bare KEY takes it from the environment)' },
    { name: 'user', short: 'u', type: 'string', valueName: 'USER', description: 'Run as this user' },
    { name: 'workdir', short: 'w', type: 'string', valueName: 'DIR', description: 'Working directory inside the container' },
    { name: 'index', type: 'number', valueName: 'N', description: 'Which replica (default: the lowest-numbered running one)' },
    { name: 'privileged', type: 'boolean', description: 'Extended privileges for the command' },
    { name: 'interactive', short: 'i', type: 'boolean', description: 'Keep stdin open (always on)', hidden: true },
    { name: 'tty', short: 't', type: 'boolean', description: 'Allocate a pseudo-terminal (the default on a terminal)', hidden: true },
  ],
  async run(context) {
    const [service, ...command] = context.args;
    if (service === undefined || command.length === 0) {
      throw new UsageError('exec needs a service and a command', 'tscompose exec SERVICE COMMAND [ARGS...], e.g. tscompose exec web sh');
    }
    const { name: projectName, project } = await loadProjectOrName(context);
    checkServices(project, [service]);
    const detach = flagBoolean(context.flags, 'detach');
    const { terminal } = context;
    const tty = !detach && !flagBoolean(context.flags, 'no-tty') &&
      (flagBoolean(context.flags, 'tty') || (terminal.stdinIsTTY && terminal.stdoutIsTTY));
    const env = resolveEnvFlags(flagList(context.flags, 'env'), { ...context.env, ...project?.environment });
    const user = flagString(context.flags, 'user');
    const workdir = flagString(context.flags, 'workdir');

    const engine = await context.engine();
    const container = await pickServiceContainer(engine, projectName, service, flagNumber(context.flags, 'index'));
    const exec = await engine.exec.create(container.id, {
      command,
      tty,
      attach: !detach,
      ...(env.length === 0 ? {} : { env }),
      ...(user === undefined ? {} : { user }),
      ...(workdir === undefined ? {} : { workingDir: workdir }),
      ...(flagBoolean(context.flags, 'privileged') ? { privileged: true } : {}),
    });
    if (detach) {
      await engine.exec.startDetached(exec);
      return ExitCode.ok;
    }
    await bridgeTerminal(terminal, (onOutput) => engine.exec.start(exec, { tty, stdin: true, onOutput }), {
      tty,
      stdin: true,
      resize: (size) => engine.exec.resize(exec, size),
    });
    return engine.exec.exitCode(exec);
  },
};
