import { randomBytes } from 'node:crypto';
import type { Engine, OutputHandler, StdioSession, TerminalSize } from '../engine/engine.js';
import type { EventSink } from '../model/events.js';
import type { PortMapping, Project, Service, ServiceVolume } from '../model/project.js';
import { converge } from './converge.js';
import { listServiceContainers } from './find-containers.js';
import { noSuchService } from './known-services.js';
import { filesToCopy } from './hooks.js';
import { oneoffContainerSpec } from './oneoff-spec.js';
import { defaultUpPlanOptions } from './plan.js';
import type { ImagePlanOptions } from './plan-images.js';
import { prepareInfrastructure } from './prepare-infrastructure.js';
import { waitForCondition } from './wait.js';

/** What the one-off container changes from its service. Each absent field keeps the service's own. */
export interface OneoffOverrides {
  /** Replaces the service's command. */
  readonly command?: readonly string[];
  /** Replaces the entrypoint, and drops the service's command unless `command` is given. */
  readonly entrypoint?: readonly string[];
  /** Added to the service's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Added to the service's labels. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly workingDir?: string;
  /** Published ports: `service` for the service's own; none when absent (Compose publishes none). */
  readonly ports?: 'service' | readonly PortMapping[];
  /** Mounted beside the service's volumes. */
  readonly volumes?: readonly ServiceVolume[];
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
}

/** The stdio of the one-off container, handed to whoever connects to it (a terminal, a collector). */
export interface OneoffIo {
  /** Attaches to the container's stdio (as `tty` and `stdin` say); nothing is missed, it has not started. */
  open(onOutput: OutputHandler): Promise<StdioSession>;
  start(): Promise<void>;
  resize(size: TerminalSize): Promise<void>;
}

/** Connects to the container, starts it and resolves when its output ends. */
export type OneoffConnect = (io: OneoffIo) => Promise<void>;

export interface OneoffOptions {
  readonly sink: EventSink;
  /** Aborting (without a TTY) sends SIGINT to the container, then SIGKILL after `killAfterMs` when given. */
  readonly signal?: AbortSignal;
  readonly killAfterMs?: number;
  /** Most steps in flight at once while the dependencies and infrastructure are made. */
  readonly concurrency?: number;
  readonly overrides?: OneoffOverrides;
  readonly images?: Pick<ImagePlanOptions, 'build' | 'pull'>;
  /** Start the services it depends on and wait for their conditions first (`run` without --no-deps). */
  readonly dependencies?: { readonly removeOrphans: boolean; readonly ignoreOrphans: boolean };
  /** The container's name; `<project>-<service>-run-<id>` when absent. */
  readonly name?: string;
  /** Join the networks under the service's name and aliases too. */
  readonly useAliases?: boolean;
  readonly tty: boolean;
  /** Keep the container's stdin open for the connection's input. */
  readonly stdin: boolean;
  /** Remove the container once it exits (`--rm`). */
  readonly remove: boolean;
  /** `detach`: start it and return its name; otherwise connect, and return its exit code. */
  readonly connect: OneoffConnect | 'detach';
}

export type OneoffResult =
  | { readonly kind: 'detached'; readonly name: string }
  | { readonly kind: 'exited'; readonly name: string; readonly exitCode: number };

/** The service as the one-off container runs it: the overrides, no restart policy. Pure. */
export function oneoffService(base: Service, overrides: OneoffOverrides, stdio: { readonly tty: boolean; readonly stdin: boolean }): Service {
  const o = overrides;
  const { restart: _restart, ...rest } = base;
  return {
    ...rest,
    ...(o.command !== undefined ? { command: o.command } : o.entrypoint === undefined ? {} : { command: null }),
    ...(o.entrypoint === undefined ? {} : { entrypoint: o.entrypoint }),
    environment: { ...base.environment, ...o.env },
    labels: { ...base.labels, ...o.labels },
    ...(o.user === undefined ? {} : { user: o.user }),
    ...(o.workingDir === undefined ? {} : { working_dir: o.workingDir }),
    ports: o.ports === 'service' ? base.ports : o.ports ?? [],
    volumes: [...base.volumes, ...(o.volumes ?? [])],
    ...(base.deploy === undefined ? {} : { deploy: { ...base.deploy, restart_policy: undefined } }),
    ...(o.capAdd === undefined ? {} : { cap_add: [...(base.cap_add ?? []), ...o.capAdd] }),
    ...(o.capDrop === undefined ? {} : { cap_drop: [...(base.cap_drop ?? []), ...o.capDrop] }),
    tty: stdio.tty,
    stdin_open: stdio.stdin,
  };
}

/** Output only: no input, the output to `onOutput` (test commands, the API). */
export function outputTo(onOutput: OutputHandler): OneoffConnect {
  return async (io) => {
    const session = await io.open(onOutput);
    session.endInput();
    await io.start();
    await session.done;
  };
}

