/**
 * Readiness beyond healthchecks, for CI: a service is ready when every check holds. Declared in
 * a compose file under `x-tscompose: { ready: [...], ready_timeout: 60s }`, given on the command
 * line with `--wait-for`, or passed to the API.
 */
export type ReadinessCheck =
  /** The published host port of this container port accepts TCP connections. */
  | { readonly kind: 'port'; readonly port: number }
  /** An HTTP GET on the published host port answers with this status (any 2xx when absent). */
  | { readonly kind: 'http'; readonly port: number; readonly path: string; readonly status?: number }
  /** The container's output has matched this regular expression `times` times. */
  | { readonly kind: 'log'; readonly pattern: string; readonly times: number };

export interface ServiceReadiness {
  readonly service: string;
  readonly checks: readonly ReadinessCheck[];
  readonly timeoutMs?: number;
}

export function describeCheck(check: ReadinessCheck): string {
  switch (check.kind) {
    case 'port':
      return `port ${check.port} listening`;
    case 'http':
      return `GET :${check.port}${check.path} answering ${check.status ?? '2xx'}`;
    case 'log':
      return `log matching /${check.pattern}/${check.times > 1 ? ` ${check.times} times` : ''}`;
  }
}
