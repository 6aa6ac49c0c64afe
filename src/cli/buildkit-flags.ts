import { UsageError } from '../errors.js';
import type { FlagSpec, ParsedFlags } from './command.js';

/** Compose's `build` flags that concern BuildKit: the ones honoured, and the ones refused with a reason. */
export const BUILDKIT_FLAGS: readonly FlagSpec[] = [
  { name: 'ssh', type: 'string', repeat: true, valueName: 'SPEC', description: 'SSH agent socket or keys for the build: default, or ID=PATH[,PATH]' },
  { name: 'with-dependencies', type: 'boolean', description: 'Also build the services the named ones depend on' },
  { name: 'print', type: 'boolean', description: 'Print the build definitions as JSON (bake-like) and build nothing' },
  { name: 'check', type: 'boolean', description: 'Check the build configuration (not possible with this engine: refused)' },
  { name: 'builder', type: 'string', valueName: 'NAME', description: 'Builder instance (refused: builds go to the engine\'s own BuildKit)' },
  { name: 'provenance', type: 'string', valueName: 'VALUE', description: 'Provenance attestation (refused: the Engine API cannot attach one)' },
  { name: 'sbom', type: 'string', valueName: 'VALUE', description: 'SBOM attestation (refused: the Engine API cannot attach one)' },
  { name: 'memory', short: 'm', type: 'string', valueName: 'BYTES', description: 'Memory limit for the build (refused: BuildKit through the engine takes none)' },
];

const REFUSED: Readonly<Record<string, { readonly why: string; readonly hint: string }>> = {
  check: {
    why: 'build --check runs the Dockerfile frontend\'s lint subrequest (frontend 1.8+), which this engine\'s built-in frontend does not have',
    hint: 'run `docker buildx build --check` where buildx is installed',
  },
  builder: {
    why: 'build --builder names a buildx builder; tscompose builds with the engine\'s own BuildKit through the Engine API',
    hint: 'drop the flag; to use another engine, point DOCKER_HOST at it',
  },
  provenance: { why: 'build --provenance needs an attestation exporter, which the Engine API (1.41) does not offer', hint: 'drop the flag, or build with buildx' },
  sbom: { why: 'build --sbom needs an attestation exporter, which the Engine API (1.41) does not offer', hint: 'drop the flag, or build with buildx' },
  memory: { why: 'build --memory is not supported with BuildKit (the engine\'s BuildKit takes no memory limit), nor passed to the classic builder by tscompose', hint: 'drop the flag' },
};

/** Refuses a flag this engine cannot honour, naming why. */
export function refuseBuildKitFlags(flags: ParsedFlags, builder: 'buildkit' | 'classic'): void {
  for (const [name, reason] of Object.entries(REFUSED)) {
    if (flags[name] === undefined || flags[name] === false) continue;
    throw new UsageError(reason.why, reason.hint);
  }
  if (builder === 'classic' && flags['ssh'] !== undefined && (flags['ssh'] as unknown[]).length > 0) {
    throw new UsageError('build --ssh needs BuildKit, and DOCKER_BUILDKIT=0 selects the classic builder', 'unset DOCKER_BUILDKIT, or drop --ssh');
  }
}
