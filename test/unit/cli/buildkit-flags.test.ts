import assert from 'node:assert/strict';
import { refuseBuildKitFlags } from '../../../src/cli/buildkit-flags.js';
import { buildCommand } from '../../../src/cli/commands/build.js';
import { parseArgs } from '../../../src/cli/parse-args.js';
import { UsageError } from '../../../src/errors.js';

describe('build: BuildKit-only flags', () => {
  for (const argv of [['--ssh', 'default'], ['--builder', 'x'], ['--with-dependencies'], ['--print'], ['--check'], ['--provenance=true'], ['--sbom', 'true'], ['-m', '1g']]) {
    it(`${argv.join(' ')} is parsed, then refused with the reason`, () => {
      const { flags } = parseArgs(argv, buildCommand.flags, { command: 'build' });
      assert.throws(() => refuseBuildKitFlags(flags), (e: unknown) => e instanceof UsageError && /needs BuildKit/.test(e.message) && e.exitCode === 2);
    });
  }
  it('lets a build without them through', () => {
    refuseBuildKitFlags(parseArgs(['--no-cache', '--with-dependencies=false'], buildCommand.flags).flags);
  });
});
