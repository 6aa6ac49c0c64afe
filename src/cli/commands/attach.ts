import { UsageError } from '../../errors.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagNumber, flagString } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';
import { checkServices } from '../check-services.js';
import { pickServiceContainer } from '../../reconcile/find-containers.js';
import { bridgeTerminal } from '../stdio-bridge.js';

export const attachCommand: CommandDefinition = {
  name: 'attach',
  usage: 'SERVICE',
  flags: [
    { name: 'index', type: 'number', valueName: 'N', description: 'Which replica (default: the first)' },
    { name: 'no-stdin', type: 'boolean', description: 'Do not send our input' },
    { name: 'detach-keys', type: 'string', valueName: 'KEYS', description: 'Key sequence that detaches, e.g. ctrl-p,ctrl-q (the engine\'s default)' },
    { name: 'sig-proxy', type: 'boolean', description: 'Pass Ctrl-C on to the process (the default)', default: true },
  ],
  async run(context) {
    const [service] = context.args;
    if (service === undefined) throw new UsageError('attach needs a service', 'tscompose attach SERVICE');
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, [service]);
    const engine = await context.engine();
    const container = await pickServiceContainer(engine, name, service, flagNumber(context.flags, 'index'));
    const details = await engine.containers.inspect(container.id);
    const stdin = !flagBoolean(context.flags, 'no-stdin');
    const detachKeys = flagString(context.flags, 'detach-keys');
    // Registered before attaching, so an exit during the session is not missed. The output can end
    // before the process does (the engine closes it when our stdin ends): the exit code is what
    // the process returns, as with `docker attach`.
    const exited = engine.containers.wait(container.id, 'next-exit');
    const forward = (): void => void engine.containers.kill(container.id, 'SIGINT').catch(() => undefined);
    if (!details.tty && context.flags['sig-proxy'] !== false) context.signal.addEventListener('abort', forward, { once: true });
    try {
      await bridgeTerminal(context.terminal, (onOutput) => engine.containers.attach(container.id, {
        tty: details.tty,
        stdin,
        onOutput,
        ...(detachKeys === undefined ? {} : { detachKeys }),
      }), {
        tty: details.tty && context.terminal.stdinIsTTY,
        stdin,
        resize: (size) => engine.containers.resize(container.id, size),
      });
    } finally {
      context.signal.removeEventListener('abort', forward);
    }
    // On a terminal the output ends while the process runs only when the detach keys were typed:
    // leave it running, as docker attach does.
    if (stdin && details.tty && context.terminal.stdinIsTTY && (await engine.containers.inspect(container.id)).running) return 0;
    return await exited;
  },
};
