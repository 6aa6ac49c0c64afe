import { Label } from '../model/labels.js';
import { containerName, oneoffContainerName } from '../model/naming.js';
import type { Project, Service } from '../model/project.js';
import type { ProxyVariables } from '../model/proxy-variables.js';
import { buildContainerSpec, type ContainerSpec } from './container-spec.js';

/**
 * The create request of a one-off container (`run`, `test --service`): the service as given,
 * named `<project>-<service>-run-<slug12>` unless `name`, with the oneoff and slug labels and no
 * container number; network aliases only with `useAliases` (Compose gives one-offs none).
 */
export function oneoffContainerSpec(
  project: Project,
  serviceName: string,
  service: Service,
  options: { readonly slug: string; readonly name?: string; readonly useAliases: boolean; readonly seccompProfiles?: ReadonlyMap<string, string>; readonly proxyEnvironment?: ProxyVariables },
): ContainerSpec {
  const name = options.name ?? oneoffContainerName(project.name, serviceName, options.slug, project.name_separator);
  const spec = buildContainerSpec({
    project: { ...project, services: { ...project.services, [serviceName]: service } },
    service: serviceName,
    number: 1,
    name,
    imageId: undefined,
    serviceContainer: (s) => project.services[s]?.container_name ?? containerName(project.name, s, 1, project.name_separator),
    ...(options.seccompProfiles === undefined ? {} : { seccompProfiles: options.seccompProfiles }),
    ...(options.proxyEnvironment === undefined ? {} : { proxyEnvironment: options.proxyEnvironment }),
  });
  const labels: Record<string, string> = { ...spec.body.Labels, [Label.oneoff]: 'True', [Label.slug]: options.slug };
  delete labels[Label.containerNumber];
  const networking = spec.body['NetworkingConfig'] as { EndpointsConfig: Record<string, Record<string, unknown>> } | undefined;
  const endpoints = networking === undefined
    ? undefined
    : Object.fromEntries(Object.entries(networking.EndpointsConfig).map(([net, config]) =>
      [net, options.useAliases ? config : { ...config, Aliases: [] }]));
  return {
    name,
    body: { ...spec.body, Labels: labels, ...(endpoints === undefined ? {} : { NetworkingConfig: { EndpointsConfig: endpoints } }) },
    extraNetworks: spec.extraNetworks.map((extra) => (options.useAliases ? extra : { ...extra, config: { ...extra.config, Aliases: [] } })),
    ...(spec.platform === undefined ? {} : { platform: spec.platform }),
  };
}
