import type { WatchReport } from '../watch/watch-session.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The terminal's line for one watch report, and whether it is a warning; undefined prints nothing. */
export function watchLine(report: WatchReport): { readonly text: string; readonly warning: boolean } | undefined {
  const line = (text: string, warning = false): { text: string; warning: boolean } => ({ text, warning });
  switch (report.kind) {
    case 'syncing':
      return line(report.initial
        ? `Syncing "${report.service}" (initial sync)`
        : `Syncing "${report.service}" after ${plural(report.changes, 'change was', 'changes were')} detected`);
    case 'synced':
      return undefined;
    case 'rebuilding':
      return line(`Rebuilding ${report.services.map((s) => `"${s}"`).join(', ')}`);
    case 'rebuilt':
      return line(`Rebuilt ${report.services.map((s) => `"${s}"`).join(', ')}; containers recreated`);
    case 'restarting':
      return line(`Restarting "${report.service}"`);
    case 'exec': {
      const output = report.output.trimEnd();
      const head = `Ran "${report.command.join(' ')}" in ${report.container} (exit code ${report.exitCode})`;
      return line(output === '' ? head : `${head}:\n${output}`, report.exitCode !== 0);
    }
    case 'pruned':
      return line(`Removed dangling ${report.images.length === 1 ? 'image' : 'images'} ${report.images.map((i) => i.replace(/^sha256:/, '').slice(0, 12)).join(', ')}`);
    case 'large-batch':
      return line(`${report.changes} changes at once (a branch switch?): handling them as one batch`);
    case 'failed':
      return line(`Could not ${report.action} "${report.service}": ${report.message}`, true);
  }
}
