import { stringify } from 'yaml';

/**
 * The benchmark workloads, as data: a single service, a dependency chain, independent services, a
 * realistic 50-service stack and a 200-service file for loader speed. Deterministic (no clock, no
 * randomness), so the unit suite validates exactly what the benchmarks run.
 */
export interface Workload {
  readonly name: string;
  /** The service whose environment changes when BENCH_REV changes: the "recreate one" step. */
  readonly recreate: string;
  readonly compose: ComposeTree;
}

type ComposeTree = { services: Record<string, Record<string, unknown>>; networks?: Record<string, unknown>; volumes?: Record<string, unknown> };

export const BENCH_IMAGE = 'tscompose/busybox:1';
// PID 1 ignores SIGTERM unless it traps it: without the trap every stop would wait the grace period.
const SLEEP = ['sh', '-c', "trap 'exit 0' TERM INT; sleep 3600 & wait"];
const HTTPD = ['sh', '-c', "trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait"];
const HEALTHCHECK = { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1/'], interval: '1s', timeout: '3s', retries: 30 };
const REV = '${BENCH_REV:-0}';

const numbered = (prefix: string, i: number, width: number): string => `${prefix}${String(i).padStart(width, '0')}`;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

function sleeper(workload: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const labels = (extra['labels'] as Record<string, string> | undefined) ?? {};
  return { image: BENCH_IMAGE, command: SLEEP, ...extra, labels: { 'bench.workload': workload, ...labels } };
}

function one(): Workload {
  return { name: 'one', recreate: 'app', compose: { services: { app: sleeper('one', { environment: { APP_MODE: 'bench', BENCH_REV: REV } }) } } };
}

function chain10(): Workload {
  const services = Object.fromEntries(range(10).map((i) => [numbered('s', i, 2), sleeper('chain10', {
    environment: { INDEX: String(i), ...(i === 10 ? { BENCH_REV: REV } : {}) },
    ...(i > 1 ? { depends_on: [numbered('s', i - 1, 2)] } : {}),
  })]));
  return { name: 'chain10', recreate: 's10', compose: { services } };
}

function wide20(): Workload {
  const services = Object.fromEntries(range(20).map((i) => [numbered('w', i, 2), sleeper('wide20', {
    environment: { INDEX: String(i), ...(i === 20 ? { BENCH_REV: REV } : {}) },
  })]));
  return { name: 'wide20', recreate: 'w20', compose: { services } };
}

/** 50 services on 3 networks with 5 volumes: 3 healthy web servers, a gateway waiting for the first, stores, edges, workers. */
function web50(): Workload {
  const roleOf = (i: number): Record<string, unknown> & { role: string } => {
    if (i <= 3) return { role: 'web', command: HTTPD, healthcheck: HEALTHCHECK, ports: ['127.0.0.1::80'], networks: ['front', 'back'] };
    if (i === 4) return { role: 'gateway', ports: ['127.0.0.1::8080'], networks: ['front'], depends_on: { svc01: { condition: 'service_healthy' } } };
    if (i <= 9) return { role: 'store', volumes: [`vol${i - 4}:/data`], networks: ['back', 'data'] };
    if (i <= 20) return { role: 'edge', ports: ['127.0.0.1::80'], networks: ['front'] };
    return { role: 'worker', networks: [['front', 'back', 'data'][i % 3]], depends_on: [numbered('svc', 5 + (i % 5), 2)] };
  };
  const services = Object.fromEntries(range(50).map((i) => {
    const name = numbered('svc', i, 2);
    const { role, ...keys } = roleOf(i);
    return [name, sleeper('web50', {
      ...keys,
      environment: { SERVICE_NAME: name, INDEX: String(i), LOG_LEVEL: 'info', FEATURE_X: i % 2 === 1 ? 'on' : 'off', ...(i === 50 ? { BENCH_REV: REV } : {}) },
      labels: { 'bench.role': role, 'bench.index': String(i) },
    })];
  }));
  const networks = { front: { driver: 'bridge' }, back: { driver: 'bridge' }, data: { driver: 'bridge' } };
  const volumes = Object.fromEntries(range(5).map((v) => [`vol${v}`, { labels: { 'bench.volume': String(v) } }]));
  return { name: 'web50', recreate: 'svc50', compose: { services, networks, volumes } };
}

/** 200 services in chains of ten, for loading and validation speed (never brought up). */
function big200(): Workload {
  const nets = ['n1', 'n2', 'n3', 'n4'];
  const services = Object.fromEntries(range(200).map((i) => {
    const name = numbered('b', i, 3);
    return [name, sleeper('big200', {
      environment: { SERVICE_NAME: name, INDEX: String(i), LOG_LEVEL: 'debug', REGION: 'eu-west', BENCH_REV: REV },
      labels: { 'bench.index': String(i), 'bench.group': `g${i % 10}` },
      networks: [nets[i % 4], nets[(i + 1) % 4]],
      ...(i % 10 !== 1 ? { depends_on: [numbered('b', i - 1, 3)] } : {}),
      ...(i % 7 === 0 ? { ports: ['127.0.0.1::80'] } : {}),
      ...(i % 20 === 0 ? { healthcheck: HEALTHCHECK } : {}),
      ...(i % 25 === 0 ? { volumes: [`data${i / 25}:/data`] } : {}),
    })];
  }));
  const networks = Object.fromEntries(nets.map((n) => [n, { driver: 'bridge' }]));
  const volumes = Object.fromEntries(range(8).map((v) => [`data${v}`, {}]));
  return { name: 'big200', recreate: 'b200', compose: { services, networks, volumes } };
}

export function benchWorkloads(): Workload[] {
  return [one(), chain10(), wide20(), web50(), big200()];
}

/** The workload as a Compose file, as the benchmarks write it to disk. */
export function workloadYaml(workload: Workload): string {
  const services = Object.keys(workload.compose.services).length;
  // YAML 1.1 quotes words such as on and off, which Compose v1 (a YAML 1.1 reader) would read as booleans.
  return `# Generated by bench/gen-workloads.mjs: ${services} services; recreate target: ${workload.recreate}\n${stringify(workload.compose, { aliasDuplicateObjects: false, version: '1.1' })}`;
}
