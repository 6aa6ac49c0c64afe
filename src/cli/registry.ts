import type { CommandDefinition } from './command.js';

/** Every command by name and summary; its definition is imported only when it runs or shows help. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<CommandDefinition>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'up', summary: 'Create and start the project\'s containers', load: async () => (await import('./commands/up.js')).upCommand },
  { name: 'down', summary: 'Stop and remove containers and networks (volumes with -v)', load: async () => (await import('./commands/down.js')).downCommand },
  { name: 'ps', summary: 'List the project\'s containers', load: async () => (await import('./commands/ps.js')).psCommand },
  { name: 'logs', summary: 'Show the output of the project\'s containers', load: async () => (await import('./commands/logs.js')).logsCommand },
  { name: 'exec', summary: 'Run a command in a running service container', load: async () => (await import('./commands/exec.js')).execCommand },
  { name: 'run', summary: 'Run a one-off command in a new container of a service', load: async () => (await import('./commands/run.js')).runCommand },
  { name: 'config', summary: 'Validate the compose files and print the canonical model', load: async () => (await import('./commands/config.js')).configCommand },
  { name: 'version', summary: 'Show the tscompose and engine versions', load: async () => (await import('./commands/version.js')).versionCommand },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
