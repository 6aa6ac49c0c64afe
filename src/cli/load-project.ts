import { loadProject, loadProjectName } from '../config/load.js';
import { ProjectNotFoundError } from '../errors.js';
import type { Project } from '../model/project.js';
import type { CommandContext } from './command.js';

/** Loads the project for a command and shows the loader's warnings. */
export async function loadForCommand(context: CommandContext, services: readonly string[] = []): Promise<Project> {
  const { project, warnings } = await loadProject({ ...context.loadOptions, services });
  for (const warning of warnings) context.ui.warn(warning);
  return project;
}

/**
 * For commands that can work from labels alone (down, ps): the project when files are found,
 * otherwise only its name (from -p or COMPOSE_PROJECT_NAME).
 */
export async function loadProjectOrName(
  context: CommandContext,
): Promise<{ readonly name: string; readonly project: Project | undefined }> {
  try {
    const project = await loadForCommand(context);
    return { name: project.name, project };
  } catch (error) {
    const explicit = context.global.projectName ?? context.env['COMPOSE_PROJECT_NAME'];
    if (error instanceof ProjectNotFoundError && context.global.files.length === 0 && explicit !== undefined && explicit !== '') {
      return { name: await loadProjectName(context.loadOptions), project: undefined };
    }
    throw error;
  }
}
