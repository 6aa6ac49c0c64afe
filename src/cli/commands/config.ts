import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatComposeDocument } from '../../config/compose-document.js';
import { formatLockDocument, serviceImages, withImagesPinned } from '../../config/image-lock.js';
import { loadProject, loadProjectVariables } from '../../config/load.js';
import { ExitCode, UsageError } from '../../errors.js';
import { serviceConfigHash } from '../../model/config-hash.js';
import { serviceImage } from '../../model/naming.js';
import type { Project } from '../../model/project.js';
import { withDependencies } from '../../graph/dependency-graph.js';
import { resolveImageDigests } from '../../reconcile/image-digests.js';
import { noSuchService } from '../../reconcile/known-services.js';
import { dependencyMap } from '../../reconcile/plan.js';
import { formatTable } from '../../ui/table.js';
import type { CommandContext, CommandDefinition, ParsedFlags } from '../command.js';
import { flagChoice, flagString } from '../flag-values.js';

interface ConfigOptions {
  readonly format: 'yaml' | 'json';
  readonly quiet: boolean;
  readonly list: 'services' | 'volumes' | 'networks' | 'images' | 'profiles' | 'variables' | 'environment' | undefined;
  readonly hash: string | undefined;
  readonly interpolate: boolean;
  readonly normalize: boolean;
  readonly resolvePaths: boolean;
  readonly envResolution: boolean;
  readonly consistency: boolean;
  /** Pin images to digests; `lock` prints only the images, as an override file. */
  readonly digests: 'resolve' | 'lock' | undefined;
  readonly output: string | undefined;
}

const LISTS = ['services', 'volumes', 'networks', 'images', 'profiles', 'variables', 'environment'] as const;

function readOptions(flags: ParsedFlags): ConfigOptions {
  const format = flagChoice(flags, 'format', ['yaml', 'json'] as const, 'yaml');
  const lists = LISTS.filter((name) => flags[name] === true);
  if (lists.length > 1) throw new UsageError(`--${lists[0]} and --${lists[1]} cannot be combined`);
  return {
    format,
    quiet: flags['quiet'] === true,
    list: lists[0],
    hash: flagString(flags, 'hash'),
    interpolate: flags['no-interpolate'] !== true,
    normalize: flags['no-normalize'] !== true,
    resolvePaths: flags['no-path-resolution'] !== true,
    envResolution: flags['no-env-resolution'] !== true,
    consistency: flags['no-consistency'] !== true,
    digests: digestOption(flags, lists[0]),
    output: flagString(flags, 'output'),
  };
}

/** --lock-image-digests implies --resolve-image-digests, as in Compose; both work on the whole model only. */
function digestOption(flags: ParsedFlags, list: string | undefined): ConfigOptions['digests'] {
  const digests = flags['lock-image-digests'] === true ? 'lock' : flags['resolve-image-digests'] === true ? 'resolve' : undefined;
  if (digests === undefined) return undefined;
  const flag = `--${digests}-image-digests`;
  const other = list !== undefined ? `--${list}` : flags['hash'] !== undefined ? '--hash' : flags['no-interpolate'] === true ? '--no-interpolate' : undefined;
  if (other !== undefined) throw new UsageError(`${flag} cannot be combined with ${other}`, `${flag} pins the images of the whole, interpolated model`);
  return digests;
}

/** `config web` shows web and what it depends on, as `up web` would run them. */
export function selectServices(project: Project, names: readonly string[]): Project {
  if (names.length === 0) return project;
  const keep = withDependencies(dependencyMap(project.services), names);
  return { ...project, services: Object.fromEntries(Object.entries(project.services).filter(([name]) => keep.has(name))) };
}

/** The text `config` prints for the given options. Exported for tests. */
export function renderConfig(project: Project, options: Pick<ConfigOptions, 'format' | 'list' | 'hash'> & Partial<Pick<ConfigOptions, 'interpolate' | 'envResolution'>>): string {
  if (options.hash !== undefined) return renderHashes(project, options.hash);
  switch (options.list) {
    case 'services':
      return Object.keys(project.services).sort().join('\n');
    case 'volumes':
      return Object.keys(project.volumes).sort().join('\n');
    case 'networks':
      return Object.keys(project.networks).sort().join('\n');
    case 'images':
      return Object.keys(project.services)
        .sort()
        .map((name) => serviceImage(project, name))
        .join('\n');
    case 'profiles': {
      const all = new Set<string>();
      for (const service of [...Object.values(project.services), ...Object.values(project.disabled_services)]) {
        for (const p of service.profiles ?? []) all.add(p);
      }
      return [...all].sort().join('\n');
    }
    case 'environment':
      return Object.keys(project.environment)
        .sort()
        .map((key) => `${key}=${project.environment[key]}`)
        .join('\n');
    default:
      return formatComposeDocument(project, options.format, {
        escapeDollars: options.interpolate !== false, keepEnvFiles: options.envResolution === false,
      });
  }
}

