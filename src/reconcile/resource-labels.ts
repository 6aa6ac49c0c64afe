import { COMPOSE_VERSION_LABEL, Label, belongsToProject } from '../model/labels.js';

export type ResourceKind = 'network' | 'volume';

/** The labels Compose puts on the networks and volumes it creates. */
export function resourceLabels(project: string, kind: ResourceKind, key: string): Record<string, string> {
  return {
    [Label.project]: project,
    [kind === 'network' ? Label.network : Label.volume]: key,
    [Label.version]: COMPOSE_VERSION_LABEL,
  };
}

/** Whether a network or volume was created by this project for this key. */
export function ownedBy(labels: Readonly<Record<string, string>>, project: string, kind: ResourceKind, key: string): boolean {
  return belongsToProject(labels, project) && labels[kind === 'network' ? Label.network : Label.volume] === key;
}
