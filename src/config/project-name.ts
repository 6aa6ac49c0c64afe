import * as path from 'node:path';
import { UsageError, ConfigError } from '../errors.js';
import { isValidProjectName, normalizeProjectName } from '../model/naming.js';

export interface ProjectNameInput {
  /** `-p`. */
  readonly flag?: string | undefined;
  /** COMPOSE_PROJECT_NAME from the environment (OS or env files). */
  readonly env?: string | undefined;
  /** The top-level `name:` of the files, interpolated; the last file that sets it wins. */
  readonly fromFiles?: string | undefined;
  readonly projectDirectory: string;
}

export type ProjectNameSource = 'flag' | 'env' | 'file' | 'directory';

/** -p beats COMPOSE_PROJECT_NAME beats `name:` beats the folder name; the last two are normalised. */
export function resolveProjectName(input: ProjectNameInput): { name: string; source: ProjectNameSource } {
  if (input.flag !== undefined && input.flag !== '') return { name: checkGivenName(input.flag, '-p'), source: 'flag' };
  if (input.env !== undefined && input.env !== '') {
    return { name: checkGivenName(input.env, 'COMPOSE_PROJECT_NAME'), source: 'env' };
  }
  if (input.fromFiles !== undefined && input.fromFiles !== '') {
    const name = normalizeProjectName(input.fromFiles);
    if (name === '') {
      throw new ConfigError(`the project name "${input.fromFiles}" has no usable character once normalised`, {
        keyPath: 'name',
        hint: 'use lowercase letters, digits, dashes and underscores',
      });
    }
    return { name, source: 'file' };
  }
  const base = path.basename(input.projectDirectory);
  const name = normalizeProjectName(base);
  if (name === '') {
    throw new UsageError(
      `cannot derive a project name from the directory "${base}"`,
      'give one with -p, COMPOSE_PROJECT_NAME or a top-level `name:`',
    );
  }
  return { name, source: 'directory' };
}

function checkGivenName(name: string, origin: string): string {
  if (isValidProjectName(name)) return name;
  const suggestion = normalizeProjectName(name);
  throw new UsageError(
    `invalid project name "${name}" (from ${origin}): it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit`,
    suggestion === '' ? 'choose a name such as myapp' : `try "${suggestion}"`,
  );
}
