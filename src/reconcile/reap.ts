import type { ContainerSummary, Engine, NetworkSummary, VolumeSummary } from '../engine/engine.js';
import { UsageError } from '../errors.js';
import type { EventSink } from '../model/events.js';
import { ENGINE_LABEL_VALUE, Label } from '../model/labels.js';
import { takeDown } from './take-down.js';

export interface ReapCriteria {
  /** Projects whose name starts with this. */
  readonly prefix?: string;
  /** Projects whose newest container was created longer ago than this. */
  readonly olderThanMs?: number;
  /** Also projects that another tool (Docker Compose) made. */
  readonly allTools: boolean;
}

export interface EngineInventory {
  readonly containers: readonly ContainerSummary[];
  readonly networks: readonly NetworkSummary[];
  readonly volumes: readonly VolumeSummary[];
}

export interface ReapTarget {
  readonly project: string;
  readonly containers: number;
  readonly networks: number;
  readonly volumes: number;
  /** Why it was picked: `name starts with tsct-, newest container 2h old`. */
  readonly reason: string;
}

function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.floor(ms / 1000)}s`;
  if (minutes < 120) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h`;
}

/**
 * Pure: the projects to remove. A project matches when every criterion given holds; one whose age
 * cannot be told (no containers left) never matches an age; one with no tscompose label on its
 * containers is left alone unless `allTools`.
 */
export function selectReapTargets(inventory: EngineInventory, criteria: ReapCriteria, now: number): ReapTarget[] {
  if (criteria.prefix === undefined && criteria.olderThanMs === undefined) {
    throw new UsageError('cleanup needs a name prefix, an age or both', 'e.g. --older-than 1h --prefix tsct-');
  }
  const projectOf = (labels: Readonly<Record<string, string>>): string | undefined => labels[Label.project] || undefined;
  const names = new Set([...inventory.containers, ...inventory.networks, ...inventory.volumes].flatMap((r) => projectOf(r.labels) ?? []));
  const targets: ReapTarget[] = [];
  for (const project of [...names].sort()) {
    const containers = inventory.containers.filter((c) => projectOf(c.labels) === project);
    const ours = containers.length > 0 && containers.every((c) => c.labels[Label.engine] === ENGINE_LABEL_VALUE);
    if (!ours && !criteria.allTools) continue;
    const reasons: string[] = [];
    if (criteria.prefix !== undefined) {
      if (!project.startsWith(criteria.prefix)) continue;
      reasons.push(`name starts with ${criteria.prefix}`);
    }
    if (criteria.olderThanMs !== undefined) {
      if (containers.length === 0) continue;
      const age = now - Math.max(...containers.map((c) => c.created * 1000));
      if (age < criteria.olderThanMs) continue;
      reasons.push(`newest container ${formatAge(age)} old`);
    }
    targets.push({
      project,
      containers: containers.length,
      networks: inventory.networks.filter((n) => projectOf(n.labels) === project).length,
      volumes: inventory.volumes.filter((v) => projectOf(v.labels) === project).length,
      reason: reasons.join(', '),
    });
  }
  return targets;
}

export async function readInventory(engine: Engine): Promise<EngineInventory> {
  const [containers, networks, volumes] = await Promise.all([
    engine.containers.list({ all: true, labels: [Label.project] }),
    engine.networks.list([Label.project]),
    engine.volumes.list([Label.project]),
  ]);
  return { containers, networks, volumes };
}

/**
 * The reaper: removes every matching project's containers (one-offs too), networks and volumes,
 * found by label, one project after another. With `dryRun` it only says which.
 */
export async function reapProjects(
  engine: Engine,
  criteria: ReapCriteria,
  options: { readonly sink: EventSink; readonly dryRun: boolean; readonly now: number },
): Promise<ReapTarget[]> {
  const targets = selectReapTargets(await readInventory(engine), criteria, options.now);
  if (options.dryRun) return targets;
  for (const target of targets) {
    await takeDown(engine, target.project, undefined, {
      removeVolumes: true,
      removeOrphans: true,
      timeout: 0,
      removeImages: 'none',
      sink: options.sink,
    });
  }
  return targets;
}
