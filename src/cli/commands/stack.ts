import type { Engine } from '../../engine/engine.js';
import { ExitCode, RuntimeError, UsageError } from '../../errors.js';
import { silentSink, type EventSink } from '../../model/events.js';
import type { Project } from '../../model/project.js';
import { closestMatch } from '../../model/suggest.js';
import { buildImages } from '../../reconcile/image-flows.js';
import { deployStack, type ResolveImage } from '../../swarm/deploy-stack.js';
import { checkStackSupport } from '../../swarm/unsupported.js';
import { observeStack, requireManager } from '../../swarm/observe-stack.js';
import { formatStackPlan } from '../../swarm/plan-deploy.js';
import { leftovers, removeStack } from '../../swarm/remove-stack.js';
import { stackFilter } from '../../swarm/stack-labels.js';
import { filterTasks, listStacks, serviceRows, taskLogNames, taskRows } from '../../swarm/stack-views.js';
import { formatTable } from '../../ui/table.js';
import type { CommandContext, CommandDefinition, FlagSpec } from '../command.js';
import { flagBoolean, flagChoice, flagList, flagNumber, flagString } from '../flag-values.js';
import { GLOBAL_FLAGS } from '../global-flags.js';
import { commandHelp } from '../help.js';
import { loadForCommand } from '../load-project.js';
import { parseArgs } from '../parse-args.js';

interface Subcommand extends CommandDefinition {
  readonly name: `stack ${string}`;
  /** A subcommand is its own help entry: the registry lists only `stack`. */
  readonly summary: string;
}

const WAIT_TIMEOUT_DEFAULT = 300;

function sinkFor(context: CommandContext, quiet: boolean): EventSink {
  return quiet ? { ...silentSink, warn: (m) => context.ui.warn(m) } : context.ui.events;
}

function timeoutMs(context: CommandContext): number | undefined {
  const seconds = flagNumber(context.flags, 'wait-timeout') ?? WAIT_TIMEOUT_DEFAULT;
  return seconds <= 0 ? undefined : seconds * 1000;
}

/** Builds and pushes the images of services with `build:`; returns the digests to deploy by. */
async function buildAndPush(context: CommandContext, engine: Engine, project: Project, sink: EventSink): Promise<Map<string, string>> {
  const built = Object.entries(project.services).filter(([, s]) => s.build !== undefined);
  if (built.length === 0) return new Map();
  await requireManager(engine.swarm);
  await buildImages(engine, project, built.map(([key]) => key), { sink, signal: context.signal, concurrency: context.global.parallel, overrides: {}, push: true });
  const digests = new Map<string, string>();
  for (const [key, service] of built) {
    const image = service.image as string;
    const digest = await engine.swarm.distributionDigest(image, { registryAuth: await engine.swarm.registryAuth(image) });
    if (digest === undefined) throw new RuntimeError(`the registry of ${image} did not give the digest of the image just pushed`, `check that the registry answers: docker pull ${image}`);
    digests.set(key, `${image}@${digest}`);
  }
  return digests;
}

