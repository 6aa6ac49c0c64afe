import type { EngineVolumes, VolumeSpec, VolumeSummary } from './engine.js';
import { isStatus, type EngineHttpClient } from './http-client.js';
import { labelFilters, labelsOf, seg, str, type Json } from './json-fields.js';

/** /volumes/*. */
export class DockerVolumes implements EngineVolumes {
  constructor(private readonly http: EngineHttpClient) {}

  async list(labels: readonly string[]): Promise<VolumeSummary[]> {
    const result = await this.http.json<{ Volumes: Json[] | null }>('GET', '/volumes', { query: { filters: labelFilters(labels) } });
    return (result.Volumes ?? []).map(toVolume);
  }

  async find(name: string): Promise<VolumeSummary | undefined> {
    try {
      return toVolume(await this.http.json<Json>('GET', `/volumes/${seg(name)}`));
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async create(spec: VolumeSpec): Promise<void> {
    await this.http.json('POST', '/volumes/create', {
      body: {
        Name: spec.name,
        ...(spec.driver === undefined ? {} : { Driver: spec.driver }),
        ...(spec.driverOpts === undefined ? {} : { DriverOpts: spec.driverOpts }),
        Labels: spec.labels,
      },
    });
  }

  async remove(name: string): Promise<void> {
    try {
      await this.http.json('DELETE', `/volumes/${seg(name)}`);
    } catch (error) {
      if (isStatus(error, 404)) return;
      throw error;
    }
  }
}

function toVolume(v: Json): VolumeSummary {
  return { name: str(v['Name']), driver: str(v['Driver']), labels: labelsOf(v['Labels']), scope: str(v['Scope']), mountpoint: str(v['Mountpoint']) };
}
