import type { CommandDefinition, FlagSpec } from './command.js';
import { GLOBAL_FLAGS } from './global-flags.js';
import { COMMANDS, type CommandEntry } from './registry.js';

function flagLines(flags: readonly FlagSpec[]): string[] {
  const visible = flags.filter((f) => f.hidden !== true);
  const left = visible.map((f) => {
    const short = f.short === undefined ? '    ' : `-${f.short}, `;
    const value = f.type === 'boolean' ? '' : ` ${f.valueName ?? (f.type === 'number' ? 'N' : 'VALUE')}`;
    return `  ${short}--${f.name}${value}`;
  });
  const width = Math.max(0, ...left.map((l) => l.length));
  return visible.map((f, i) => {
    const def = f.default === undefined || f.default === false ? '' : ` (default: ${String(f.default)})`;
    return `${(left[i] as string).padEnd(width)}   ${f.description}${def}`;
  });
}

export function rootHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: tscompose [OPTIONS] COMMAND',
    '',
    'Runs Compose Specification projects on a Docker engine.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`),
    '',
    'Options:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Environment: COMPOSE_FILE, COMPOSE_PROJECT_NAME, COMPOSE_PROFILES, COMPOSE_ENV_FILES, COMPOSE_PROGRESS, COMPOSE_ANSI, DOCKER_HOST',
    'Run \'tscompose COMMAND --help\' for more on a command.',
  ].join('\n');
}

export function commandHelp(entry: Pick<CommandEntry, 'summary'>, command: CommandDefinition): string {
  return [
    `Usage: tscompose ${command.name} [OPTIONS]${command.usage === undefined ? '' : ` ${command.usage}`}`,
    '',
    entry.summary,
    '',
    'Options:',
    ...flagLines(command.flags),
    '',
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
  ].join('\n');
}
