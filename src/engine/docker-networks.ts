import { EngineError } from '../errors.js';
import type { EndpointConfig, EngineNetworks, NetworkSpec, NetworkSummary } from './engine.js';
import { isStatus, type EngineHttpClient } from './http-client.js';
import { labelFilters, labelsOf, seg, str, type Json } from './json-fields.js';

/** /networks/*. */
export class DockerNetworks implements EngineNetworks {
  constructor(private readonly http: EngineHttpClient) {}

  async list(labels: readonly string[]): Promise<NetworkSummary[]> {
    const list = await this.http.json<Json[]>('GET', '/networks', { query: { filters: labelFilters(labels) } });
    return list.map(toNetwork);
  }

  async find(name: string): Promise<NetworkSummary | undefined> {
    const list = await this.http.json<Json[]>('GET', '/networks', { query: { filters: JSON.stringify({ name: [name] }) } });
    // The name filter matches substrings: keep the exact one.
    const found = list.find((n) => n['Name'] === name);
    return found === undefined ? undefined : toNetwork(found);
  }

  async create(spec: NetworkSpec): Promise<string> {
    const created = await this.http.json<Json>('POST', '/networks/create', { body: networkCreateBody(spec) });
    return str(created['Id']);
  }

  async remove(id: string): Promise<void> {
    try {
      await this.http.json('DELETE', `/networks/${seg(id)}`);
    } catch (error) {
      if (isStatus(error, 404)) return;
      if (isStatus(error, 403) && /active endpoints/.test((error as Error).message)) throw await this.explainActiveEndpoints(id, error as EngineError);
      throw error;
    }
  }

  async endpoints(id: string): Promise<string[]> {
    try {
      const network = await this.http.json<Json>('GET', `/networks/${seg(id)}`);
      return Object.keys((network['Containers'] ?? {}) as Record<string, unknown>);
    } catch (error) {
      if (isStatus(error, 404)) return [];
      throw error;
    }
  }

  async connect(network: string, container: string, endpoint: EndpointConfig): Promise<void> {
    await this.http.json('POST', `/networks/${seg(network)}/connect`, { body: { Container: container, EndpointConfig: endpoint } });
  }

  async disconnect(network: string, container: string, force: boolean): Promise<void> {
    await this.http.json('POST', `/networks/${seg(network)}/disconnect`, { body: { Container: container, Force: force } });
  }

  /**
   * A 403 "has active endpoints" is either a container still attached, or dockerd 20.10's lost
   * endpoint-count decrement (moby/moby#42119): no container left, yet the network can never be removed.
   */
  private async explainActiveEndpoints(id: string, original: EngineError): Promise<EngineError> {
    const network = await this.http.json<Json>('GET', `/networks/${seg(id)}`).catch(() => undefined);
    const name = str(network?.['Name']) || id;
    const attached = Object.values((network?.['Containers'] ?? {}) as Record<string, Json>).map((c) => str(c['Name'])).filter((n) => n !== '');
    if (attached.length > 0) {
      return new EngineError(`network ${name} is still in use by ${attached.sort().join(', ')}`, {
        statusCode: 403,
        hint: 'remove or disconnect those containers (they may belong to another project), then run the command again',
        cause: original,
      });
    }
    return new EngineError(
      `network ${name} cannot be removed: the engine says it has active endpoints, but no container is attached to it ` +
      '(dockerd 20.10 lost an endpoint count while many containers were removed at once: moby/moby#42119)',
      {
        statusCode: 403,
        hint: 'nothing tscompose or docker can do clears this: only restarting dockerd does (e.g. `systemctl restart docker`); ' +
          'every other resource was removed',
        cause: original,
      },
    );
  }
}

/** Our network spec as the Engine API's create body. */
export function networkCreateBody(spec: NetworkSpec): Json {
  return {
    Name: spec.name,
    CheckDuplicate: true,
    Driver: spec.driver,
    ...(spec.driverOpts === undefined ? {} : { Options: spec.driverOpts }),
    Labels: spec.labels,
    ...(spec.internal === undefined ? {} : { Internal: spec.internal }),
    ...(spec.attachable === undefined ? {} : { Attachable: spec.attachable }),
    ...(spec.enableIpv4 === undefined ? {} : { EnableIPv4: spec.enableIpv4 }),
    ...(spec.enableIpv6 === undefined ? {} : { EnableIPv6: spec.enableIpv6 }),
    ...(spec.ipam === undefined ? {} : {
      IPAM: {
        Driver: spec.ipam.driver,
        Config: spec.ipam.pools.map((p) => ({ Subnet: p.subnet, IPRange: p.ipRange, Gateway: p.gateway, AuxiliaryAddresses: p.auxAddresses })),
        Options: spec.ipam.options,
      },
    }),
  };
}

function toNetwork(n: Json): NetworkSummary {
  return { id: str(n['Id']), name: str(n['Name']), driver: str(n['Driver']), labels: labelsOf(n['Labels']) };
}
