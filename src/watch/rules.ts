import { posix } from 'node:path';
import { splitShellWords } from '../config/shell-split.js';
import { ConfigError } from '../errors.js';
import type { Project, Service, ServiceHook, WatchAction, WatchTrigger } from '../model/project.js';
import { anyOf, defaultIgnores, dockerPatternMatcher, pathBelow, type PathMatcher } from './ignore-rules.js';

/** A `develop.watch` rule, checked and ready to match host paths. */
export interface WatchRule {
  readonly service: string;
  /** Its position in the service's `develop.watch` list, for messages. */
  readonly index: number;
  readonly action: WatchAction;
  /** Absolute host path. */
  readonly path: string;
  /** Absolute container path for the sync actions. */
  readonly target?: string;
  readonly exec?: ServiceHook;
  readonly initialSync: boolean;
  readonly ignored: PathMatcher;
  /** Only these paths (all when the rule has no `include`). */
  readonly included: PathMatcher;
}

/** A changed host path and where it goes in the container. */
export interface PathMapping {
  readonly hostPath: string;
  /** Absolute container path; only for the sync actions. */
  readonly containerPath?: string;
}

export const SYNC_ACTIONS: ReadonlySet<WatchAction> = new Set(['sync', 'sync+restart', 'sync+exec']);

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

const truthy = (value: boolean | string | undefined): boolean => value === true || (typeof value === 'string' && /^(true|yes|1)$/i.test(value));

function execHook(trigger: WatchTrigger): ServiceHook | undefined {
  if (trigger.exec === undefined) return undefined;
  const { command, ...rest } = trigger.exec;
  return { ...rest, command: typeof command === 'string' ? splitShellWords(command) : command };
}

/** What watching a service needs besides its rules: the patterns of its build context's .dockerignore. */
export interface ServiceWatchInputs {
  readonly service: string;
  readonly definition: Service;
  /** Lines of `<Dockerfile>.dockerignore` or `.dockerignore` in the build context, when there is one. */
  readonly dockerignore?: readonly string[];
}

/**
 * The checked rules of one service. Refuses what Compose refuses (rebuild without a build section,
 * sync without a target, sync+exec without a command); `warn` gets the rules that are skipped.
 */
export function serviceWatchRules(inputs: ServiceWatchInputs, warn: (message: string) => void): WatchRule[] {
  const { service, definition } = inputs;
  const triggers = definition.develop?.watch ?? [];
  const context = definition.build?.context;
  const fromDockerignore = context === undefined || inputs.dockerignore === undefined
    ? () => false
    : dockerPatternMatcher(context, inputs.dockerignore);
  const rules: WatchRule[] = [];
  triggers.forEach((trigger, index) => {
    const keyPath = `services.${service}.develop.watch[${index}]`;
    const fail = (message: string, hint: string): never => {
      throw new ConfigError(message, { keyPath, hint });
    };
    if (trigger.action === 'rebuild' && definition.build === undefined) {
      fail(`service "${service}" watches with action rebuild but has no build section`, 'add build: to the service, or use another action');
    }
    if (SYNC_ACTIONS.has(trigger.action) && (trigger.target === undefined || trigger.target === '')) {
      fail(`action ${trigger.action} needs a target (where the files go in the container)`, 'add target: /path/in/container to the rule');
    }
    if (trigger.target !== undefined && !trigger.target.startsWith('/')) {
      fail(`target "${trigger.target}" is not an absolute container path`, 'write the target as an absolute path, for example /app');
    }
    const exec = execHook(trigger);
    if (trigger.action === 'sync+exec' && (exec === undefined || exec.command.length === 0)) {
      fail('action sync+exec needs exec.command', 'add exec: { command: [...] } to the rule');
    }
    if (SYNC_ACTIONS.has(trigger.action) && boundBelow(definition, trigger.path)) {
      warn(`${keyPath}: ${trigger.path} is also bind-mounted into "${service}"; it is not synced (the mount already shares it)`);
      return;
    }
    const path = trigger.path;
    const includes = list(trigger.include);
    rules.push({
      service,
      index,
      action: trigger.action,
      path,
      ...(trigger.target === undefined ? {} : { target: posix.normalize(trigger.target) }),
      ...(exec === undefined ? {} : { exec }),
      initialSync: truthy(trigger.initial_sync) || truthy(trigger['x-initialSync' as keyof WatchTrigger] as boolean | string | undefined),
      ignored: anyOf([defaultIgnores(path), fromDockerignore, dockerPatternMatcher(path, list(trigger.ignore))]),
      included: includes.length === 0 ? () => true : includedBy(path, includes),
    });
  });
  return rules;
}

// `include` uses the same pattern rules as `ignore`, relative to the rule's path.
function includedBy(root: string, patterns: readonly string[]): PathMatcher {
  const matches = dockerPatternMatcher(root, patterns);
  return (hostPath) => hostPath === root || matches(hostPath);
}

function boundBelow(service: Service, path: string): boolean {
  return service.volumes.some((v) => v.type === 'bind' && v.source !== undefined && pathBelow(v.source, path) !== undefined);
}

/** Where a changed path goes under a rule; undefined when the rule does not cover it. */
export function matchRule(rule: WatchRule, hostPath: string): PathMapping | undefined {
  const rel = pathBelow(rule.path, hostPath);
  if (rel === undefined || !rule.included(hostPath) || rule.ignored(hostPath)) return undefined;
  if (rule.target === undefined) return { hostPath };
  return { hostPath, containerPath: rel === '' ? rule.target : posix.join(rule.target, rel) };
}

/** The services that have watch rules, among those selected (all when none are named). */
export function watchedServices(project: Project, selected: readonly string[]): string[] {
  const names = selected.length === 0 ? Object.keys(project.services) : selected;
  return names.filter((name) => (project.services[name]?.develop?.watch ?? []).length > 0);
}
