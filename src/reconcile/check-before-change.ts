import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { EventSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import type { ProxyVariables } from '../model/proxy-variables.js';
import { withApiSocket } from './api-socket.js';
import { preflight, type Preflight } from './preflight.js';

/**
 * What preflight found, the project to plan with (use_api_socket turned into mounts and a config),
 * and the Docker config's proxy variables for this engine (read before any change).
 */
export interface CheckedProject extends Preflight {
  readonly project: Project;
  readonly proxyEnvironment: ProxyVariables;
}

/**
 * Preflight against this engine's API version, before anything is changed: keys the engine is too
 * old for, unprovidable secrets, refused services. Files it needs (seccomp profiles) are read
 * relative to the project folder; use_api_socket reads the user's registry credentials.
 */
export async function checkBeforeChange(engine: Engine, project: Project, services: readonly string[], sink: EventSink): Promise<CheckedProject> {
  const apiVersion = await engine.system.apiVersion();
  const checked = preflight({
    project,
    services,
    apiVersion,
    readFile: (file) => {
      try {
        return readFileSync(resolve(project.working_dir, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  for (const warning of checked.warnings) sink.warn(warning);
  const proxyEnvironment = await engine.proxyVariables();
  const asking = services.some((name) => project.services[name]?.use_api_socket === true);
  if (!asking) return { ...checked, project, proxyEnvironment };
  const socket = { socketPath: engine.socketPath, clientConfig: await engine.clientConfig() };
  return { ...checked, project: withApiSocket(project, services, socket), proxyEnvironment };
}
