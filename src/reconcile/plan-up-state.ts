import type { Project } from '../model/project.js';
import type { ProxyVariables } from '../model/proxy-variables.js';
import type { ObservedContainer, Snapshot } from './actual.js';
import type { PlanBuilder } from './plan-builder.js';
import type { ImagePlanOptions } from './plan-images.js';

export interface UpPlanOptions extends ImagePlanOptions {
  /** Services named on the command line; empty means all. */
  readonly services: readonly string[];
  readonly noDeps: boolean;
  readonly forceRecreate: boolean;
  readonly noRecreate: boolean;
  readonly alwaysRecreateDeps: boolean;
  readonly renewAnonVolumes: boolean;
  readonly removeOrphans: boolean;
  readonly ignoreOrphans: boolean;
  readonly noStart: boolean;
  readonly scale: Readonly<Record<string, number>>;
  readonly timeout: number | undefined;
  /** --all-resources: every declared network and volume, not only those the targeted services use. */
  readonly allResources?: boolean;
  /** From preflight: seccomp profiles the create requests embed. */
  readonly seccompProfiles?: ReadonlyMap<string, string>;
  /** The Docker config's proxy variables for this engine: the created containers' environment. */
  readonly proxyEnvironment?: ProxyVariables;
  /** Containers (IDs or names) the engine refused to start for a stale task: replaced, never started. */
  readonly unstartable?: ReadonlySet<string>;
}

export const defaultUpPlanOptions: UpPlanOptions = {
  services: [],
  noDeps: false,
  forceRecreate: false,
  noRecreate: false,
  alwaysRecreateDeps: false,
  renewAnonVolumes: false,
  removeOrphans: false,
  ignoreOrphans: false,
  noStart: false,
  scale: {},
  timeout: undefined,
};

/**
 * What the phases of `planUp` share: the inputs, the plan being written, and what each phase
 * leaves for the next (the step each network, volume and image waits on; each service's starts).
 */
export interface UpState {
  readonly project: Project;
  readonly snapshot: Snapshot;
  readonly options: UpPlanOptions;
  readonly plan: PlanBuilder;
  /**
   * `infrastructure`: networks, volumes and images only (for a one-off container); no service
   * container is touched, so a changed network that any of them uses is kept, with a warning.
   */
  readonly scope: 'all' | 'infrastructure';
  /** The services this run acts on, in start order. */
  readonly order: readonly string[];
  readonly targets: ReadonlySet<string>;
  /** Services named on the command line (all of `order` when none were). */
  readonly named: ReadonlySet<string>;
  /** The project's service containers (not one-offs). */
  readonly observed: readonly ObservedContainer[];
  /** Containers stopped before something they rely on is replaced: id → the step to start after, and why. */
  readonly stoppedForDependency: Map<string, { readonly node: string; readonly dependency: string }>;
  /** Containers taken off a network (recreated, or a duplicate copy removed): id → the networks to join again, and why. */
  readonly disconnected: Map<string, { readonly key: string; readonly why: string }[]>;
  /** Network key → the step that creates it (undefined: it exists, or is external). */
  readonly networkNode: Map<string, string | undefined>;
  /** Volume key → the step that creates it. */
  readonly volumeNode: Map<string, string | undefined>;
  /** Image key → the pull or build step. */
  readonly imageNode: Map<string, string>;
  /** Service → the steps that start its containers (and their post_start hooks). */
  readonly startNodes: Map<string, string[]>;
  /** Service → its containers' final names, for the dependents' waits. */
  readonly containerNames: Map<string, string[]>;
  /** Services with at least one container replaced by this plan. */
  readonly recreated: Set<string>;
}
