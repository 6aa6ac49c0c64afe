import { randomBytes } from 'node:crypto';
import { loadProject, loadProjectName } from '../../config/load.js';
import type { Engine } from '../../engine/engine.js';
import { ExitCode, UsageError } from '../../errors.js';
import { assertEnabledServices } from '../../reconcile/known-services.js';
import { listServiceContainers } from '../../reconcile/find-containers.js';
import { uniqueProjectName } from '../../model/naming.js';
import type { Project } from '../../model/project.js';
import { converge } from '../../reconcile/converge.js';
import { takeDown } from '../../reconcile/take-down.js';
import { outputTo, runOneoff } from '../../reconcile/oneoff-run.js';
import { defaultUpPlanOptions } from '../../reconcile/plan.js';
import { addressEnvironment, readPublishedPorts } from '../../reconcile/published-ports.js';
import { judgeReadiness } from '../../reconcile/container-judges.js';
import type { CommandContext, CommandDefinition } from '../command.js';
import { flagBoolean, flagNumber, flagString } from '../flag-values.js';
import { runHostCommand } from '../host-command.js';
import { IMAGE_FLAGS, imageOptions } from '../image-flags.js';
import { WAIT_FLAGS, waitChoice, waitForServices } from '../wait-flags.js';

/** `-p` or COMPOSE_PROJECT_NAME when given; otherwise the usual name plus a random suffix, so parallel runs never meet. */
async function loadTestProject(context: CommandContext, services: readonly string[]): Promise<Project> {
  const explicit = context.global.projectName ?? context.env['COMPOSE_PROJECT_NAME'];
  const fixed = (explicit !== undefined && explicit !== '') && !flagBoolean(context.flags, 'unique-project');
  const projectName = fixed ? undefined : uniqueProjectName(await loadProjectName(context.loadOptions), randomBytes(4).toString('hex'));
  const { project, warnings } = await loadProject({ ...context.loadOptions, services, ...(projectName === undefined ? {} : { projectName }) });
  for (const warning of warnings) context.ui.warn(warning);
  return project;
}

/** The last lines of the containers that failed, or of every service container when none did. */
async function printServiceLogs(context: CommandContext, engine: Engine, projectName: string, lines: number): Promise<void> {
  const containers = await listServiceContainers(engine, projectName, { all: true });
  const details = await Promise.all(containers.map((c) => engine.containers.inspect(c.id)));
  const failed = details.filter((d) => judgeReadiness(d).kind === 'failed');
  for (const d of failed.length > 0 ? failed : details) {
    const tail = await engine.containers.tailLogs(d.id, lines).catch(() => []);
    context.ui.info(`--- last ${tail.length} log lines of ${d.name} (${d.state}${d.health === 'none' ? '' : `, ${d.health}`}) ---`);
    for (const line of tail) context.ui.info(`${d.name} | ${line}`);
  }
}

export const testCommand: CommandDefinition = {
  name: 'test',
  usage: '[--service SERVICE] [-- COMMAND [ARGS...]]',
  stopAtFirstPositional: true,
  flags: [
    { name: 'service', type: 'string', valueName: 'SERVICE', description: 'Run the tests in a one-off container of this service (its command, or COMMAND)' },
    { name: 'keep', type: 'boolean', description: 'Keep the named volumes when taking the project down' },
    { name: 'unique-project', type: 'boolean', description: 'Add a random suffix to the project name even when -p or COMPOSE_PROJECT_NAME is set' },
    { name: 'log-lines', type: 'number', valueName: 'N', description: 'Log lines shown per service when the tests fail', default: 30 },
    ...WAIT_FLAGS.filter((f) => f.name !== 'wait' && f.name !== 'down-on-failure'),
    ...IMAGE_FLAGS,
  ],
  async run(context) {
    const service = flagString(context.flags, 'service');
    const command = context.args;
    if (service === undefined && command.length === 0) {
      throw new UsageError('test needs a command or a service', 'tscompose test -- npm test, or tscompose test --service tests');
    }
    const wait = waitChoice(context.flags);
    const project = await loadTestProject(context, service === undefined ? [] : [service]);
    if (service !== undefined) assertEnabledServices(project, [service]);
    const stack = Object.keys(project.services).filter((s) => s !== service);
    context.ui.info(`project ${project.name}`);
    const engine = await context.engine();
    context.force.claim();
    const flow = { sink: context.ui.events, signal: context.signal, concurrency: context.global.parallel };
    try {
      if (stack.length > 0) {
        await converge(engine, project, { ...defaultUpPlanOptions, ...imageOptions(context.flags), services: stack, ...flow });
        await waitForServices(context, engine, project, project.name, stack, wait);
      }
      await context.ui.close();
      const code = service === undefined
        ? await runHostCommand(command, {
          cwd: context.cwd,
          env: { ...context.env, ...addressEnvironment(await readPublishedPorts(engine, project.name)), COMPOSE_PROJECT_NAME: project.name },
          terminal: context.terminal,
          signal: context.signal,
        })
        : (await runOneoff(engine, project, service, {
          ...flow,
          overrides: command.length === 0 ? {} : { command },
          tty: false,
          stdin: false,
          remove: true,
          killAfterMs: 5000,
          connect: outputTo((stream, data) => (stream === 'stderr' ? context.terminal.writeErr(data) : context.terminal.writeOut(data))),
        })).exitCode;
      if (code !== ExitCode.ok && !context.signal.aborted) {
        context.ui.info(`the tests exited with code ${code}`);
        await printServiceLogs(context, engine, project.name, flagNumber(context.flags, 'log-lines') ?? 30);
      }
      return code;
    } finally {
      // Not tied to the first Ctrl-C: the teardown is what it asked for. A second one kills at once.
      await takeDown(engine, project.name, project, {
        removeVolumes: !flagBoolean(context.flags, 'keep'),
        removeOrphans: true,
        timeout: context.force.signal.aborted ? 0 : 2,
        removeImages: 'none',
        sink: context.ui.events,
        concurrency: context.global.parallel,
      });
    }
  },
};