function renderHashes(project: Project, which: string): string {
  const names = which === '*' ? Object.keys(project.services).sort() : which.split(',').map((s) => s.trim());
  return names
    .map((name) => {
      const service = project.services[name];
      if (service === undefined) throw noSuchService(project, name);
      return `${name} ${serviceConfigHash(service)}`;
    })
    .join('\n');
}

async function renderVariables(context: CommandContext, options: ConfigOptions): Promise<string> {
  const variables = await loadProjectVariables(context.loadOptions);
  // Compose prints an object keyed by name, each with Go's field names, on one line.
  if (options.format === 'json') {
    return JSON.stringify(Object.fromEntries(variables.map((v) => [v.name, {
      Name: v.name, DefaultValue: v.defaultValue ?? '', PresenceValue: v.alternateValue ?? '', Required: v.required,
    }])));
  }
  return formatTable(
    ['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE'],
    variables.map((v) => [v.name, v.required ? 'true' : 'false', v.defaultValue ?? '', v.alternateValue ?? '']),
  );
}

export const configCommand: CommandDefinition = {
  name: 'config',
  usage: '[SERVICE...]',
  flags: [
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'yaml or json', default: 'yaml' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only validate; print nothing' },
    { name: 'services', type: 'boolean', description: 'Print the service names' },
    { name: 'volumes', type: 'boolean', description: 'Print the volume names' },
    { name: 'networks', type: 'boolean', description: 'Print the network names' },
    { name: 'images', type: 'boolean', description: 'Print the image of each service' },
    { name: 'profiles', type: 'boolean', description: 'Print the profiles the services use' },
    { name: 'variables', type: 'boolean', description: 'Print the variables the files refer to, with their defaults' },
    { name: 'environment', type: 'boolean', description: 'Print the environment used for interpolation' },
    { name: 'hash', type: 'string', valueName: 'SERVICE', description: 'Print the config hash of these services (comma-separated, or *)' },
    { name: 'no-interpolate', type: 'boolean', description: 'Do not substitute variables' },
    { name: 'no-normalize', type: 'boolean', description: 'Do not add defaults (default network, implicit dependencies)' },
    { name: 'no-path-resolution', type: 'boolean', description: 'Keep relative paths as written' },
    { name: 'no-consistency', type: 'boolean', description: 'Skip the consistency checks (undefined networks, volumes, services...); the output may not load' },
    { name: 'resolve-image-digests', type: 'boolean', description: 'Pin every image to its digest, asked of its registry' },
    { name: 'lock-image-digests', type: 'boolean', description: 'Print an override file with only the images, pinned to their digests' },
    { name: 'no-env-resolution', type: 'boolean', description: 'Do not read env_file: print it, and environment as written' },
    { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'Write to this file instead of stdout' },
  ],
  async run(context) {
    const options = readOptions(context.flags);
    let text: string;
    if (options.list === 'variables') {
      text = await renderVariables(context, options);
    } else {
      const { project, warnings } = await loadProject({
        ...context.loadOptions,
        services: context.args,
        interpolate: options.interpolate,
        // As in Compose: --compatibility prints the model as written, not normalised.
        normalize: options.normalize && !context.global.compatibility,
        resolvePaths: options.resolvePaths,
        resolveEnvironment: options.envResolution,
        consistency: options.consistency,
      });
      for (const warning of warnings) context.ui.warn(warning);
      let selected = selectServices(project, context.args);
      if (options.digests !== undefined) {
        const pinned = await resolveImageDigests(await context.engine(), serviceImages(selected), (m) => context.ui.warn(m));
        selected = withImagesPinned(selected, pinned);
      }
      if (options.quiet) return ExitCode.ok;
      text = options.digests === 'lock' ? formatLockDocument(selected, options.format) : renderConfig(selected, options);
    }
    if (options.output !== undefined) {
      writeFileSync(path.resolve(context.cwd, options.output), `${text}\n`);
      return ExitCode.ok;
    }
    if (text !== '') context.ui.out(text);
    return ExitCode.ok;
  },
};
