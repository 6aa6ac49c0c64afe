import type { Locator } from './locator.js';
import { configErrorAt } from './config-error.js';
import { isMapping, sortedKeys, type Mapping } from './tree.js';

export interface ProfileSelection {
  readonly enabled: readonly string[];
  readonly disabled: readonly string[];
  /** The active profiles, with those of services named on the command line added. */
  readonly profiles: readonly string[];
}

function profilesOf(service: unknown): string[] {
  const profiles = isMapping(service) ? service['profiles'] : undefined;
  return Array.isArray(profiles) ? profiles.filter((p): p is string => typeof p === 'string') : [];
}

/**
 * A service without profiles is always on; one with profiles is on when one of them is active
 * (`*` activates all). Naming a service turns it on and activates its profiles.
 */
export function selectByProfiles(services: Mapping, active: readonly string[], named: readonly string[] = []): ProfileSelection {
  const profiles = new Set(active);
  for (const name of named) for (const p of profilesOf(services[name])) profiles.add(p);
  const all = profiles.has('*');
  const enabled: string[] = [];
  const disabled: string[] = [];
  for (const name of sortedKeys(services)) {
    const own = profilesOf(services[name]);
    const on = own.length === 0 || all || named.includes(name) || own.some((p) => profiles.has(p));
    (on ? enabled : disabled).push(name);
  }
  return { enabled, disabled, profiles: [...profiles].sort() };
}

/**
 * Drops dependencies on disabled services that are `required: false` (with a warning) and refuses
 * the others. Returns the services to run, changed where a dependency was dropped.
 */
export function checkProfileDependencies(
  services: Mapping,
  selection: ProfileSelection,
  locator: Locator | undefined,
  warnings: string[],
): Mapping {
  const disabled = new Set(selection.disabled);
  const out: Mapping = {};
  for (const name of selection.enabled) {
    const service = services[name] as Mapping;
    const dependsOn = isMapping(service['depends_on']) ? service['depends_on'] : {};
    let kept: Mapping | undefined;
    for (const dep of sortedKeys(dependsOn)) {
      if (!disabled.has(dep)) continue;
      const entry = dependsOn[dep];
      if (isMapping(entry) && entry['required'] === false) {
        warnings.push(`service "${name}" depends on "${dep}", which is disabled by profiles; the optional dependency is skipped`);
        kept ??= { ...dependsOn };
        delete kept[dep];
        continue;
      }
      const needed = profilesOf(services[dep]);
      throw configErrorAt(
        locator,
        ['services', name, 'depends_on', dep],
        `service "${name}" depends on "${dep}", which is not enabled by the active profiles`,
        `activate ${needed.length === 1 ? 'the profile' : 'one of the profiles'} ${needed.map((p) => `"${p}"`).join(', ')} (--profile or COMPOSE_PROFILES), or mark the dependency required: false`,
      );
    }
    out[name] = kept === undefined ? service : { ...service, depends_on: kept };
  }
  return out;
}

/**
 * The services a command runs: all enabled ones when none is named, else the named ones and what
 * they depend on, transitively (Compose's WithSelectedServices). `services` are the enabled ones,
 * their implied dependencies already in `depends_on`.
 */
export function servicesToRun(services: Mapping, named: readonly string[]): Set<string> {
  if (named.length === 0) return new Set(Object.keys(services));
  const out = new Set<string>();
  const todo = [...named];
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    if (out.has(name) || !Object.hasOwn(services, name)) continue;
    out.add(name);
    const service = services[name];
    const dependsOn = isMapping(service) && isMapping(service['depends_on']) ? service['depends_on'] : {};
    todo.push(...Object.keys(dependsOn));
  }
  return out;
}