const deploy: Subcommand = {
  name: 'stack deploy',
  summary: 'Deploy the compose file to Docker Swarm: only what changed is updated, then wait until it converged',
  usage: '[STACK]',
  flags: [
    { name: 'compose-file', short: 'c', type: 'string', repeat: true, valueName: 'FILE', description: 'Compose file (repeatable; - reads stdin); default: the usual discovery' },
    { name: 'prune', type: 'boolean', description: 'Remove services no longer in the compose file' },
    { name: 'resolve-image', type: 'string', valueName: 'WHEN', description: 'Pin images to their registry digest: always, changed or never', default: 'always' },
    { name: 'with-registry-auth', type: 'boolean', description: 'Send registry credentials to the swarm agents' },
    { name: 'detach', short: 'd', type: 'boolean', description: 'Return once the changes are sent, without waiting' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Print nothing but warnings and errors' },
    { name: 'wait', type: 'boolean', description: 'Wait until every service converged (the default unless -d)' },
    { name: 'wait-timeout', type: 'number', valueName: 'SECONDS', description: `Stop waiting after this long (0: no limit; default ${WAIT_TIMEOUT_DEFAULT})` },
  ],
  async run(context) {
    const [stackArg, ...extra] = context.args;
    if (extra.length > 0) throw new UsageError(`stack deploy takes one STACK name, got ${context.args.join(' ')}`);
    const files = flagList(context.flags, 'compose-file');
    const loadContext: CommandContext = {
      ...context,
      loadOptions: {
        ...context.loadOptions,
        ...(files.length > 0 ? { files: [...(context.loadOptions.files ?? []), ...files] } : {}),
        ...(stackArg === undefined ? {} : { projectName: stackArg }),
      },
    };
    const project = await loadForCommand(loadContext);
    const resolveImage = flagChoice(context.flags, 'resolve-image', ['always', 'changed', 'never'] as const, 'always') as ResolveImage;
    const quiet = flagBoolean(context.flags, 'quiet');
    const sink = sinkFor(context, quiet);
    const engine = await context.engine();
    const dryRun = context.global.dryRun;
    // Refusals first: nothing is built for a file Swarm would refuse.
    checkStackSupport(project);
    const builtImages = dryRun ? new Map<string, string>() : await buildAndPush(context, engine, project, sink);
    const withAuth = flagBoolean(context.flags, 'with-registry-auth');
    const auths = new Map<string, string>();
    if (withAuth) for (const s of Object.values(project.services)) if (s.image !== undefined) auths.set(s.image, await engine.swarm.registryAuth(s.image));
    const detach = flagBoolean(context.flags, 'detach') && !flagBoolean(context.flags, 'wait');
    const timeout = timeoutMs(context);
    const result = await deployStack(engine.swarm, project, {
      stack: project.name,
      prune: flagBoolean(context.flags, 'prune'),
      resolveImage,
      ...(withAuth ? { registryAuth: (image: string) => auths.get(image.replace(/@sha256:[0-9a-f]+$/, '')) ?? auths.get(image) } : {}),
      wait: !detach,
      ...(timeout === undefined ? {} : { waitTimeoutMs: timeout }),
      dryRun,
      builtImages,
      events: sink,
      signal: context.signal,
    });
    if (result.warnings.length > 0) {
      context.ui.warn(`Swarm cannot honour everything in ${project.name}:\n${result.warnings.map((w) => `  - ${w}`).join('\n')}`);
    }
    if (dryRun) context.ui.out(formatStackPlan(result.plan));
    else if (!quiet && result.plan.nodes.length === 0) context.ui.info(`stack ${project.name}: nothing to do`);
    return ExitCode.ok;
  },
};

const remove: Subcommand = {
  name: 'stack rm',
  summary: 'Remove stacks: services, configs, secrets, networks (named volumes only with --volumes)',
  usage: 'STACK...',
  flags: [
    { name: 'wait', type: 'boolean', description: 'Return once tasks, containers and networks are gone' },
    { name: 'detach', short: 'd', type: 'boolean', description: 'Do not wait (the default)' },
    { name: 'volumes', short: 'v', type: 'boolean', description: 'Also remove the stack\'s named volumes on this node (implies --wait)' },
    { name: 'wait-timeout', type: 'number', valueName: 'SECONDS', description: `Stop waiting after this long (0: no limit; default ${WAIT_TIMEOUT_DEFAULT})` },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Print nothing but warnings and errors' },
  ],
  async run(context) {
    if (context.args.length === 0) throw new UsageError('stack rm needs at least one STACK', 'tscompose stack ls lists them');
    const engine = await context.engine();
    await requireManager(engine.swarm);
    const timeout = timeoutMs(context);
    for (const stack of context.args) {
      const actual = await observeStack(engine.swarm, stack);
      const wait = flagBoolean(context.flags, 'wait') || flagBoolean(context.flags, 'volumes');
      // After another `stack rm` (docker's, or one without --wait) only leftovers may be there: --wait still waits for them.
      if (actual.services.length + actual.networks.length + actual.configs.length + actual.secrets.length === 0
        && (!wait || (await leftovers(engine.swarm, engine, stack)).length === 0)) {
        context.ui.warn(`nothing found in stack ${stack}`);
        continue;
      }
      await removeStack(engine.swarm, engine, stack, actual, {
        wait,
        volumes: flagBoolean(context.flags, 'volumes'),
        ...(timeout === undefined ? {} : { timeoutMs: timeout }),
        events: sinkFor(context, flagBoolean(context.flags, 'quiet')),
        signal: context.signal,
      });
    }
    return ExitCode.ok;
  },
};

const ls: Subcommand = {
  name: 'stack ls',
  summary: 'List the stacks on the swarm',
  flags: [{ name: 'format', type: 'string', valueName: 'FORMAT', description: 'table or json', default: 'table' }],
  async run(context) {
    const format = flagChoice(context.flags, 'format', ['table', 'json'] as const, 'table');
    const engine = await context.engine();
    await requireManager(engine.swarm);
    const rows = listStacks(await engine.swarm.listServices([`com.docker.stack.namespace`]));
    if (format === 'json') context.ui.out(JSON.stringify(rows.map((r) => ({ Name: r.name, Services: r.services }))));
    else context.ui.out(formatTable(['NAME', 'SERVICES'], rows.map((r) => [r.name, String(r.services)])));
    return ExitCode.ok;
  },
};

const services: Subcommand = {
  name: 'stack services',
  summary: 'List the services of a stack with running / desired tasks',
  usage: 'STACK',
  flags: [
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'table or json', default: 'table' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only IDs' },
  ],
  async run(context) {
    const stack = oneStack(context);
    const engine = await context.engine();
    await requireManager(engine.swarm);
    const list = await engine.swarm.listServices([stackFilter(stack)]);
    if (list.length === 0) throw new UsageError(`nothing found in stack ${stack}`, 'tscompose stack ls lists the stacks');
    const tasks = await engine.swarm.listTasks({ labels: [stackFilter(stack)] });
    const rows = serviceRows(list, tasks, Date.now());
    if (flagBoolean(context.flags, 'quiet')) for (const r of rows) context.ui.out(r.id);
    else if (flagChoice(context.flags, 'format', ['table', 'json'] as const, 'table') === 'json') {
      context.ui.out(JSON.stringify(rows.map((r) => ({ ID: r.id, Name: r.name, Mode: r.mode, Replicas: r.replicas, Image: r.image, Ports: r.ports }))));
    } else {
      context.ui.out(formatTable(['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'], rows.map((r) => [r.id.slice(0, 12), r.name, r.mode, r.replicas, r.image, r.ports])));
    }
    return ExitCode.ok;
  },
};

const ps: Subcommand = {
  name: 'stack ps',
  summary: 'List the tasks of a stack',
  usage: 'STACK',
  flags: [
    { name: 'no-trunc', type: 'boolean', description: 'Do not shorten IDs, digests and errors' },
    { name: 'filter', type: 'string', repeat: true, valueName: 'KEY=VALUE', description: 'name, id, node or desired-state' },
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'table or json', default: 'table' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only IDs' },
  ],
  async run(context) {
    const stack = oneStack(context);
    const filters = flagList(context.flags, 'filter').map((f) => {
      const eq = f.indexOf('=');
      const key = f.slice(0, eq);
      if (eq <= 0 || !['name', 'id', 'node', 'desired-state'].includes(key)) {
        throw new UsageError(`unsupported filter "${f}"`, 'use name=, id=, node= or desired-state=');
      }
      return [key, f.slice(eq + 1)] as const;
    });
    const engine = await context.engine();
    await requireManager(engine.swarm);
    const [list, tasks, nodes] = await Promise.all([
      engine.swarm.listServices([stackFilter(stack)]), engine.swarm.listTasks({ labels: [stackFilter(stack)] }), engine.swarm.nodes(),
    ]);
    if (list.length === 0) throw new UsageError(`nothing found in stack ${stack}`, 'tscompose stack ls lists the stacks');
    const rows = filterTasks(taskRows(list, tasks, nodes, Date.now(), flagBoolean(context.flags, 'no-trunc')), filters);
    if (flagBoolean(context.flags, 'quiet')) for (const r of rows) context.ui.out(r.id);
    else if (flagChoice(context.flags, 'format', ['table', 'json'] as const, 'table') === 'json') {
      context.ui.out(JSON.stringify(rows.map((r) => ({
        ID: r.id, Name: r.name, Image: r.image, Node: r.node, DesiredState: r.desiredState, CurrentState: r.currentState, Error: r.error,
      }))));
    } else {
      context.ui.out(formatTable(['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR'],
        rows.map((r) => [r.id, r.name, r.image, r.node, r.desiredState, r.currentState, r.error])));
    }
    return ExitCode.ok;
  },
};

const config: Subcommand = {
  name: 'stack config',
  summary: 'Print the plan a deploy would run, and what Swarm cannot honour (alias of deploy --dry-run)',
  usage: '[STACK]',
  flags: deploy.flags,
  async run(context) {
    return deploy.run({ ...context, global: { ...context.global, dryRun: true } });
  },
};

const TASK_NAMES_REFRESH_MS = 2000;

const logs: Subcommand = {
  name: 'stack logs',
  summary: 'Show the logs of a stack\'s services (all tasks, prefixed service.slot)',
  usage: 'STACK [SERVICE...]',
  flags: [
    { name: 'follow', short: 'f', type: 'boolean', description: 'Keep following' },
    { name: 'tail', short: 'n', type: 'string', valueName: 'N', description: 'Lines from the end of each task\'s log (default: all)' },
    { name: 'since', type: 'string', valueName: 'TIME', description: 'Only lines after a time (2024-01-02T13:23:37Z) or duration (42m)' },
    { name: 'timestamps', short: 't', type: 'boolean', description: 'Show the engine\'s timestamp on each line' },
    { name: 'no-log-prefix', type: 'boolean', description: 'Do not print the task name before each line' },
    { name: 'no-color', type: 'boolean', description: 'Plain prefixes, no colours' },
  ],
  async run(context) {
    const [stack, ...wanted] = context.args;
    if (stack === undefined) throw new UsageError('stack logs needs a STACK', 'tscompose stack ls lists them');
    const rawTail = flagString(context.flags, 'tail');
    if (rawTail !== undefined && rawTail !== 'all' && !/^\d+$/.test(rawTail)) throw new UsageError(`invalid --tail "${rawTail}"`, 'use a number of lines or "all"');
    const tail = rawTail === undefined || rawTail === 'all' ? undefined : Number(rawTail);
    const follow = flagBoolean(context.flags, 'follow');
    const since = flagString(context.flags, 'since');
    const engine = await context.engine();
    await requireManager(engine.swarm);
    const filter = [stackFilter(stack)];
    const all = await engine.swarm.listServices(filter);
    if (all.length === 0) throw new UsageError(`nothing found in stack ${stack}`, 'tscompose stack ls lists the stacks');
    const keyOf = (name: string): string => name.slice(stack.length + 1);
    const unknown = wanted.filter((w) => !all.some((s) => keyOf(s.spec.Name) === w));
    if (unknown.length > 0) {
      throw new UsageError(`no such service in stack ${stack}: ${unknown.join(', ')}`, `the stack has ${all.map((s) => keyOf(s.spec.Name)).sort().join(', ')}`);
    }
    const chosen = all.filter((s) => wanted.length === 0 || wanted.includes(keyOf(s.spec.Name)));
    let names = taskLogNames(stack, all, await engine.swarm.listTasks({ labels: filter }));
    const printer = await context.ui.logPrinter({ prefix: !flagBoolean(context.flags, 'no-log-prefix'), color: !flagBoolean(context.flags, 'no-color') });
    printer.register([...new Set(names.values())]);

    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    context.signal.addEventListener('abort', onAbort, { once: true });
    // Tasks made while following (a restart, an update) get their name at the next refresh.
    const refresh = follow ? setInterval(() => {
      engine.swarm.listTasks({ labels: filter }).then((tasks) => { names = taskLogNames(stack, all, tasks); }, () => undefined);
    }, TASK_NAMES_REFRESH_MS) : undefined;
    try {
      await Promise.all(chosen.map((service) => {
        const tty = ((service.spec['TaskTemplate'] as Record<string, any> | undefined)?.['ContainerSpec']?.['TTY']) === true;
        return engine.swarm.streamServiceLogs(service.id, {
          follow, tty, timestamps: flagBoolean(context.flags, 'timestamps'), signal: stop.signal,
          ...(tail === undefined ? {} : { tail }),
          ...(since === undefined ? {} : { since }),
        }, (line) => printer.line(names.get(line.taskId) ?? `${keyOf(service.spec.Name)}.${line.taskId.slice(0, 12)}`, line.stream, line.text));
      }));
    } finally {
      if (refresh !== undefined) clearInterval(refresh);
      context.signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
    return ExitCode.ok;
  },
};

const SUBCOMMANDS: readonly Subcommand[] = [deploy, remove, ls, services, ps, logs, config];
const ALIASES: Readonly<Record<string, string>> = { up: 'deploy', remove: 'rm', down: 'rm', list: 'ls' };

function oneStack(context: CommandContext): string {
  if (context.args.length !== 1) throw new UsageError('give exactly one STACK', 'tscompose stack ls lists them');
  return context.args[0] as string;
}

function stackHelp(): string {
  return [
    'Usage: tscompose stack COMMAND',
    '',
    'Deploy a compose file to Docker Swarm and manage stacks (names and labels as docker stack writes them).',
    '',
    'Commands:',
    ...SUBCOMMANDS.map((s) => `  ${s.name.slice(6).padEnd(10)} ${s.summary}`),
  ].join('\n');
}

export const stackCommand: CommandDefinition = {
  name: 'stack',
  usage: 'COMMAND [OPTIONS] [ARGS...]',
  flags: [],
  stopAtFirstPositional: true,
  async run(context) {
    const [name, ...rest] = context.args;
    if (name === undefined) {
      context.ui.out(stackHelp());
      return ExitCode.usage;
    }
    const wanted = ALIASES[name] ?? name;
    const sub = SUBCOMMANDS.find((s) => s.name === `stack ${wanted}`);
    if (sub === undefined) {
      const guess = closestMatch(name, SUBCOMMANDS.map((s) => s.name.slice(6)));
      throw new UsageError(`unknown stack command "${name}"`, guess === undefined ? 'tscompose stack --help lists them' : `did you mean "stack ${guess}"?`);
    }
    const specs: FlagSpec[] = [...sub.flags, ...GLOBAL_FLAGS];
    const parsed = parseArgs(rest, specs, { command: sub.name });
    if (parsed.flags['help'] === true) {
      context.ui.out(commandHelp(sub, sub));
      return ExitCode.ok;
    }
    // Global flags may also follow the subcommand; they add to (or override) those before it.
    const files = [...context.global.files, ...flagList(parsed.flags, 'file')];
    const projectName = flagString(parsed.flags, 'project-name') ?? context.global.projectName;
    const envFiles = [...context.global.envFiles, ...flagList(parsed.flags, 'env-file')];
    const profiles = [...context.global.profiles, ...flagList(parsed.flags, 'profile')];
    return sub.run({
      ...context,
      flags: parsed.flags,
      args: parsed.positionals,
      global: { ...context.global, files, envFiles, profiles, projectName, dryRun: context.global.dryRun || flagBoolean(parsed.flags, 'dry-run') },
      loadOptions: { ...context.loadOptions, files, envFiles, profiles, ...(projectName === undefined ? {} : { projectName }) },
    });
  },
};
