import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parsePortSpec } from '../../config/canonical-ports.js';
import { parseVolumeSpec } from '../../config/canonical-volumes.js';
import { parseDotenv } from '../../config/dotenv.js';
import { splitShellWords } from '../../config/shell-split.js';
import { ExitCode, UsageError } from '../../errors.js';
import { splitKeyValue } from '../../model/key-value.js';
import { noSuchService } from '../../reconcile/known-services.js';
import { runOneoff, type OneoffOverrides } from '../../reconcile/oneoff-run.js';
import type { Project } from '../../model/project.js';
import type { CommandContext, CommandDefinition } from '../command.js';
import { resolveEnvFlags } from '../env-flags.js';
import { flagBoolean, flagList, flagOrEnvBoolean, flagString } from '../flag-values.js';
import { IMAGE_FLAGS, QUIET_BUILD_FLAG, QUIET_PULL_FLAG, imageOptions, withQuietImages } from '../image-flags.js';
import { envBool } from '../../config/env-bool.js';
import { silentSink } from '../../model/events.js';
import { loadForCommand } from '../load-project.js';
import { bridgeTerminal } from '../stdio-bridge.js';

function parseWith<T>(what: string, value: string, parse: (v: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    throw new UsageError(`invalid ${what} "${value}": ${(error as Error).message}`);
  }
}

async function envFromFiles(files: readonly string[], cwd: string, env: CommandContext['env']): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of files) {
    const path = resolve(cwd, file);
    const text = await readFile(path, 'utf8').catch(() => {
      throw new UsageError(`--env-from-file: cannot read ${path}`);
    });
    for (const [k, v] of parseDotenv(text, { file: path, lookup: (name) => env[name] })) out[k] = v;
  }
  return out;
}

/** What the flags change in the service for this one-off run. */
async function oneoffOverrides(context: CommandContext, project: Project, command: readonly string[]): Promise<OneoffOverrides> {
  const { flags } = context;
  const entrypoint = flagString(flags, 'entrypoint');
  const fileEnv = await envFromFiles(flagList(flags, 'env-from-file'), context.cwd, context.env);
  const cliEnv = Object.fromEntries(resolveEnvFlags(flagList(flags, 'env'), { ...context.env, ...project.environment })
    .map((pair) => splitKeyValue(pair)).map(({ key, value }) => [key, value ?? '']));
  const labels = Object.fromEntries(flagList(flags, 'label').map((l) => splitKeyValue(l)).map(({ key, value }) => [key, value ?? '']));
  const user = flagString(flags, 'user');
  const workdir = flagString(flags, 'workdir');
  return {
    ...(command.length > 0 ? { command } : {}),
    ...(entrypoint === undefined ? {} : { entrypoint: splitShellWords(entrypoint) }),
    env: { ...fileEnv, ...cliEnv },
    labels,
    ...(user === undefined ? {} : { user }),
    ...(workdir === undefined ? {} : { workingDir: workdir }),
    ports: flagBoolean(flags, 'service-ports') ? 'service' : flagList(flags, 'publish').flatMap((p) => parseWith('--publish', p, parsePortSpec)),
    volumes: flagList(flags, 'volume').map((v) => parseWith('--volume', v, parseVolumeSpec)),
    capAdd: flagList(flags, 'cap-add'),
    capDrop: flagList(flags, 'cap-drop'),
  };
}

