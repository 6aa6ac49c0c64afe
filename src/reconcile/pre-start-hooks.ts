import { COMPOSE_VERSION_LABEL, ENGINE_LABEL_VALUE, Label } from '../model/labels.js';
import { defaultImageName } from '../model/naming.js';
import type { PreStartHook, Project } from '../model/project.js';
import type { Snapshot } from './actual.js';
import { buildContainerSpec, environmentList, type ContainerSpec } from './container-spec.js';
import type { PlanBuilder } from './plan-builder.js';
import type { AwaitCondition } from './plan-types.js';

/**
 * The one-off container of a `pre_start` hook, as Compose makes it (pkg/compose/pre_start.go): the
 * hook's image (else the service's), its command, user, working_dir and privileged, the service's
 * environment then the hook's, the service's networks, and the volumes of the replica about to
 * start (`volumes_from`). Labelled with project, service and `com.docker.compose.hook=pre_start`,
 * without a container number or config hash: it is no replica, and the engine names it.
 */
export function preStartHookSpec(
  project: Project,
  serviceName: string,
  hook: PreStartHook,
  replica: string,
  serviceContainer: (service: string) => string,
): ContainerSpec {
  const service = project.services[serviceName];
  if (service === undefined) throw new Error(`unknown service ${serviceName}`);
  // The service's network settings (first network at create, the others connected before start).
  const networked = buildContainerSpec({ project, service: serviceName, number: 0, name: '', imageId: undefined, serviceContainer });
  const hostNetwork = networked.body.HostConfig as { NetworkMode?: string } | undefined;
  const body = {
    Image: hook.image ?? service.image ?? defaultImageName(project.name, serviceName, project.name_separator),
    Cmd: hook.command,
    ...(hook.user === undefined ? {} : { User: hook.user }),
    ...(hook.working_dir === undefined ? {} : { WorkingDir: hook.working_dir }),
    Env: [...environmentList(service.environment), ...environmentList(hook.environment ?? {})],
    Labels: {
      [Label.project]: project.name,
      [Label.service]: serviceName,
      [Label.version]: COMPOSE_VERSION_LABEL,
      [Label.hook]: 'pre_start',
      [Label.engine]: ENGINE_LABEL_VALUE,
    },
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      ...(hook.privileged === undefined ? {} : { Privileged: hook.privileged }),
      VolumesFrom: [replica],
      ...(hostNetwork?.NetworkMode === undefined ? {} : { NetworkMode: hostNetwork.NetworkMode }),
    },
    ...(networked.body.NetworkingConfig === undefined ? {} : { NetworkingConfig: networked.body.NetworkingConfig }),
  };
  return { name: '', body, extraNetworks: networked.extraNetworks };
}

export interface PreStartInput {
  readonly plan: PlanBuilder;
  readonly project: Project;
  readonly service: string;
  readonly snapshot: Snapshot;
  /** The first replica's readiness and the dependencies' starts. */
  readonly after: readonly (string | undefined)[];
  /** The container whose volumes the hooks get. */
  readonly replica: string;
  /** The dependencies' conditions, which the first hook waits for as a start would. */
  readonly awaits: readonly AwaitCondition[];
  readonly serviceContainer: (service: string) => string;
}

/** The service's hooks in order, after removing a failed run's hook containers; returns the last step. */
export function planPreStartHooks(input: PreStartInput): string[] {
  const { plan, project, service, snapshot } = input;
  const hooks = project.services[service]?.pre_start ?? [];
  const separator = project.name_separator ?? '-';
  const display = `${project.name}${separator}${service}${separator}pre_start`;
  const resource = `container:${display}`;
  const stale = snapshot.containers.filter((c) => c.hook === 'pre_start' && c.service === service).map((c) =>
    plan.add(resource, display, { type: 'remove-container', container: c.id, removeVolumes: true }, 'left by a failed pre_start hook'));
  let previous: string[] = [...stale, ...input.after.filter((n): n is string => n !== undefined)];
  hooks.forEach((hook, index) => {
    previous = [plan.add(resource, display, {
      type: 'run-pre-start-hook',
      service,
      index,
      spec: preStartHookSpec(project, service, hook, input.replica, input.serviceContainer),
      awaits: index === 0 ? input.awaits : [],
    }, `pre_start hook ${index + 1} of ${hooks.length}: before the first replica starts`, previous)];
  });
  return previous;
}
