import { noSuchService } from '../reconcile/known-services.js';
import type { Project } from '../model/project.js';

/** Fails on a service name the project does not know (when the files were found). */
export function checkServices(project: Project | undefined, services: readonly string[]): void {
  if (project === undefined) return;
  for (const service of services) {
    if (!Object.hasOwn(project.services, service) && !Object.hasOwn(project.disabled_services, service)) {
      throw noSuchService(project, service);
    }
  }
}
