import type { Project, Service } from '../model/project.js';

/** The config that carries the credentials; `#` keeps it apart from any config a file can name. */
export const API_SOCKET_CONFIG = '#apisocket';
const SOCKET_TARGET = '/var/run/docker.sock';
/** Where the engine's host keeps its socket when we reach it over tcp or ssh: Compose assumes this path too. */
const ENGINE_HOST_SOCKET = '/var/run/docker.sock';
const CONFIG_DIR = '/run/secrets/docker';

/**
 * `use_api_socket: true`, as Compose does it (the engine has no such option: the Docker CLI fakes
 * it on the client): the services that ask get the engine's socket bind-mounted at
 * /var/run/docker.sock (the socket we reach the engine through; over tcp or ssh, the engine host's
 * /var/run/docker.sock, the path Compose always mounts) and the user's registry credentials as a config.json under
 * /run/secrets/docker, with DOCKER_CONFIG pointing there unless the service sets it. The result
 * is an ordinary project: plan and apply see a bind mount, a variable and a config with content,
 * and the config hash covers them (not the credentials, which change nothing).
 */
export function withApiSocket(
  project: Project,
  services: readonly string[],
  engine: { readonly socketPath: string | undefined; readonly clientConfig: string },
): Project {
  const asking = services.filter((name) => project.services[name]?.use_api_socket === true);
  if (asking.length === 0) return project;
  const updated: Record<string, Service> = { ...project.services };
  for (const name of asking) {
    const service = project.services[name]!;
    updated[name] = {
      ...service,
      volumes: [...service.volumes, { type: 'bind', source: engine.socketPath ?? ENGINE_HOST_SOCKET, target: SOCKET_TARGET }],
      environment: Object.hasOwn(service.environment, 'DOCKER_CONFIG') ? service.environment : { ...service.environment, DOCKER_CONFIG: CONFIG_DIR },
      configs: [...(service.configs ?? []), { source: API_SOCKET_CONFIG, target: `${CONFIG_DIR}/config.json` }],
    };
  }
  return {
    ...project,
    services: updated,
    configs: { ...project.configs, [API_SOCKET_CONFIG]: { name: `${project.name}_apisocket`, content: engine.clientConfig } },
  };
}