/** Brings the dependencies up, then waits until each meets its depends_on condition. */
async function startDependencies(engine: Engine, project: Project, base: Service, options: OneoffOptions): Promise<void> {
  const deps = Object.entries(base.depends_on);
  if (options.dependencies === undefined || deps.length === 0) return;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  await converge(engine, project, {
    ...defaultUpPlanOptions,
    ...options.images,
    services: deps.map(([d]) => d),
    removeOrphans: options.dependencies.removeOrphans,
    ignoreOrphans: options.dependencies.ignoreOrphans,
    sink: options.sink,
    ...signal,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  for (const [dep, d] of deps) {
    const containers = (await listServiceContainers(engine, project.name, { services: [dep], all: true })).map((c) => c.name);
    await waitForCondition(engine, { service: dep, condition: d.condition, required: d.required, containers }, signal);
  }
}

/**
 * A one-off container of a service (`run`, `test --service`, the API's `run`): its dependencies
 * when asked, its networks, volumes and image, then the container, started and followed to its
 * end through `connect` (or left running with `detach`), and removed with `remove`.
 */
export async function runOneoff(
  engine: Engine, project: Project, service: string, options: OneoffOptions & { readonly connect: OneoffConnect },
): Promise<OneoffResult & { readonly kind: 'exited' }>;
export async function runOneoff(engine: Engine, project: Project, service: string, options: OneoffOptions): Promise<OneoffResult>;
export async function runOneoff(engine: Engine, project: Project, service: string, options: OneoffOptions): Promise<OneoffResult> {
  const declared = Object.hasOwn(project.services, service) ? project.services[service] : undefined;
  if (declared === undefined) throw noSuchService(project, service);
  await startDependencies(engine, project, declared, options);
  // The checked project: use_api_socket has become a mount, a variable and a config.
  const { seccompProfiles, proxyEnvironment, project: checked } = await prepareInfrastructure(engine, project, service, {
    sink: options.sink,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.images === undefined ? {} : { images: options.images }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  const detach = options.connect === 'detach';
  const stdin = !detach && options.stdin;
  const base = checked.services[service] ?? declared;
  const oneoff = oneoffService(base, options.overrides ?? {}, { tty: options.tty, stdin });
  const spec = oneoffContainerSpec(checked, service, oneoff, {
    slug: randomBytes(32).toString('hex'),
    useAliases: options.useAliases ?? false,
    seccompProfiles,
    proxyEnvironment,
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  const body = {
    ...spec.body,
    StdinOnce: stdin,
    AttachStdin: stdin,
    HostConfig: { ...(spec.body['HostConfig'] as Record<string, unknown>), AutoRemove: options.remove },
  };
  const id = await engine.containers.create(spec.name, body, {
    ...(spec.platform === undefined ? {} : { platform: spec.platform }),
    onWarning: (warning) => options.sink.warn(`${spec.name}: ${warning}`),
  });
  let leave = false;
  try {
    // Secrets and configs with no file to mount (environment, content) are written in before start.
    const files = filesToCopy(checked, oneoff);
    if (files.length > 0) await engine.containers.putFiles(id, files);
    for (const extra of spec.extraNetworks) await engine.networks.connect(extra.network, id, extra.config);
    if (options.connect === 'detach') {
      await engine.containers.start(id);
      leave = true;
      return { kind: 'detached', name: spec.name };
    }
    const exitCode = await followOneoff(engine, id, options, options.connect);
    leave = !options.remove;
    return { kind: 'exited', name: spec.name, exitCode };
  } finally {
    // A failure on the way does not leave the container behind half made; with `remove` the engine
    // has usually removed it already (AutoRemove), this covers the ways out before it ran.
    if (!leave) await engine.containers.remove(id, { force: true, volumes: true }).catch(() => undefined);
  }
}

/** Connects, starts, and waits for the exit code; without a TTY an abort is passed on as SIGINT. */
async function followOneoff(engine: Engine, id: string, options: OneoffOptions, connect: OneoffConnect): Promise<number> {
  const exited = engine.containers.wait(id, options.remove ? 'removed' : 'next-exit');
  exited.catch(() => undefined);
  // With a TTY, Ctrl-C is a byte on stdin and reaches the process by itself.
  const interrupt = (): void => {
    void engine.containers.kill(id, 'SIGINT').catch(() => undefined);
    if (options.killAfterMs !== undefined) {
      setTimeout(() => void engine.containers.kill(id, 'SIGKILL').catch(() => undefined), options.killAfterMs).unref();
    }
  };
  if (!options.tty) options.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    await connect({
      open: (onOutput) => engine.containers.attach(id, { tty: options.tty, stdin: options.stdin, onOutput }),
      start: () => engine.containers.start(id),
      resize: (size) => engine.containers.resize(id, size),
    });
    return await exited;
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
  }
}
