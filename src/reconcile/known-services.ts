import { UsageError } from '../errors.js';
import type { Project } from '../model/project.js';

/** The error for a service name the project does not run; a profile-disabled one says how to enable it. */
export function noSuchService(project: Project, name: string): UsageError {
  const disabled = Object.hasOwn(project.disabled_services, name) ? project.disabled_services[name] : undefined;
  return new UsageError(
    `no such service: ${name}`,
    disabled === undefined
      ? `known services: ${Object.keys(project.services).sort().join(', ')}`
      : `enable one of its profiles (${(disabled.profiles ?? []).join(', ')}) or name it explicitly`,
  );
}

/** Fails unless every name is a service the project runs (not disabled by profiles). */
export function assertEnabledServices(project: Project, names: readonly string[]): void {
  for (const name of names) if (!Object.hasOwn(project.services, name)) throw noSuchService(project, name);
}
