import { compilePatterns, type PatternNode } from './path-pattern.js';

/**
 * After substitution every scalar is text; these paths hold numbers or booleans (compose-go's
 * loader/interpolate.go table, widened to the keys our model types).
 */
export type CastKind = 'int' | 'float' | 'bool' | 'octal' | 'int-or-octal';

export type CastResult = { readonly ok: true; readonly value: unknown; readonly warning?: string } | { readonly ok: false; readonly expected: string };

const S = 'services.*';

const CAST_TABLE: readonly (readonly [string, CastKind])[] = [
  // Compose reads a quoted mode as octal always ("440" too), and a tmpfs mode as Go's base-0 integer.
  [`${S}.configs.[].mode`, 'octal'],
  [`${S}.secrets.[].mode`, 'octal'],
  [`${S}.cpu_count`, 'int'],
  [`${S}.cpu_percent`, 'float'],
  [`${S}.cpu_period`, 'int'],
  [`${S}.cpu_quota`, 'int'],
  [`${S}.cpu_rt_period`, 'int'],
  [`${S}.cpu_rt_runtime`, 'int'],
  [`${S}.cpus`, 'float'],
  [`${S}.cpu_shares`, 'int'],
  [`${S}.init`, 'bool'],
  [`${S}.attach`, 'bool'],
  [`${S}.deploy.replicas`, 'int'],
  [`${S}.deploy.update_config.parallelism`, 'int'],
  [`${S}.deploy.update_config.max_failure_ratio`, 'float'],
  [`${S}.deploy.rollback_config.parallelism`, 'int'],
  [`${S}.deploy.rollback_config.max_failure_ratio`, 'float'],
  [`${S}.deploy.restart_policy.max_attempts`, 'int'],
  [`${S}.deploy.placement.max_replicas_per_node`, 'int'],
  [`${S}.deploy.resources.limits.cpus`, 'float'],
  [`${S}.deploy.resources.limits.pids`, 'int'],
  [`${S}.deploy.resources.reservations.cpus`, 'float'],
  [`${S}.deploy.resources.reservations.pids`, 'int'],
  [`${S}.build.ulimits.*`, 'int'],
  [`${S}.build.ulimits.*.hard`, 'int'],
  [`${S}.build.ulimits.*.soft`, 'int'],
  [`${S}.post_start.[].privileged`, 'bool'],
  [`${S}.pre_stop.[].privileged`, 'bool'],
  [`${S}.pre_start.[].privileged`, 'bool'],
  [`${S}.depends_on.*.required`, 'bool'],
  [`${S}.depends_on.*.restart`, 'bool'],
  [`${S}.healthcheck.retries`, 'int'],
  [`${S}.healthcheck.disable`, 'bool'],
  [`${S}.oom_kill_disable`, 'bool'],
  [`${S}.oom_score_adj`, 'int'],
  [`${S}.pids_limit`, 'int'],
  [`${S}.ports.[].target`, 'int'],
  [`${S}.privileged`, 'bool'],
  [`${S}.read_only`, 'bool'],
  [`${S}.scale`, 'int'],
  [`${S}.stdin_open`, 'bool'],
  [`${S}.tty`, 'bool'],
  [`${S}.ulimits.*`, 'int'],
  [`${S}.ulimits.*.hard`, 'int'],
  [`${S}.ulimits.*.soft`, 'int'],
  [`${S}.volumes.[].read_only`, 'bool'],
  [`${S}.volumes.[].volume.nocopy`, 'bool'],
  [`${S}.volumes.[].bind.create_host_path`, 'bool'],
  [`${S}.volumes.[].tmpfs.mode`, 'int-or-octal'],
  [`${S}.mem_swappiness`, 'int'],
  [`${S}.use_api_socket`, 'bool'],
  [`${S}.pre_start.[].per_replica`, 'bool'],
  [`${S}.develop.watch.[].initial_sync`, 'bool'],
  [`${S}.networks.*.enable_ipv4`, 'bool'],
  [`${S}.build.no_cache`, 'bool'],
  [`${S}.build.pull`, 'bool'],
  [`${S}.build.privileged`, 'bool'],
  [`${S}.env_file.[].required`, 'bool'],
  [`${S}.networks.*.priority`, 'int'],
  [`${S}.networks.*.gw_priority`, 'int'],
  ['networks.*.external', 'bool'],
  ['networks.*.internal', 'bool'],
  ['networks.*.attachable', 'bool'],
  ['networks.*.enable_ipv4', 'bool'],
  ['networks.*.enable_ipv6', 'bool'],
  ['volumes.*.external', 'bool'],
  ['secrets.*.external', 'bool'],
  ['configs.*.external', 'bool'],
];

export const CAST_PATTERNS: PatternNode<CastKind> = compilePatterns(CAST_TABLE);

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_WORDS = new Set(['true']);
const FALSE_WORDS = new Set(['false']);
const LEGACY_TRUE = new Set(['y', 'yes', 'on']);
const LEGACY_FALSE = new Set(['n', 'no', 'off']);

/** Casts a string; other values are left for the validator to judge. */
export function castValue(value: unknown, kind: CastKind): CastResult {
  if (typeof value !== 'string') return { ok: true, value };
  const text = value.trim();
  switch (kind) {
    case 'int':
      return INTEGER.test(text) ? { ok: true, value: Number.parseInt(text, 10) } : { ok: false, expected: 'an integer' };
    case 'octal':
      return /^0?[0-7]+$/.test(text) || /^0o[0-7]+$/i.test(text)
        ? { ok: true, value: Number.parseInt(text.replace(/^0o/i, ''), 8) }
        : { ok: false, expected: 'an octal file mode such as 0440' };
    case 'int-or-octal':
      if (/^0[0-7]+$/.test(text)) return { ok: true, value: Number.parseInt(text, 8) };
      if (/^0o[0-7]+$/i.test(text)) return { ok: true, value: Number.parseInt(text.slice(2), 8) };
      return INTEGER.test(text) ? { ok: true, value: Number.parseInt(text, 10) } : { ok: false, expected: 'an integer (0 prefix for octal)' };
    case 'float':
      return FLOAT.test(text) ? { ok: true, value: Number.parseFloat(text) } : { ok: false, expected: 'a number' };
    case 'bool': {
      const lower = text.toLowerCase();
      if (TRUE_WORDS.has(lower)) return { ok: true, value: true };
      if (FALSE_WORDS.has(lower)) return { ok: true, value: false };
      const legacy = LEGACY_TRUE.has(lower) ? true : LEGACY_FALSE.has(lower) ? false : undefined;
      if (legacy === undefined) return { ok: false, expected: 'a boolean (true or false)' };
      return { ok: true, value: legacy, warning: `"${value}" is read as ${legacy}; write ${legacy} instead (YAML 1.1 booleans are deprecated)` };
    }
  }
}
