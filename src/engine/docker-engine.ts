import { describeAddress, type EngineAddress } from './docker-host.js';
import { DockerContainers } from './docker-containers.js';
import { DockerExec } from './docker-exec.js';
import { DockerImages } from './docker-images.js';
import { DockerNetworks } from './docker-networks.js';
import { DockerSystem } from './docker-system.js';
import { DockerVolumes } from './docker-volumes.js';
import type { Engine, EngineLocks } from './engine.js';
import { EngineHttpClient } from './http-client.js';
import { DockerConfig } from './registry-auth.js';
import type { ProxyVariables } from './proxy-config.js';
import { lockProject } from './project-lock.js';
import { HttpSwarmApi, type SwarmApi } from './swarm-api.js';

/** The Engine API over one HTTP client, one object per kind of resource. */
export class DockerEngine implements Engine {
  readonly endpoint: string;
  readonly socketPath: string | undefined;
  readonly system: DockerSystem;
  readonly containers: DockerContainers;
  readonly exec: DockerExec;
  readonly images: DockerImages;
  readonly networks: DockerNetworks;
  readonly volumes: DockerVolumes;
  readonly swarm: SwarmApi;
  readonly locks: EngineLocks;
  private readonly dockerConfig: DockerConfig;
  private readonly address: EngineAddress;

  /**
   * `dockerConfigDir`: where config.json holds registry credentials (DOCKER_CONFIG or ~/.docker);
   * `digestCacheDir`: where build-context digests are kept between runs.
   */
  constructor(address: EngineAddress, options: { readonly dockerConfigDir?: string; readonly digestCacheDir?: string } = {}) {
    this.endpoint = describeAddress(address);
    this.socketPath = address.kind === 'unix' ? address.socketPath : undefined;
    const http = new EngineHttpClient(address);
    this.system = new DockerSystem(http);
    this.containers = new DockerContainers(http, address);
    this.exec = new DockerExec(http, address);
    const dockerConfig = new DockerConfig(options.dockerConfigDir);
    this.dockerConfig = dockerConfig;
    this.address = address;
    this.images = new DockerImages(http, dockerConfig, () => this.proxyVariables(), options.digestCacheDir);
    this.networks = new DockerNetworks(http);
    this.volumes = new DockerVolumes(http);
    this.swarm = new HttpSwarmApi(http, dockerConfig);
    const endpoint = this.endpoint;
    this.locks = { project: (name, options) => lockProject(endpoint, name, options) };
  }

  clientConfig(): Promise<string> {
    return this.dockerConfig.clientConfig();
  }

  proxyVariables(): Promise<ProxyVariables> {
    return this.dockerConfig.proxies(this.address.display);
  }
}
