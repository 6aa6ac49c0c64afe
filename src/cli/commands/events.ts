import { ExitCode, UsageError } from '../../errors.js';
import { engineTimestamp } from '../../model/engine-time.js';
import { Label, projectFilter } from '../../model/labels.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean, flagString } from '../flag-values.js';
import { loadProjectOrName } from '../load-project.js';
import { checkServices } from '../check-services.js';

function isoNano(timeNano: number): string {
  const ms = Math.floor(timeNano / 1e6);
  const nanos = String(Math.trunc(timeNano % 1e9)).padStart(9, '0');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${nanos}Z`);
}

export const eventsCommand: CommandDefinition = {
  name: 'events',
  usage: '[SERVICE...]',
  flags: [
    { name: 'json', type: 'boolean', description: 'One JSON object per line' },
    { name: 'since', type: 'string', valueName: 'TIME', description: 'Past events from this time too: Unix seconds, 2024-01-02T13:23:37Z or a duration (42m)' },
    { name: 'until', type: 'string', valueName: 'TIME', description: 'Stop at this time (same forms as --since)' },
  ],
  async run(context) {
    const window = Object.fromEntries((['since', 'until'] as const).flatMap((key) => {
      const raw = flagString(context.flags, key);
      if (raw === undefined) return [];
      const stamp = engineTimestamp(raw, Date.now());
      if (stamp === undefined) throw new UsageError(`invalid --${key} "${raw}"`, 'use Unix seconds, an RFC 3339 time (2024-01-02T13:23:37Z) or a duration (42m)');
      return [[key, stamp]];
    })) as { since?: string; until?: string };
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, context.args);
    const json = flagBoolean(context.flags, 'json');
    const engine = await context.engine();
    for await (const e of engine.system.events({ type: ['container'], label: [projectFilter(name)] }, context.signal, window)) {
      const service = e.attributes[Label.service] ?? '';
      if (context.args.length > 0 && !context.args.includes(service)) continue;
      const attributes = Object.fromEntries(Object.entries(e.attributes).filter(([k]) => !k.startsWith('com.docker.compose.') && !k.startsWith('io.tscompose.')));
      if (json) {
        context.ui.out(JSON.stringify({ time: isoNano(e.timeNano), type: 'container', action: e.action, id: e.id, service, attributes }));
      } else {
        const attrs = Object.entries(attributes).map(([k, v]) => `${k}=${v}`).join(', ');
        context.ui.out(`${isoNano(e.timeNano)} container ${e.action} ${e.id} (${attrs})`);
      }
    }
    return ExitCode.ok;
  },
};
