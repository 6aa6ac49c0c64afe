import type { DependencyCondition, DependsOn } from './project.js';

const CONDITIONS: readonly string[] = ['service_started', 'service_healthy', 'service_completed_successfully'];

/**
 * The `com.docker.compose.depends_on` label, as Compose writes it: `name:condition:restart`
 * entries, comma-separated, sorted by name.
 */
export function formatDependsOnLabel(dependsOn: Readonly<Record<string, DependsOn>>): string {
  return Object.entries(dependsOn)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, d]) => `${name}:${d.condition}:${d.restart}`)
    .join(',');
}

/**
 * Reads the label back. An unknown condition reads as service_started; a fourth field, when
 * present, says whether the dependency is required.
 */
export function parseDependsOnLabel(text: string): Record<string, DependsOn> {
  // fromEntries makes own properties, even for a service named __proto__.
  return Object.fromEntries(text.split(',').filter((e) => e !== '').map((entry) => {
    const [dep = '', condition = 'service_started', restart = 'false', required = 'true'] = entry.split(':');
    const parsed: DependsOn = {
      condition: (CONDITIONS.includes(condition) ? condition : 'service_started') as DependencyCondition,
      restart: restart === 'true',
      required: required !== 'false',
    };
    return [dep, parsed];
  }));
}
