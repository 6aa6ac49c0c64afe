import { needsStop } from '../model/container-state.js';
import type { Project } from '../model/project.js';
import type { ObservedContainer } from './actual.js';
import type { UpState } from './plan-up-state.js';

/** Containers of services the project no longer has (enabled or not), sorted by name. */
export function orphansOf(project: Project, containers: readonly ObservedContainer[]): ObservedContainer[] {
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabled_services)]);
  return containers.filter((c) => !known.has(c.service)).sort((a, b) => a.name.localeCompare(b.name));
}

/** Phase 5: orphans are removed with --remove-orphans, else warned about (unless ignored). */
export function planOrphans(state: UpState): void {
  const { project, plan, options } = state;
  const orphans = orphansOf(project, state.observed);
  if (orphans.length === 0) return;
  if (options.removeOrphans) {
    for (const c of orphans) {
      const resource = `container:${c.name}`;
      const stop = needsStop(c.state)
        ? plan.add(resource, c.name, { type: 'stop-container', container: c.id, timeout: options.timeout }, 'orphan')
        : undefined;
      plan.add(resource, c.name, { type: 'remove-container', container: c.id, removeVolumes: false }, 'orphan', [stop]);
    }
  } else if (!options.ignoreOrphans) {
    plan.warnings.push(
      `found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project: if you removed or renamed their service, run with --remove-orphans to clean them up`,
    );
  }
}
