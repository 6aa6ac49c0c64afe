import { createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ExitCode, UsageError } from '../../errors.js';
import { pickServiceContainer } from '../../reconcile/find-containers.js';
import type { CommandDefinition } from '../command.js';
import { checkServices } from '../check-services.js';
import { flagNumber, flagString } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';

/** Compose's `export`: a service container's filesystem as a tar, to a file (written whole or not at all) or stdout. */
export const exportCommand: CommandDefinition = {
  name: 'export',
  usage: 'SERVICE',
  flags: [
    { name: 'index', type: 'number', valueName: 'N', description: 'Which replica (default: the lowest-numbered one)' },
    { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'Write to this file instead of stdout' },
  ],
  async run(context) {
    const [service] = context.args;
    if (service === undefined) throw new UsageError('export needs a SERVICE', 'tscompose export web -o web.tar');
    const output = flagString(context.flags, 'output');
    if (output === undefined && context.terminal.stdoutIsTTY) {
      throw new UsageError('output option is required when exporting to terminal', 'tscompose export web -o web.tar, or redirect stdout');
    }
    const file = output === undefined ? undefined : resolve(context.cwd, output);
    if (file !== undefined) {
      if (!existsSync(dirname(file))) throw new UsageError(`failed to export container: the folder ${dirname(file)} does not exist`);
      if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`failed to export container: ${file} is a folder`);
    }
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, [service]);
    const engine = await context.engine();
    const container = await pickServiceContainer(engine, name, service, flagNumber(context.flags, 'index'), { running: false });
    const tar = await engine.containers.exportFilesystem(container.id);
    if (file === undefined) {
      for await (const chunk of tar) context.terminal.writeOut(chunk as Buffer);
      return ExitCode.ok;
    }
    const partial = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
    try {
      await pipeline(tar, createWriteStream(partial, { mode: 0o600 }));
      renameSync(partial, file);
    } finally {
      rmSync(partial, { force: true });
    }
    return ExitCode.ok;
  },
};
