import { ExitCode, isTscomposeError } from '../../errors.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagChoice } from '../flag-values.js';
import { packageVersion } from '../package-version.js';

export const versionCommand: CommandDefinition = {
  name: 'version',
  flags: [
    { name: 'short', type: 'boolean', description: 'Only the tscompose version number' },
    { name: 'format', short: 'f', type: 'string', valueName: 'FORMAT', description: 'pretty or json', default: 'pretty' },
  ],
  async run(context) {
    const version = packageVersion();
    if (flagBoolean(context.flags, 'short')) {
      context.ui.out(version);
      return ExitCode.ok;
    }
    const format = flagChoice(context.flags, 'format', ['pretty', 'json'] as const, 'pretty');
    let engine: { version?: string; apiVersion?: string; endpoint?: string; error?: string } = {};
    try {
      const client = await context.engine();
      const v = await client.system.version();
      engine = { version: v.version, apiVersion: v.apiVersion, endpoint: client.endpoint };
    } catch (error) {
      engine = { error: isTscomposeError(error) ? error.message : String(error) };
    }
    // As `docker version`: the client part is printed either way; an engine that cannot be reached fails the command.
    const code = engine.error === undefined ? ExitCode.ok : ExitCode.failure;
    if (format === 'json') {
      context.ui.out(JSON.stringify({ version, engine }));
      return code;
    }
    context.ui.out(`tscompose version v${version}`);
    context.ui.out(engine.error === undefined
      ? `Engine: ${engine.version} (API ${engine.apiVersion}) at ${engine.endpoint}`
      : `Engine: ${engine.error}`);
    return code;
  },
};
