import type { BuildRequest, EndpointConfig, ExecRequest, FileToCopy, NetworkSpec, VolumeSpec } from '../engine/engine.js';
import type { DependencyCondition } from '../model/project.js';
import type { ContainerSpec } from './container-spec.js';

/** A dependency condition that a start waits for: the dependency's containers, by name or ID. */
export interface AwaitCondition {
  readonly service: string;
  readonly condition: DependencyCondition;
  readonly required: boolean;
  readonly containers: readonly string[];
}

/** One engine call (or one wait) per operation. Containers are referred to by ID or name. */
export type PlanOperation =
  | { readonly type: 'create-network'; readonly name: string; readonly spec: NetworkSpec }
  | { readonly type: 'remove-network'; readonly name: string; readonly id: string }
  | { readonly type: 'create-volume'; readonly name: string; readonly spec: VolumeSpec }
  | { readonly type: 'remove-volume'; readonly name: string }
  | { readonly type: 'pull-image'; readonly image: string; readonly platform?: string }
  | { readonly type: 'build-image'; readonly service: string; readonly image: string; readonly request: BuildRequest }
  | { readonly type: 'push-image'; readonly image: string }
  | { readonly type: 'remove-image'; readonly image: string }
  | { readonly type: 'create-container'; readonly service: string; readonly spec: ContainerSpec }
  | {
    readonly type: 'start-container';
    readonly service: string;
    readonly container: string;
    readonly awaits: readonly AwaitCondition[];
    /** The engine picks a host port: such starts are run one at a time (the engine's port race). */
    readonly allocatesPorts: boolean;
  }
  | { readonly type: 'stop-container'; readonly container: string; readonly timeout: number | undefined }
  | { readonly type: 'remove-container'; readonly container: string; readonly removeVolumes: boolean }
  | { readonly type: 'rename-container'; readonly container: string; readonly newName: string }
  | { readonly type: 'kill-container'; readonly container: string; readonly signal: string | undefined }
  | { readonly type: 'pause-container'; readonly container: string }
  | { readonly type: 'unpause-container'; readonly container: string }
  | {
    readonly type: 'restart-container';
    readonly service: string;
    readonly container: string;
    readonly timeout: number | undefined;
    readonly awaits: readonly AwaitCondition[];
  }
  | { readonly type: 'connect-network'; readonly network: string; readonly container: string; readonly config: EndpointConfig }
  | { readonly type: 'disconnect-network'; readonly network: string; readonly container: string }
  | { readonly type: 'copy-files'; readonly container: string; readonly files: readonly FileToCopy[] }
  /**
   * A `pre_start` hook: a one-off container (after the dependencies' conditions), removed when it
   * exits 0; a non-zero exit fails the step and keeps the container for inspection.
   */
  | { readonly type: 'run-pre-start-hook'; readonly service: string; readonly index: number; readonly spec: ContainerSpec; readonly awaits: readonly AwaitCondition[] }
  /** A lifecycle hook: exec in the container; a non-zero exit fails the step. */
  | { readonly type: 'exec-hook'; readonly container: string; readonly hook: 'post_start' | 'pre_stop'; readonly request: ExecRequest };

export type OperationType = PlanOperation['type'];

export interface PlanNode {
  /** `container:web-1#create`: a resource, then the operation. */
  readonly id: string;
  /** `container:web-1`, `network:default`: what the user sees in progress rows. */
  readonly resource: string;
  /** The engine name shown in progress: `hello-web-1`, `hello_default`. */
  readonly display: string;
  readonly operation: PlanOperation;
  readonly dependsOn: readonly string[];
  /** Why this step is needed: "not found", "changed: environment", "scale down to 1". */
  readonly cause: string;
}

export interface Plan {
  readonly nodes: readonly PlanNode[];
  readonly warnings: readonly string[];
}
