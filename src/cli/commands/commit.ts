import { ExitCode, UsageError } from '../../errors.js';
import { pickServiceContainer } from '../../reconcile/find-containers.js';
import type { CommandDefinition } from '../command.js';
import { checkServices } from '../check-services.js';
import { flagBoolean, flagList, flagNumber, flagString } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';

/** Compose's `commit`: an image of a service container's changes, through the engine's commit API. */
export const commitCommand: CommandDefinition = {
  name: 'commit',
  usage: 'SERVICE [REPOSITORY[:TAG]]',
  flags: [
    { name: 'author', short: 'a', type: 'string', valueName: 'NAME', description: 'Author ("Jane Doe <jane@example.com>")' },
    { name: 'change', short: 'c', type: 'string', repeat: true, valueName: 'INSTRUCTION', description: 'Apply a Dockerfile instruction to the image (repeatable)' },
    { name: 'message', short: 'm', type: 'string', valueName: 'TEXT', description: 'Commit message' },
    { name: 'pause', short: 'p', type: 'boolean', description: 'Pause the container while committing (--pause=false does not)', default: true },
    { name: 'index', type: 'number', valueName: 'N', description: 'Which replica (default: the lowest-numbered one)' },
  ],
  async run(context) {
    const [service, reference, ...extra] = context.args;
    if (service === undefined || extra.length > 0) {
      throw new UsageError('commit takes a SERVICE and an optional REPOSITORY[:TAG]', 'tscompose commit web myimage:debug');
    }
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, [service]);
    const engine = await context.engine();
    const container = await pickServiceContainer(engine, name, service, flagNumber(context.flags, 'index'), { running: false });
    if (context.global.dryRun) {
      context.ui.info(`${container.name} Committed (dry run)`);
      return ExitCode.ok;
    }
    const author = flagString(context.flags, 'author');
    const comment = flagString(context.flags, 'message');
    const id = await engine.containers.commit(container.id, {
      ...(reference === undefined ? {} : { reference }),
      ...(author === undefined ? {} : { author }),
      ...(comment === undefined ? {} : { comment }),
      changes: flagList(context.flags, 'change'),
      pause: context.flags['pause'] === undefined ? true : flagBoolean(context.flags, 'pause'),
    });
    // Compose reports it as a progress line (stderr), not as output.
    context.ui.info(`${container.name} Committed as ${id}`);
    return ExitCode.ok;
  },
};
