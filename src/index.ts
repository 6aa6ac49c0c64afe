/**
 * tscompose as a library, for CI jobs and tools: typed, no printing, no process exit, no global
 * state. `loadStack` → `up` → `port`/`exec`/`run`/`logs` → `down`.
 */
export { loadStack, type RunningStack, type Stack } from './api/stack.js';
export { cleanupProjects, type CleanupOptions } from './api/cleanup.js';
export type {
  CommandOptions, CommandResult, ContainerInfo, DownOptions, ExecOptions, HostAddress, LoadStackOptions, LogLine, LogOptions, PortOptions, UpOptions,
} from './api/types.js';
export type { ReadinessCheck, ServiceReadiness } from './model/readiness.js';
export { describeCheck } from './model/readiness.js';
export type { ProgressEvent, ProgressStatus, ResourceKind } from './model/events.js';
export type { Project, Service } from './model/project.js';
export type { PublishedPort } from './reconcile/published-ports.js';
export type { ReapTarget } from './reconcile/reap.js';
export type { ContainerReport } from './reconcile/wait-services.js';
export {
  BuildError, ConfigError, DependencyCycleError, EngineError, EngineUnavailableError, ExitCode, InternalError, InterruptedError,
  ProjectNotFoundError, RegistryError, RuntimeError, TscomposeError, UsageError, isTscomposeError,
} from './errors.js';
export { WaitError } from './reconcile/wait-services.js';
export { ReadinessError } from './reconcile/readiness-wait.js';