export const runCommand: CommandDefinition = {
  name: 'run',
  usage: 'SERVICE [COMMAND [ARGS...]]',
  stopAtFirstPositional: true,
  flags: [
    { name: 'detach', short: 'd', type: 'boolean', description: 'Run in the background and print the container name' },
    { name: 'rm', type: 'boolean', description: 'Remove the container when it exits' },
    { name: 'no-tty', short: 'T', type: 'boolean', aliases: ['no-TTY'], description: 'No pseudo-terminal (the default when stdin or stdout is not a terminal)' },
    { name: 'tty', short: 't', type: 'boolean', description: 'Allocate a pseudo-terminal', hidden: true },
    { name: 'interactive', short: 'i', type: 'boolean', description: 'Keep stdin open (the default; -i=false closes it)', default: true },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'No progress output (pulls, builds, dependencies)' },
    QUIET_PULL_FLAG,
    QUIET_BUILD_FLAG,
    ...IMAGE_FLAGS.filter((f) => f.name !== 'no-build'),
    { name: 'cap-add', type: 'string', repeat: true, valueName: 'CAP', description: 'Add a Linux capability' },
    { name: 'cap-drop', type: 'string', repeat: true, valueName: 'CAP', description: 'Drop a Linux capability' },
    { name: 'remove-orphans', type: 'boolean', description: 'Remove containers of services no longer in the files (when starting dependencies)' },
    { name: 'env', short: 'e', type: 'string', repeat: true, valueName: 'KEY[=VALUE]', description: 'Set a variable (a bare KEY takes it from the environment)' },
    { name: 'env-from-file', type: 'string', repeat: true, valueName: 'FILE', description: 'Set variables from a .env-style file' },
    { name: 'user', short: 'u', type: 'string', valueName: 'USER', description: 'Run as this user' },
    { name: 'workdir', short: 'w', type: 'string', valueName: 'DIR', description: 'Working directory inside the container' },
    { name: 'entrypoint', type: 'string', valueName: 'CMD', description: 'Override the entrypoint (and drop the service\'s command)' },
    { name: 'name', type: 'string', valueName: 'NAME', description: 'Container name (default: <project>-<service>-run-<id>)' },
    { name: 'publish', short: 'p', type: 'string', repeat: true, valueName: 'PORTS', description: 'Publish a port (no ports are published otherwise)' },
    { name: 'service-ports', short: 'P', type: 'boolean', description: 'Publish the service\'s own ports' },
    { name: 'volume', short: 'v', type: 'string', repeat: true, aliases: ['volumes'], valueName: 'VOLUME', description: 'Mount a volume or bind (short syntax)' },
    { name: 'label', short: 'l', type: 'string', repeat: true, aliases: ['labels'], valueName: 'KEY=VALUE', description: 'Add a label' },
    { name: 'use-aliases', type: 'boolean', description: 'Join the networks under the service\'s name and aliases too' },
    { name: 'no-deps', type: 'boolean', description: 'Do not start the services this one depends on' },
  ],
  async run(outer) {
    const quiet = flagBoolean(outer.flags, 'quiet');
    const context = quiet ? { ...outer, ui: { ...outer.ui, events: { ...silentSink, warn: (m: string) => outer.ui.warn(m) } } } : withQuietImages(outer);
    const images = imageOptions(context.flags);
    const [serviceName, ...command] = context.args;
    if (serviceName === undefined) throw new UsageError('run needs a service', 'tscompose run SERVICE [COMMAND [ARGS...]]');
    const project = await loadForCommand(context, [serviceName]);
    if (!Object.hasOwn(project.services, serviceName)) throw noSuchService(project, serviceName);
    const detach = flagBoolean(context.flags, 'detach');
    const name = flagString(context.flags, 'name');
    const { terminal } = context;
    const tty = !detach && !flagBoolean(context.flags, 'no-tty') &&
      (flagBoolean(context.flags, 'tty') || (terminal.stdinIsTTY && terminal.stdoutIsTTY));
    const stdin = context.flags['interactive'] !== false;
    const overrides = await oneoffOverrides(context, project, command);
    const engine = await context.engine();
    const result = await runOneoff(engine, project, serviceName, {
      sink: context.ui.events,
      signal: context.signal,
      concurrency: context.global.parallel,
      overrides,
      images,
      ...(flagBoolean(context.flags, 'no-deps') ? {} : {
        dependencies: {
          removeOrphans: flagOrEnvBoolean(context.flags, 'remove-orphans', context.env, 'COMPOSE_REMOVE_ORPHANS'),
          ignoreOrphans: envBool(context.env, 'COMPOSE_IGNORE_ORPHANS'),
        },
      }),
      ...(name === undefined ? {} : { name }),
      useAliases: flagBoolean(context.flags, 'use-aliases'),
      tty,
      stdin,
      remove: flagBoolean(context.flags, 'rm'),
      connect: detach ? 'detach' : (io) => bridgeTerminal(terminal, io.open, { tty, stdin, resize: io.resize, connected: io.start }),
    });
    if (result.kind === 'detached') {
      context.ui.out(result.name);
      return ExitCode.ok;
    }
    return result.exitCode;
  },
};
