import { randomBytes } from 'node:crypto';
import type { Engine, OutputHandler } from '../engine/engine.js';
import type { EventSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import { noSuchService } from './known-services.js';
import { oneoffContainerSpec } from './oneoff-spec.js';
import { prepareInfrastructure } from './prepare-infrastructure.js';

export interface OneoffRequest {
  /** Replaces the service's command; the service's own when absent. */
  readonly command?: readonly string[];
  /** Added to the service's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly workingDir?: string;
}

export interface OneoffOptions {
  readonly sink: EventSink;
  readonly onOutput: OutputHandler;
  /** Aborting sends SIGINT to the container, then SIGKILL after `killAfterMs`. */
  readonly signal?: AbortSignal;
  readonly killAfterMs?: number;
}

/**
 * A one-off container of a service with no terminal and no input, run to its end and removed
 * (`run --rm -T --no-deps`): for test commands. The dependencies are the caller's to start.
 * Returns the exit code.
 */
export async function runOneoff(engine: Engine, project: Project, service: string, request: OneoffRequest, options: OneoffOptions): Promise<number> {
  const base = project.services[service];
  if (base === undefined) throw noSuchService(project, service);
  const { seccompProfiles } = await prepareInfrastructure(engine, project, service, { sink: options.sink, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  const { restart: _restart, ...rest } = base;
  const oneoff = {
    ...rest,
    ...(request.command === undefined ? {} : { command: request.command }),
    environment: { ...base.environment, ...request.env },
    ...(request.user === undefined ? {} : { user: request.user }),
    ...(request.workingDir === undefined ? {} : { working_dir: request.workingDir }),
    ports: [],
    ...(base.deploy === undefined ? {} : { deploy: { ...base.deploy, restart_policy: undefined } }),
    tty: false,
    stdin_open: false,
  };
  const spec = oneoffContainerSpec(project, service, oneoff, { slug: randomBytes(32).toString('hex'), useAliases: false, seccompProfiles });
  const id = await engine.containers.create(spec.name, spec.body, spec.platform === undefined ? {} : { platform: spec.platform });
  const interrupt = (): void => {
    void engine.containers.kill(id, 'SIGINT').catch(() => undefined);
    setTimeout(() => void engine.containers.kill(id, 'SIGKILL').catch(() => undefined), options.killAfterMs ?? 5000).unref();
  };
  try {
    for (const extra of spec.extraNetworks) await engine.networks.connect(extra.network, id, extra.config);
    const exited = engine.containers.wait(id, 'next-exit');
    const session = await engine.containers.attach(id, { tty: false, stdin: false, onOutput: options.onOutput });
    session.endInput();
    options.signal?.addEventListener('abort', interrupt, { once: true });
    await engine.containers.start(id);
    const [code] = await Promise.all([exited, session.done]);
    return code;
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    await engine.containers.remove(id, { force: true, volumes: true }).catch(() => undefined);
  }
}
