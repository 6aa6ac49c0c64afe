import type { PlanNode, PlanOperation } from './plan-types.js';

const SHORT_OPERATION: Readonly<Record<PlanOperation['type'], string>> = {
  'create-network': 'create',
  'remove-network': 'remove',
  'create-volume': 'create',
  'remove-volume': 'remove',
  'pull-image': 'pull',
  'build-image': 'build',
  'push-image': 'push',
  'remove-image': 'remove',
  'create-container': 'create',
  'start-container': 'start',
  'stop-container': 'stop',
  'remove-container': 'remove',
  'rename-container': 'rename',
  'kill-container': 'kill',
  'pause-container': 'pause',
  'unpause-container': 'unpause',
  'restart-container': 'restart',
  'copy-files': 'copy',
  'connect-network': 'connect',
  'disconnect-network': 'disconnect',
  'exec-hook': 'hook',
  'run-pre-start-hook': 'pre_start',
};

/** Collects plan nodes in a stable order; ids are `<resource>#<verb>` (with a suffix when repeated). */
export class PlanBuilder {
  private readonly nodes: PlanNode[] = [];
  private readonly ids = new Set<string>();
  readonly warnings: string[] = [];

  add(
    resource: string,
    display: string,
    operation: PlanOperation,
    cause: string,
    dependsOn: readonly (string | undefined)[] = [],
    verb: string = SHORT_OPERATION[operation.type],
  ): string {
    let id = `${resource}#${verb}`;
    for (let n = 2; this.ids.has(id); n++) id = `${resource}#${verb}-${n}`;
    this.ids.add(id);
    const deps = [...new Set(dependsOn.filter((d): d is string => d !== undefined))];
    this.nodes.push({ id, resource, display, operation, dependsOn: deps, cause });
    return id;
  }

  build(): { nodes: readonly PlanNode[]; warnings: readonly string[] } {
    return { nodes: [...this.nodes], warnings: [...this.warnings] };
  }
}
