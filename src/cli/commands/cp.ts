import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { ExitCode, UsageError } from '../../errors.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagNumber } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';
import { checkServices } from '../check-services.js';
import { listServiceContainers, pickServiceContainer } from '../../reconcile/find-containers.js';

/** `web:/etc/x` is a container path; anything else is a host path. */
function splitLocation(text: string): { service: string; path: string } | undefined {
  const match = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*):(.*)$/.exec(text);
  if (match === null) return undefined;
  return { service: match[1] as string, path: match[2] === '' ? '.' : (match[2] as string) };
}

const DIRECTORY_BIT = 2 ** 31;

export const cpCommand: CommandDefinition = {
  name: 'cp',
  usage: 'SERVICE:SRC_PATH DEST_PATH|- | SRC_PATH|- SERVICE:DEST_PATH',
  flags: [
    { name: 'archive', short: 'a', type: 'boolean', description: 'Keep owners (uid and gid)' },
    { name: 'follow-link', short: 'L', type: 'boolean', description: 'Follow a symbolic link given as the source' },
    { name: 'index', type: 'number', valueName: 'N', description: 'Which replica (default: the lowest-numbered one)' },
    { name: 'all', type: 'boolean', description: 'Copy to every container of the service (host to container only)' },
  ],
  async run(context) {
    const [from, to] = context.args;
    if (from === undefined || to === undefined || context.args.length !== 2) {
      throw new UsageError('cp needs a source and a destination', 'tscompose cp web:/etc/hosts ./hosts, or tscompose cp ./conf web:/etc/conf');
    }
    const source = splitLocation(from);
    const target = splitLocation(to);
    if ((source === undefined) === (target === undefined)) {
      throw new UsageError('exactly one of the two paths must name a service, as SERVICE:PATH', 'e.g. tscompose cp web:/var/log/app.log .');
    }
    const { name: projectName, project } = await loadProjectOrName(context);
    const engine = await context.engine();
    const index = flagNumber(context.flags, 'index');
    const keepOwner = flagBoolean(context.flags, 'archive');
    const followLinks = flagBoolean(context.flags, 'follow-link');

    if (source !== undefined) {
      checkServices(project, [source.service]);
      if (flagBoolean(context.flags, 'all')) throw new UsageError('--all copies to containers only', 'drop --all, or use --index');
      const container = await pickServiceContainer(engine, projectName, source.service, index, { running: false });
      if (to === '-') {
        // As docker cp: the engine's tar of the path, as it is, on stdout.
        if (context.terminal.stdoutIsTTY) throw new UsageError('refusing to write a tar stream to a terminal', `redirect stdout: tscompose cp ${from} - > out.tar`);
        for await (const chunk of await engine.containers.getArchive(container.id, source.path)) context.terminal.writeOut(chunk as Buffer);
        return ExitCode.ok;
      }
      const stat = await engine.containers.statPath(container.id, source.path);
      if (stat === undefined) throw new UsageError(`${source.path} does not exist in ${container.name}`);
      const dest = resolve(context.cwd, to);
      // Into an existing folder under the source's own name; otherwise as the destination's name.
      const into = existsSync(dest) && statSync(dest).isDirectory();
      const folder = into ? dest : dirname(dest);
      if (!existsSync(folder)) throw new UsageError(`the folder ${folder} does not exist`);
      const topName = into ? basename(source.path.replace(/\/+$/, '')) || stat.name : basename(dest);
      await engine.containers.copyFrom(container.id, source.path, folder, topName, { keepOwner });
      return ExitCode.ok;
    }

    const dest = target as { service: string; path: string };
    checkServices(project, [dest.service]);
    if (from === '-') {
      // As docker cp: a tar stream on stdin, extracted into a folder of the container.
      const containers = flagBoolean(context.flags, 'all')
        ? await listServiceContainers(engine, projectName, { services: [dest.service], all: true })
        : [await pickServiceContainer(engine, projectName, dest.service, index, { running: false })];
      const tar = await readStdin(context.terminal);
      for (const container of containers) {
        const stat = await engine.containers.statPath(container.id, dest.path);
        if (stat === undefined || (stat.mode & DIRECTORY_BIT) === 0) {
          throw new UsageError(`destination "${dest.service}:${dest.path}" must be a directory when copying from stdin`);
        }
        const stream = new PassThrough();
        stream.end(tar);
        await engine.containers.putArchive(container.id, dest.path, stream, { noOverwrite: true });
      }
      return ExitCode.ok;
    }
    const hostPath = resolve(context.cwd, from);
    if (!existsSync(hostPath)) throw new UsageError(`${hostPath} does not exist`);
    const containers = flagBoolean(context.flags, 'all')
      ? await listServiceContainers(engine, projectName, { services: [dest.service], all: true })
      : [await pickServiceContainer(engine, projectName, dest.service, index, { running: false })];
    if (containers.length === 0) throw new UsageError(`service "${dest.service}" has no container`, `create it first: tscompose up -d ${dest.service}`);
    for (const container of containers) {
      const stat = await engine.containers.statPath(container.id, dest.path);
      const into = stat !== undefined && (stat.mode & DIRECTORY_BIT) !== 0;
      const folder = into ? dest.path : dirname(dest.path);
      const topName = into ? basename(hostPath) : basename(dest.path);
      await engine.containers.copyTo(container.id, hostPath, folder, topName, { keepOwner, followLinks });
    }
    return ExitCode.ok;
  },
};

/** All of stdin (the tar is sent to every container with --all, so it is read once). */
function readStdin(terminal: { readInput(onData: (data: Buffer) => void, onEnd: () => void): () => void }): Promise<Buffer> {
  return new Promise((resolveRead) => {
    const chunks: Buffer[] = [];
    const stop = terminal.readInput((data) => chunks.push(data), () => {
      stop();
      resolveRead(Buffer.concat(chunks));
    });
  });
}
