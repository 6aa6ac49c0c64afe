import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { EventSink } from '../model/events.js';
import type { Project } from '../model/project.js';
import { preflight, type Preflight } from './preflight.js';

/**
 * Preflight against this engine's API version, before anything is changed: keys the engine is too
 * old for, unprovidable secrets, refused services. Files it needs (seccomp profiles) are read
 * relative to the project folder.
 */
export async function checkBeforeChange(engine: Engine, project: Project, services: readonly string[], sink: EventSink): Promise<Preflight> {
  const { apiVersion } = await engine.system.version();
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
  return checked;
}
