import * as path from 'node:path';
import { envBool } from './env-bool.js';
import { ProjectNotFoundError } from '../errors.js';
import { readNamedFile, type ConfigReader } from './config-reader.js';
import { discoverComposeFiles } from './discover.js';
import { parseDotenv } from './dotenv.js';
import { layerEnvironment, lookupIn, selectEnvFiles, selectProfiles, type EnvRecord } from './environment.js';
import type { LoadOptions } from './load-options.js';

/** Where the project is and what feeds interpolation, before any compose file is parsed. */
export interface ProjectContext {
  readonly files: readonly string[];
  readonly projectDirectory: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly envFiles: readonly string[];
  readonly profiles: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Stage 1: which compose files, which project directory, the interpolation environment (OS over
 * --env-file over the `.env` files) and the active profiles. Reads env files through `reader`.
 */
export function resolveProjectContext(options: LoadOptions, reader: ConfigReader): ProjectContext {
  const osEnv = withoutUndefined(options.env);
  const workdir = options.projectDirectory === undefined ? options.cwd : path.resolve(options.cwd, options.projectDirectory);
  const disabled = envBool(osEnv, 'COMPOSE_DISABLE_ENV_FILE');
  const explicit = selectEnvFiles(options.envFiles, osEnv, (f) => path.resolve(options.cwd, f));
  const readEnv = (file: string, required: boolean, lookup: EnvRecord): Record<string, string> | undefined => {
    const text = readNamedFile(reader, file, 'env file');
    if (text === undefined) {
      if (required) throw new ProjectNotFoundError(`env file not found: ${file}`, 'check the path given with --env-file or COMPOSE_ENV_FILES');
      return undefined;
    }
    return Object.fromEntries(parseDotenv(text, { file, lookup: lookupIn(lookup) }));
  };
  const envFiles: string[] = [];
  const layers: EnvRecord[] = [osEnv];
  if (explicit.length > 0) {
    let merged: Record<string, string> = {};
    for (const file of explicit) {
      // A later --env-file beats an earlier one, and sees the values it set.
      merged = { ...merged, ...readEnv(file, true, { ...merged, ...osEnv }) };
      envFiles.push(file);
    }
    layers.push(merged);
  } else if (!disabled) {
    const file = path.join(workdir, '.env');
    const values = readEnv(file, false, osEnv);
    if (values !== undefined) {
      layers.push(values);
      envFiles.push(file);
    }
  }
  const firstEnv = layerEnvironment(layers);
  const discovered = discoverComposeFiles(
    { cwd: options.cwd, env: firstEnv, ...optional('files', options.files), ...optional('projectDirectory', options.projectDirectory) },
    reader,
  );
  if (explicit.length === 0 && !disabled && discovered.projectDirectory !== workdir) {
    const file = path.join(discovered.projectDirectory, '.env');
    const values = readEnv(file, false, firstEnv);
    if (values !== undefined) {
      layers.push(values);
      envFiles.push(file);
    }
  }
  const environment = layerEnvironment(layers);
  return {
    files: discovered.files,
    projectDirectory: discovered.projectDirectory,
    environment,
    envFiles,
    profiles: selectProfiles(options.profiles, environment),
    warnings: discovered.warnings,
  };
}

function withoutUndefined(env: EnvRecord): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
