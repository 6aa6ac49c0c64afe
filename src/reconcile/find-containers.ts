import type { ContainerSummary, Engine } from '../engine/engine.js';
import { RuntimeError } from '../errors.js';
import { Label, belongsToProject, containerNumberOf, isOneoff, projectFilter, serviceFilter } from '../model/labels.js';
import { byName } from '../model/name-order.js';

const numberOf = (c: ContainerSummary): number => containerNumberOf(c.labels);

/** The project's service containers (not one-offs, nor hook containers), optionally of some services, sorted by name. */
export async function listServiceContainers(
  engine: Engine,
  projectName: string,
  options: { readonly services?: readonly string[]; readonly all: boolean; readonly index?: number; readonly oneoff?: boolean },
): Promise<ContainerSummary[]> {
  const services = options.services ?? [];
  return (await engine.containers.list({ all: options.all, labels: [projectFilter(projectName)] }))
    .filter((c) => options.oneoff === true || !isOneoff(c.labels))
    .filter((c) => c.labels[Label.hook] === undefined)
    .filter((c) => services.length === 0 || services.includes(c.labels[Label.service] ?? ''))
    .filter((c) => options.index === undefined || numberOf(c) === options.index)
    .sort(byName);
}

/**
 * The container `exec`, `port`, `attach` act on: the given replica, else the lowest-numbered running
 * one, service containers before one-off ones.
 */
export async function pickServiceContainer(
  engine: Engine,
  projectName: string,
  service: string,
  index: number | undefined,
  options: { readonly running: boolean } = { running: true },
): Promise<ContainerSummary> {
  const candidates = (await engine.containers.list({ all: !options.running, labels: [projectFilter(projectName), serviceFilter(service)] }))
    .filter((c) => belongsToProject(c.labels, projectName))
    .sort((a, b) => Number(isOneoff(a.labels)) - Number(isOneoff(b.labels)) || numberOf(a) - numberOf(b));
  const found = index === undefined ? candidates[0] : candidates.find((c) => !isOneoff(c.labels) && numberOf(c) === index);
  if (found === undefined) {
    throw new RuntimeError(
      index === undefined ? `service "${service}" is not running` : `service "${service}" has no running container with index ${index}`,
      `start it first: tscompose up -d ${service}`,
    );
  }
  return found;
}
