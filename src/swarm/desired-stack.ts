import { createHash } from 'node:crypto';
import type { ServiceSpec, SwarmNetworkBody, SwarmObjectSpec } from '../engine/swarm-api.js';
import { canonicalJson } from '../model/config-hash.js';
import type { DependencyCondition, Project, Service } from '../model/project.js';
import { StackLabel, scoped } from './stack-labels.js';
import { compact, serviceSpec } from './service-spec.js';

export type ObjectKind = 'config' | 'secret';

export interface DesiredObject {
  readonly kind: ObjectKind;
  readonly key: string;
  /** `<stack>_<key>-<content hash>`, or the external object's own name. */
  readonly name: string;
  readonly external: boolean;
  /** Absent for external objects. */
  readonly spec?: SwarmObjectSpec;
}

export interface DesiredNetwork {
  readonly key: string;
  readonly name: string;
  readonly external: boolean;
  readonly body?: SwarmNetworkBody;
}

export interface DesiredService {
  readonly key: string;
  readonly name: string;
  readonly spec: ServiceSpec;
  /** Of the spec without this label: what `StackLabel.specHash` holds. */
  readonly hash: string;
  readonly dependsOn: ReadonlyMap<string, DependencyCondition>;
  readonly networks: readonly string[];
  readonly objects: readonly string[];
}

export interface DesiredStack {
  readonly stack: string;
  readonly services: readonly DesiredService[];
  readonly networks: readonly DesiredNetwork[];
  readonly objects: readonly DesiredObject[];
}

/** `sha256` of the content, 10 hex digits: enough to tell versions of one config apart. */
export function contentHash(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 10);
}

export function specHash(spec: ServiceSpec): string {
  const { [StackLabel.specHash]: _dropped, ...labels } = spec.Labels;
  return createHash('sha256').update(canonicalJson({ ...spec, Labels: labels })).digest('hex');
}

function objectsOf(project: Project, stack: string, kind: ObjectKind, contents: ReadonlyMap<string, Buffer>): DesiredObject[] {
  const top = kind === 'config' ? project.configs : project.secrets;
  const used = new Set(Object.values(project.services).flatMap((s) => (kind === 'config' ? s.configs : s.secrets) ?? []).map((r) => r.source));
  return [...used].sort().map((key) => {
    const def = top[key];
    const name = def?.name ?? scoped(stack, key);
    if (def?.external === true) return { kind, key, name, external: true };
    const data = contents.get(`${kind}:${key}`) ?? Buffer.alloc(0);
    const hashed = `${name}-${contentHash(data)}`;
    return {
      kind, key, name: hashed, external: false,
      spec: { Name: hashed, Labels: { ...(def?.labels ?? {}), [StackLabel.namespace]: stack, [StackLabel.key]: key }, Data: data.toString('base64') },
    };
  });
}

function networksOf(project: Project, stack: string): DesiredNetwork[] {
  const used = new Set(Object.values(project.services).flatMap((s) => Object.keys(s.networks ?? { default: null })));
  return [...used].sort().map((key) => {
    const def = project.networks[key];
    const name = def?.name ?? scoped(stack, key);
    if (def?.external === true) return { key, name, external: true };
    const ipam = def?.ipam;
    return {
      key, name, external: false,
      body: compact({
        Name: name,
        Driver: def?.driver ?? 'overlay',
        Labels: { ...(def?.labels ?? {}), [StackLabel.namespace]: stack },
        Options: def?.driver_opts,
        Internal: def?.internal,
        Attachable: def?.attachable,
        IPAM: ipam === undefined ? undefined : {
          Driver: ipam.driver,
          Options: ipam.options,
          Config: (ipam.config ?? []).map((c) => ({ Subnet: c.subnet, IPRange: c.ip_range, Gateway: c.gateway, AuxiliaryAddresses: c.aux_addresses })),
        },
      }) as SwarmNetworkBody,
    };
  });
}

/**
 * The stack the compose model asks for, as Swarm objects. Pure: file contents and the images to run
 * are read before (`contents` by `config:<key>` / `secret:<key>`, `images` by service key).
 */
export function desiredStack(
  project: Project, stack: string, contents: ReadonlyMap<string, Buffer>, images: ReadonlyMap<string, string>,
): DesiredStack {
  const objects = [...objectsOf(project, stack, 'config', contents), ...objectsOf(project, stack, 'secret', contents)];
  const names = (kind: ObjectKind): Map<string, string> => new Map(objects.filter((o) => o.kind === kind).map((o) => [o.key, o.name]));
  const configNames = names('config');
  const secretNames = names('secret');
  const networks = networksOf(project, stack);
  const services = Object.keys(project.services).sort().map((key): DesiredService => {
    const service = project.services[key] as Service;
    const spec = serviceSpec({ project, stack, key, image: images.get(key) ?? service.image ?? '', configNames, secretNames });
    const hash = specHash(spec);
    return {
      key,
      name: spec.Name,
      spec: { ...spec, Labels: { ...spec.Labels, [StackLabel.specHash]: hash } },
      hash,
      dependsOn: new Map(Object.entries(service.depends_on).filter(([dep]) => Object.hasOwn(project.services, dep)).map(([dep, d]) => [dep, d.condition])),
      networks: Object.keys(service.networks ?? { default: null }).map((n) => networks.find((x) => x.key === n)?.name ?? scoped(stack, n)),
      objects: [
        ...(service.configs ?? []).map((r) => configNames.get(r.source) ?? r.source),
        ...(service.secrets ?? []).map((r) => secretNames.get(r.source) ?? r.source),
      ],
    };
  });
  return { stack, services, networks, objects };
}
