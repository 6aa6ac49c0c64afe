import { ConfigError } from '../errors.js';
import type { Project, Service } from '../model/project.js';
import type { VolumeSummary } from '../engine/engine.js';
import type { UpState } from './plan-up-state.js';
import { ownedBy, resourceLabels } from './resource-labels.js';

type VolumeDefinition = Project['volumes'][string];

/** Phase 2: the named volumes the targeted services mount: created when missing, never changed. */
export function planVolumes(state: UpState): void {
  const { project, snapshot, order } = state;
  const used = new Set([
    ...order.flatMap((s) =>
      (project.services[s] as Service).volumes.filter((v) => v.type === 'volume' && v.source !== undefined).map((v) => v.source as string)),
    ...(state.options.allResources === true ? Object.keys(project.volumes) : []),
  ]);
  for (const key of [...used].sort()) {
    const volume = project.volumes[key];
    if (volume === undefined) continue; // the loader reports undeclared volumes
    const existing = snapshot.volumes.find((v) => v.name === volume.name);
    if (volume.external === true) checkExternal(key, volume, existing);
    else if (existing !== undefined) checkExisting(state, key, volume, existing);
    else state.volumeNode.set(key, createVolume(state, key, volume));
  }
}

function checkExternal(key: string, volume: VolumeDefinition, existing: VolumeSummary | undefined): void {
  if (existing !== undefined) return;
  throw new ConfigError(`external volume "${volume.name}" not found`, {
    keyPath: `volumes.${key}`,
    hint: `create it first (docker volume create ${volume.name}) or remove external: true`,
  });
}

/** A volume's data outlives any change of its definition: a changed driver is refused, a foreign one warned about. */
function checkExisting(state: UpState, key: string, volume: VolumeDefinition, existing: VolumeSummary): void {
  const wanted = volume.driver ?? 'local';
  if (existing.driver !== '' && existing.driver !== wanted) {
    throw new ConfigError(`volume "${volume.name}" already exists with driver "${existing.driver}", but the file asks for driver "${wanted}"`, {
      keyPath: `volumes.${key}.driver`,
      hint: `keep driver "${existing.driver}" in the file, or remove the volume (its data is lost) with \`docker volume rm ${volume.name}\` and run up again`,
    });
  }
  if (!ownedBy(existing.labels, state.project.name, 'volume', key)) {
    state.plan.warnings.push(
      `a volume named ${volume.name} exists but was not created by this project: it is used as is; set external: true to silence this`,
    );
  }
}

function createVolume(state: UpState, key: string, volume: VolumeDefinition): string {
  return state.plan.add(`volume:${key}`, volume.name, {
    type: 'create-volume',
    name: volume.name,
    spec: {
      name: volume.name,
      ...(volume.driver === undefined ? {} : { driver: volume.driver }),
      ...(volume.driver_opts === undefined ? {} : { driverOpts: volume.driver_opts }),
      labels: { ...volume.labels, ...resourceLabels(state.project.name, 'volume', key) },
    },
  }, 'not found');
}
