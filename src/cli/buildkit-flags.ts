import { UsageError } from '../errors.js';
import type { FlagSpec, ParsedFlags } from './command.js';

/**
 * Compose's `build` flags that only BuildKit can honour. They are registered so scripts get a
 * reason instead of "unknown flag"; the one place to change once builds go through BuildKit.
 */
export const BUILDKIT_ONLY_FLAGS: readonly FlagSpec[] = [
  { name: 'ssh', type: 'string', valueName: 'SPEC', description: 'SSH agent socket or keys for the build (needs BuildKit: not available yet)' },
  { name: 'builder', type: 'string', valueName: 'NAME', description: 'Builder instance to use (needs BuildKit: not available yet)' },
  { name: 'with-dependencies', type: 'boolean', description: 'Also build the dependencies (needs BuildKit: not available yet)' },
  { name: 'print', type: 'boolean', description: 'Print the equivalent bake file (needs BuildKit: not available yet)' },
  { name: 'check', type: 'boolean', description: 'Check the build configuration (needs BuildKit: not available yet)' },
  { name: 'provenance', type: 'string', valueName: 'VALUE', description: 'Provenance attestation (needs BuildKit: not available yet)' },
  { name: 'sbom', type: 'string', valueName: 'VALUE', description: 'SBOM attestation (needs BuildKit: not available yet)' },
  { name: 'memory', short: 'm', type: 'string', valueName: 'BYTES', description: 'Memory limit for the build (needs BuildKit: not available yet)' },
];

/** Refuses a BuildKit-only flag that was given, naming why. */
export function refuseBuildKitFlags(flags: ParsedFlags): void {
  for (const spec of BUILDKIT_ONLY_FLAGS) {
    if (flags[spec.name] === undefined || flags[spec.name] === false) continue;
    throw new UsageError(
      `build --${spec.name} needs BuildKit, which tscompose does not drive yet`,
      'drop the flag; tscompose builds with the engine\'s classic builder (POST /build) for now',
    );
  }
}
