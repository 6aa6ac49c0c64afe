import type { DependsOn, Project, Service } from '../../src/model/project.js';
import type { ObservedContainer, Snapshot } from '../../src/reconcile/actual.js';
import { observeContainer } from '../../src/reconcile/actual.js';
import type { ContainerSummary, ImageSummary } from '../../src/engine/engine.js';
import { containerLabels } from '../../src/reconcile/container-spec.js';
import { containerName } from '../../src/model/naming.js';

/** A canonical service with the defaults the loader fills in. */
export function service(partial: Partial<Service> & { depends?: readonly string[] } = {}): Service {
  const { depends, ...rest } = partial;
  const depends_on: Record<string, DependsOn> = {};
  for (const d of depends ?? []) depends_on[d] = { condition: 'service_started', required: true, restart: false };
  return {
    image: 'tscompose/busybox:1',
    environment: {},
    labels: {},
    ports: [],
    volumes: [],
    networks: { default: null },
    depends_on,
    ...rest,
  };
}

export function project(name: string, services: Record<string, Service>, extra: Partial<Project> = {}): Project {
  return {
    name,
    working_dir: `/work/${name}`,
    config_files: [`/work/${name}/compose.yaml`],
    env_files: [],
    environment: {},
    services,
    disabled_services: {},
    networks: { default: { name: `${name}_default` } },
    volumes: {},
    secrets: {},
    configs: {},
    profiles: [],
    ...extra,
  };
}

const IMAGE_ID = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';

/** A container as the engine would list it, made from the service as it is now (so: up to date). */
export function runningContainer(
  p: Project,
  serviceName: string,
  number: number,
  overrides: {
    state?: ContainerSummary['state']; service?: Service; id?: string; networks?: string[]; networkIds?: Record<string, string>; labels?: Record<string, string>;
  } = {},
): ObservedContainer {
  const svc = overrides.service ?? (p.services[serviceName] as Service);
  const name = containerName(p.name, serviceName, number);
  const labels = {
    ...containerLabels({ project: { ...p, services: { ...p.services, [serviceName]: svc } }, service: serviceName, number, name, imageId: IMAGE_ID, serviceContainer: (s) => s }, svc),
    ...overrides.labels,
  };
  return observeContainer({
    id: overrides.id ?? `${serviceName}${number}`.padEnd(64, '0'),
    name,
    image: svc.image ?? '',
    imageId: IMAGE_ID,
    command: 'sh',
    created: 0,
    state: overrides.state ?? 'running',
    status: 'Up 1 second',
    labels,
    ports: [],
    networks: overrides.networks ?? [`${p.name}_default`],
    networkIds: overrides.networkIds ?? {},
    mounts: [],
  });
}

export function snapshot(p: Project, containers: ObservedContainer[], extra: Partial<Snapshot> = {}): Snapshot {
  const image: ImageSummary = { id: IMAGE_ID, repoTags: ['tscompose/busybox:1'], labels: {}, created: 0, size: 0 };
  return {
    project: p.name,
    containers,
    networks: [{ id: 'n1', name: `${p.name}_default`, driver: 'bridge', labels: { 'com.docker.compose.project': p.name, 'com.docker.compose.network': 'default' } }],
    volumes: [],
    images: new Map([['tscompose/busybox:1', image]]),
    ...extra,
  };
}
