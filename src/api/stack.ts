import { randomBytes } from 'node:crypto';
import { loadProject, loadProjectName } from '../config/load.js';
import { readinessFromProject } from '../config/readiness.js';
import { combineReadiness } from '../config/readiness-sources.js';
import { createEngineProvider } from '../engine/connect.js';
import type { Engine, EngineProvider } from '../engine/engine.js';
import { hostProbe } from '../engine/host-probe.js';
import { RuntimeError } from '../errors.js';
import type { EventSink } from '../model/events.js';
import { uniqueProjectName } from '../model/naming.js';
import type { Project } from '../model/project.js';
import { converge } from '../reconcile/converge.js';
import { takeDown } from '../reconcile/take-down.js';
import { parallelLimit } from '../config/parallel-limit.js';
import { outputTo, runOneoff } from '../reconcile/oneoff-run.js';
import { defaultUpPlanOptions, targetServices } from '../reconcile/plan.js';
import { findPublishedPort, readPublishedPorts, type PublishedPort } from '../reconcile/published-ports.js';
import { waitForProjectReady } from '../reconcile/wait-ready.js';
import { pickServiceContainer } from '../reconcile/find-containers.js';
import { containerInfo, listProjectContainers, readLogLines } from './container-views.js';
import { execInContainer, outputCollector } from './exec.js';
import type {
  CommandOptions, CommandResult, ContainerInfo, DownOptions, ExecOptions, HostAddress, LoadStackOptions, LogLine, LogOptions, PortOptions, UpOptions,
} from './types.js';

/** A loaded project, not started: bring it up, or take down what an earlier run left. */
export interface Stack {
  readonly name: string;
  /** The canonical model the files describe. */
  readonly project: Project;
  readonly services: readonly string[];
  up(options?: UpOptions): Promise<RunningStack>;
  ps(): Promise<ContainerInfo[]>;
  down(options?: DownOptions): Promise<void>;
}

/** A started project: what a test needs from it, and its teardown. */
export interface RunningStack {
  readonly name: string;
  readonly project: Project;
  ps(): Promise<ContainerInfo[]>;
  /** Where a container port is published on this host (127.0.0.1 when bound to every address). */
  port(service: string, containerPort: number, options?: PortOptions): Promise<HostAddress>;
  /** Every published port of the running service containers. */
  ports(): Promise<readonly PublishedPort[]>;
  /** The services' output, in time order, as text (`container | line`). */
  logs(options?: LogOptions): Promise<string>;
  logLines(options?: LogOptions): Promise<LogLine[]>;
  /** Runs a command in a running service container. */
  exec(service: string, command: readonly string[], options?: ExecOptions): Promise<CommandResult>;
  /** Runs a one-off container of a service (its command when `command` is absent) and removes it. */
  run(service: string, command?: readonly string[], options?: CommandOptions): Promise<CommandResult>;
  down(options?: DownOptions): Promise<void>;
}

interface StackContext {
  readonly project: Project;
  readonly engine: EngineProvider;
  readonly sink: EventSink;
  /** Most steps in flight at once (Infinity: no bound). */
  readonly concurrency: number;
}

function sinkOf(options: LoadStackOptions): EventSink {
  return {
    emit: (event) => options.onProgress?.(event),
    warn: (message) => options.onWarning?.(message),
  };
}

async function takeStackDown(context: StackContext, options: DownOptions): Promise<void> {
  await takeDown(await context.engine(), context.project.name, context.project, {
    removeVolumes: options.volumes ?? true,
    removeOrphans: true,
    timeout: options.timeoutSeconds ?? 0,
    removeImages: 'none',
    sink: context.sink,
    concurrency: context.concurrency,
  });
}

async function psOf(context: StackContext): Promise<ContainerInfo[]> {
  return (await listProjectContainers(await context.engine(), context.project.name, true)).map(containerInfo);
}

