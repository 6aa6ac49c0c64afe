import { loadProject, loadProjectName } from '../config/load.js';
import type { Locator } from '../config/locator.js';
import { ProjectNotFoundError } from '../errors.js';
import type { Project } from '../model/project.js';
import type { CommandContext } from './command.js';

const locators = new WeakMap<Project, Locator>();

/** Where the keys of a loaded project stand in its files, for errors found after loading. */
export function locatorOf(project: Project): Locator | undefined {
  return locators.get(project);
}

/** Loads the project for a command and shows the loader's warnings. */
export async function loadForCommand(
  context: CommandContext,
  services: readonly string[] = [],
  options: { readonly resolveEnvironment?: boolean } = {},
): Promise<Project> {
  const { project, warnings, locator } = await loadProject({ ...context.loadOptions, services, ...options });
  for (const warning of warnings) context.ui.warn(warning);
  if (locator !== undefined) locators.set(project, locator);
  return project;
}

/**
 * For commands that can work from labels alone (down, ps): the project when files are found,
 * otherwise only its name (from -p or COMPOSE_PROJECT_NAME). They create no container, so, as in
 * Compose, services' env files are not read (a missing one does not stop `down`).
 */
export async function loadProjectOrName(
  context: CommandContext,
): Promise<{ readonly name: string; readonly project: Project | undefined }> {
  try {
    const project = await loadForCommand(context, [], { resolveEnvironment: false });
    return { name: project.name, project };
  } catch (error) {
    const explicit = context.global.projectName ?? context.env['COMPOSE_PROJECT_NAME'];
    if (error instanceof ProjectNotFoundError && context.global.files.length === 0 && explicit !== undefined && explicit !== '') {
      return { name: await loadProjectName(context.loadOptions), project: undefined };
    }
    throw error;
  }
}
