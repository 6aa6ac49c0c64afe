import { ExitCode } from '../../errors.js';
import { Label, projectFilter } from '../../model/labels.js';
import type { CommandDefinition } from '../command.js';
import { flagBoolean } from '../flag-values.js';
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
  flags: [{ name: 'json', type: 'boolean', description: 'One JSON object per line' }],
  async run(context) {
    const { name, project } = await loadProjectOrName(context);
    checkServices(project, context.args);
    const json = flagBoolean(context.flags, 'json');
    const engine = await context.engine();
    for await (const e of engine.system.events({ type: ['container'], label: [projectFilter(name)] }, context.signal)) {
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
