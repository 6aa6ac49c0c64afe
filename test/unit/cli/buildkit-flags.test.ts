import assert from 'node:assert/strict';
import { refuseBuildKitFlags } from '../../../src/cli/buildkit-flags.js';
import { buildCommand } from '../../../src/cli/commands/build.js';
import { parseArgs } from '../../../src/cli/parse-args.js';
import { UsageError } from '../../../src/errors.js';

describe('build: BuildKit flags', () => {
  for (const argv of [['--builder', 'x'], ['--check'], ['--provenance=true'], ['--sbom', 'true'], ['-m', '1g']]) {
    it(`${argv.join(' ')} is parsed, then refused with the reason`, () => {
      const { flags } = parseArgs(argv, buildCommand.flags, { command: 'build' });
      assert.throws(() => refuseBuildKitFlags(flags, 'buildkit'), (e: unknown) => e instanceof UsageError && e.message.startsWith(`build --${argv[0]?.replace(/^-+/, '').replace(/=.*/, '').replace(/^m$/, 'memory')}`) && e.exitCode === 2);
    });
  }
  for (const argv of [['--ssh', 'default'], ['--with-dependencies'], ['--print'], ['--no-cache', '--with-dependencies=false']]) {
    it(`${argv.join(' ')} is accepted with BuildKit`, () => {
      refuseBuildKitFlags(parseArgs(argv, buildCommand.flags, { command: 'build' }).flags, 'buildkit');
    });
  }
  it('--ssh is refused by the classic builder', () => {
    const { flags } = parseArgs(['--ssh', 'default'], buildCommand.flags, { command: 'build' });
    assert.throws(() => refuseBuildKitFlags(flags, 'classic'), /DOCKER_BUILDKIT=0/);
  });
});
