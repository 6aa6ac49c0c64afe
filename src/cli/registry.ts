import type { CommandDefinition } from './command.js';

/** Every command by name and summary (their one home: the list and each command's help read them here); its definition is imported only when it runs or shows help. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<CommandDefinition>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'up', summary: 'Create and start the project\'s containers', load: async () => (await import('./commands/up.js')).upCommand },
  { name: 'down', summary: 'Stop and remove containers and networks (volumes with -v); with services, only theirs', load: async () => (await import('./commands/down.js')).downCommand },
  { name: 'ps', summary: 'List the project\'s containers', load: async () => (await import('./commands/ps.js')).psCommand },
  { name: 'build', summary: 'Build the services\' images', load: async () => (await import('./commands/build.js')).buildCommand },
  { name: 'pull', summary: 'Pull the services\' images', load: async () => (await import('./commands/pull.js')).pullCommand },
  { name: 'push', summary: 'Push the images of services that build them', load: async () => (await import('./commands/push.js')).pushCommand },
  { name: 'images', summary: 'List the images the project\'s containers use', load: async () => (await import('./commands/images.js')).imagesCommand },
  { name: 'logs', summary: 'Show the output of the project\'s containers', load: async () => (await import('./commands/logs.js')).logsCommand },
  { name: 'exec', summary: 'Run a command in a running service container', load: async () => (await import('./commands/exec.js')).execCommand },
  { name: 'run', summary: 'Run a one-off command in a new container of a service', load: async () => (await import('./commands/run.js')).runCommand },
  { name: 'attach', summary: 'Connect the terminal to a running service container\'s main process', load: async () => (await import('./commands/attach.js')).attachCommand },
  { name: 'top', summary: 'Show the processes running in the project\'s containers', load: async () => (await import('./commands/top.js')).topCommand },
  { name: 'port', summary: 'Print the host address a container port is published on', load: async () => (await import('./commands/port.js')).portCommand },
  { name: 'events', summary: 'Stream the engine\'s events for the project\'s containers', load: async () => (await import('./commands/events.js')).eventsCommand },
  { name: 'wait', summary: 'Wait for service containers to stop; print their exit codes', load: async () => (await import('./commands/wait.js')).waitCommand },
  { name: 'scale', summary: 'Set the number of containers of services (SERVICE=N)', load: async () => (await import('./commands/scale.js')).scaleCommand },
  { name: 'volumes', summary: 'List the volumes of the project\'s services', load: async () => (await import('./commands/volumes.js')).volumesCommand },
  { name: 'stats', summary: 'Show CPU, memory, network and disk use of the project\'s containers (one sample)', load: async () => (await import('./commands/stats.js')).statsCommand },
  { name: 'export', summary: 'Write a service container\'s filesystem as a tar archive', load: async () => (await import('./commands/export.js')).exportCommand },
  { name: 'commit', summary: 'Make an image from a service container\'s changes', load: async () => (await import('./commands/commit.js')).commitCommand },
  { name: 'cp', summary: 'Copy files and folders between a service container and the host', load: async () => (await import('./commands/cp.js')).cpCommand },
  { name: 'create', summary: 'Create the project\'s containers without starting them', load: async () => (await import('./commands/create.js')).createCommand },
  { name: 'start', summary: 'Start existing containers', load: async () => (await import('./commands/start.js')).startCommand },
  { name: 'stop', summary: 'Stop running containers without removing them', load: async () => (await import('./commands/stop.js')).stopCommand },
  { name: 'restart', summary: 'Restart containers in dependency order (dependents with restart: true follow)', load: async () => (await import('./commands/restart.js')).restartCommand },
  { name: 'kill', summary: 'Send a signal (default SIGKILL) to running containers', load: async () => (await import('./commands/kill.js')).killCommand },
  { name: 'rm', summary: 'Remove stopped containers', load: async () => (await import('./commands/rm.js')).rmCommand },
  { name: 'pause', summary: 'Pause running containers', load: async () => (await import('./commands/pause.js')).pauseCommand },
  { name: 'unpause', summary: 'Unpause paused containers', load: async () => (await import('./commands/unpause.js')).unpauseCommand },
  { name: 'watch', summary: 'Watch develop.watch paths; sync, restart or rebuild services on change', load: async () => (await import('./commands/watch.js')).watchCommand },
  { name: 'test', summary: 'Up, wait until ready, run tests in a service or on the host, take it all down; exit with the tests\' code', load: async () => (await import('./commands/test.js')).testCommand },
  { name: 'cleanup', summary: 'Remove leftover projects by name prefix and age (containers, networks, volumes)', load: async () => (await import('./commands/cleanup.js')).cleanupCommand },
  { name: 'stack', summary: 'Deploy the compose file to Docker Swarm and manage stacks (deploy, ls, ps, services, rm, config)', load: async () => (await import('./commands/stack.js')).stackCommand },
  { name: 'ls', summary: 'List the projects on the engine (by label)', load: async () => (await import('./commands/ls.js')).lsCommand },
  { name: 'config', summary: 'Validate the compose files and print the project in canonical form', load: async () => (await import('./commands/config.js')).configCommand },
  { name: 'version', summary: 'Show the tscompose and engine versions', load: async () => (await import('./commands/version.js')).versionCommand },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