async function startStack(context: StackContext, options: UpOptions): Promise<void> {
  const engine = await context.engine();
  const { project } = context;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const services = options.services ?? [];
  await converge(engine, project, {
    ...defaultUpPlanOptions,
    services,
    ...(options.build === undefined ? {} : { build: options.build }),
    sink: context.sink,
    concurrency: context.concurrency,
    ...signal,
  });
  if (options.wait === false) return;
  const extra = Object.entries(options.ready ?? {}).flatMap(([service, checks]) => checks.map((check) => ({ service, check })));
  await waitForProjectReady(engine, project.name, targetServices(project, services, false), {
    sink: context.sink,
    probe: hostProbe,
    readiness: combineReadiness(readinessFromProject(project), extra, Object.keys(project.services)),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...signal,
  });
}

function runningStack(context: StackContext): RunningStack {
  const { project } = context;
  const engine = (): Promise<Engine> => context.engine();
  const logLines = async (options: LogOptions = {}): Promise<LogLine[]> => readLogLines(await engine(), project.name, options);
  return {
    name: project.name,
    project,
    ps: () => psOf(context),
    async port(service, containerPort, options = {}) {
      const found = findPublishedPort(await readPublishedPorts(await engine(), project.name), service, containerPort, options);
      if (found === undefined) {
        throw new RuntimeError(
          `no published port ${containerPort}/${options.protocol ?? 'tcp'} for service "${service}"${options.index === undefined ? '' : ` (index ${options.index})`}`,
          `publish it in the compose file, e.g. ports: ["${containerPort}"] (the engine picks a free host port)`,
        );
      }
      return { host: found.host, port: found.port, address: `${found.host}:${found.port}` };
    },
    ports: async () => readPublishedPorts(await engine(), project.name),
    logLines,
    logs: async (options) => (await logLines(options)).map((l) => `${l.container} | ${l.text}\n`).join(''),
    async exec(service, command, options = {}) {
      const container = await pickServiceContainer(await engine(), project.name, service, options.index);
      return execInContainer(await engine(), container.id, command, options);
    },
    async run(service, command, options = {}) {
      const output = outputCollector();
      const { exitCode } = await runOneoff(await engine(), project, service, {
        sink: context.sink,
        concurrency: context.concurrency,
        overrides: { ...(command === undefined ? {} : { command }), ...options },
        tty: false,
        stdin: false,
        remove: true,
        connect: outputTo(output.onOutput),
      });
      return output.result(exitCode);
    },
    down: (options = {}) => takeStackDown(context, options),
  };
}

/**
 * Loads a project the way the CLI does and returns it as a stack to start. Nothing touches the
 * engine until `up`, `ps` or `down`; each stack has its own engine client.
 */
export async function loadStack(options: LoadStackOptions = {}): Promise<Stack> {
  const env = options.env ?? {};
  const base = {
    cwd: options.cwd ?? process.cwd(),
    env,
    ...(options.files === undefined ? {} : { files: options.files }),
    ...(options.projectName === undefined ? {} : { projectName: options.projectName }),
    ...(options.projectDirectory === undefined ? {} : { projectDirectory: options.projectDirectory }),
    ...(options.envFiles === undefined ? {} : { envFiles: options.envFiles }),
    ...(options.profiles === undefined ? {} : { profiles: options.profiles }),
  };
  const sink = sinkOf(options);
  const unique = options.uniqueName === undefined || options.uniqueName === false
    ? undefined
    : uniqueProjectName(typeof options.uniqueName === 'string' ? options.uniqueName : await loadProjectName(base), randomBytes(4).toString('hex'));
  const { project, warnings } = await loadProject(unique === undefined ? base : { ...base, projectName: unique });
  for (const warning of warnings) sink.warn(warning);
  const context: StackContext = { project, engine: createEngineProvider(env), sink, concurrency: parallelLimit(options.parallel, env) };
  return {
    name: project.name,
    project,
    services: Object.keys(project.services).sort(),
    async up(upOptions = {}) {
      try {
        await startStack(context, upOptions);
      } catch (error) {
        if (upOptions.downOnFailure !== false) await takeStackDown(context, { volumes: true }).catch(() => undefined);
        throw error;
      }
      return runningStack(context);
    },
    ps: () => psOf(context),
    down: (downOptions = {}) => takeStackDown(context, downOptions),
  };
}
