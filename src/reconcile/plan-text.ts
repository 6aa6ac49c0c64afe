import type { Plan, PlanNode } from './plan-types.js';

function verb(node: PlanNode): string {
  return node.id.slice(node.id.indexOf('#') + 1);
}

/**
 * One line per step, in plan order: `<resource> <verb> (<cause>) [after <ids>]`. Stable text, so
 * unit tests compare it and `--dry-run` prints it.
 */
export function formatPlan(plan: Plan): string {
  if (plan.nodes.length === 0) return 'nothing to do';
  const width = Math.max(...plan.nodes.map((n) => n.resource.length));
  return plan.nodes
    .map((n) => {
      const after = n.dependsOn.length > 0 ? `  after ${n.dependsOn.join(', ')}` : '';
      return `${n.resource.padEnd(width)}  ${verb(n).padEnd(7)} ${n.cause}${after}`;
    })
    .join('\n');
}
