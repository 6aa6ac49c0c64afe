import type { Project, Service } from '../model/project.js';
import { buildRequestFor, type BuildOverrides } from './build-request.js';
import { serviceImage } from '../model/naming.js';

/**
 * `build --print`: what each build would be, in the shape of a bake file (as Compose prints it):
 * a default group and one target per service. Secrets show their source, never their value.
 */
export function buildDefinitions(project: Project, services: readonly string[], overrides: BuildOverrides): Record<string, unknown> {
  const targets: Record<string, unknown> = {};
  for (const name of [...services].sort()) {
    const service = project.services[name] as Service | undefined;
    const build = service?.build;
    if (build === undefined) continue;
    const request = buildRequestFor(project, name, serviceImage(project, name), undefined, overrides);
    const secrets = (build.secrets ?? []).map((ref) => {
      const declared = Object.hasOwn(project.secrets ?? {}, ref.source) ? project.secrets[ref.source] : undefined;
      const id = ref.target ?? ref.source;
      return declared?.file !== undefined ? `id=${id},src=${declared.file}` : `id=${id},env=${declared?.environment ?? ''}`;
    });
    const target: Record<string, unknown> = {
      context: build.context,
      dockerfile: build.dockerfile ?? 'Dockerfile',
      ...(build.dockerfile_inline === undefined ? {} : { 'dockerfile-inline': build.dockerfile_inline }),
      args: request.args,
      labels: build.labels ?? {},
      tags: request.tags,
      ...(request.target === undefined ? {} : { target: request.target }),
      // A service: context is another target of the same bake file, as Compose prints it.
      ...(build.additional_contexts === undefined ? {} : {
        contexts: Object.fromEntries(Object.entries(build.additional_contexts).map(([k, v]) => [k, v.startsWith('service:') ? `target:${v.slice('service:'.length)}` : v])),
      }),
      ...(build.cache_from === undefined ? {} : { 'cache-from': build.cache_from }),
      ...(build.cache_to === undefined ? {} : { 'cache-to': build.cache_to }),
      ...(build.network === undefined ? {} : { network: build.network }),
      ...(build.platforms === undefined ? {} : { platforms: build.platforms }),
      ...(secrets.length === 0 ? {} : { secret: secrets }),
      ...((request.ssh ?? []).length === 0 ? {} : { ssh: (request.ssh ?? []).map((s) => (s.paths.length === 0 ? s.id : `${s.id}=${s.paths.join(',')}`)) }),
      ...(request.pull ? { pull: true } : {}),
      ...(request.noCache ? { 'no-cache': true } : {}),
      ...(request.shmSize === undefined ? {} : { 'shm-size': String(request.shmSize) }),
      ...(request.extraHosts.length === 0 ? {} : { 'extra-hosts': request.extraHosts }),
    };
    targets[name] = target;
  }
  return { group: { default: { targets: Object.keys(targets) } }, target: targets };
}
