import { configErrorAt } from '../config/config-error.js';
import type { Project } from '../model/project.js';
import { chosenBuilder } from '../reconcile/build-request.js';
import { buildRefusals } from '../reconcile/build-support.js';
import { contextOrder } from '../reconcile/named-contexts.js';
import { locatorOf } from './load-project.js';

/**
 * Refuses, before anything changes, a build key the chosen builder cannot honour, naming the file,
 * line and key (exit 3), as Compose's classic builder refuses BuildKit-only keys.
 */
export function checkBuildKeys(project: Project, services: readonly string[]): void {
  const names = services.length === 0 ? Object.keys(project.services) : services;
  // Also the services whose images those builds read (`service:` contexts): they are built too.
  const [first] = buildRefusals(project, contextOrder(project, names), chosenBuilder(project.environment));
  if (first !== undefined) throw configErrorAt(locatorOf(project), first.path, first.message, first.hint);
}
