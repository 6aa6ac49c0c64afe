import { stringify } from 'yaml';
import type { Project, Service } from '../model/project.js';

/** Every image a service runs: its `image:` and the sources of its `type: image` mounts. */
export function serviceImages(project: Project): string[] {
  const images = new Set<string>();
  for (const service of Object.values(project.services)) {
    if (service.image !== undefined) images.add(service.image);
    for (const mount of service.volumes) if (mount.type === 'image' && mount.source !== undefined) images.add(mount.source);
  }
  return [...images];
}

function pinService(service: Service, pinned: ReadonlyMap<string, string>): Service {
  const at = (ref: string): string => pinned.get(ref) ?? ref;
  return {
    ...service,
    ...(service.image === undefined ? {} : { image: at(service.image) }),
    volumes: service.volumes.map((m) => (m.type === 'image' && m.source !== undefined ? { ...m, source: at(m.source) } : m)),
  };
}

/** The project with each image replaced by its pinned reference (`config --resolve-image-digests`). */
export function withImagesPinned(project: Project, pinned: ReadonlyMap<string, string>): Project {
  const services: Record<string, Service> = {};
  for (const [name, service] of Object.entries(project.services)) services[name] = pinService(service, pinned);
  return { ...project, services };
}

/**
 * What `config --lock-image-digests` prints, as Compose does: an override file that holds, per
 * service, only its image and its `type: image` mounts, to be given with `-f` after the others.
 */
export function lockDocument(project: Project): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const name of Object.keys(project.services).sort()) {
    const service = project.services[name]!;
    const mounts = service.volumes.filter((m) => m.type === 'image');
    services[name] = {
      ...(service.image === undefined ? {} : { image: service.image }),
      ...(mounts.length === 0 ? {} : { volumes: mounts }),
    };
  }
  return { services };
}

export function formatLockDocument(project: Project, format: 'yaml' | 'json'): string {
  const document = lockDocument(project);
  return format === 'json' ? JSON.stringify(document, null, 2) : stringify(document, { lineWidth: 0 }).trimEnd();
}
