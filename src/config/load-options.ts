import type { Locator } from './locator.js';
import type { Project } from '../model/project.js';

/** Everything the loader needs, passed in: it never reads process.env or process.argv itself. */
export interface LoadOptions {
  /** The directory the command runs in. */
  readonly cwd: string;
  /** `-f` values in order; `-` reads `stdin`. Empty: COMPOSE_FILE, then discovery. */
  readonly files?: readonly string[];
  readonly projectName?: string;
  readonly projectDirectory?: string;
  readonly envFiles?: readonly string[];
  readonly profiles?: readonly string[];
  /** The OS environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Services named on the command line: they are enabled whatever their profiles. */
  readonly services?: readonly string[];
  readonly interpolate?: boolean;
  readonly normalize?: boolean;
  readonly resolvePaths?: boolean;
  /**
   * false: services' env files are not read; `environment` holds what the files declare and
   * `env_file` stays (Compose's WithoutEnvironmentResolution: `config --no-env-resolution`, and
   * commands that create no container).
   */
  readonly resolveEnvironment?: boolean;
  /** --compatibility: containers named with `_` (COMPOSE_COMPATIBILITY, from the environment or .env, does the same). */
  readonly compatibility?: boolean;
  /** false (`config --no-consistency`): skip the checks of references between the parts of the model. */
  readonly consistency?: boolean;
  readonly readStdin?: () => Promise<string>;
}

export interface LoadResult {
  readonly project: Project;
  readonly warnings: readonly string[];
  /** Where keys stand in the merged files, for errors found after loading (a build key a builder refuses). */
  readonly locator?: Locator;
}
