// Start-up and `config` costs of tscompose beside a bare Node start and docker-compose v1,
// measured interleaved in one run (this machine is noisy: compare ratios, not seconds).
// Usage: node bench/startup.mjs [-n REPS]   (after `npm run build`; needs an engine for `ps`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWorkloads } from './gen-workloads.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/bin/main.js');

const reps = Number(process.argv[process.argv.indexOf('-n') + 1] || 7);
const hasV1 = spawnSync('docker-compose', ['version', '--short']).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'tscompose-bench-'));
const workloads = writeWorkloads(join(dir, 'workloads'));
const small = join(dir, 'compose.yaml');
writeFileSync(small, 'services:\n  app:\n    image: tscompose/busybox:1\n    command: ["sh", "-c", "trap \'exit 0\' TERM; sleep 3600 & wait"]\n');
const project = `tscbench-startup-${process.pid}`;

const cases = [
  ['node -e 0', ['node', '-e', '0']],
  ['tscompose --help', ['node', cli, '--help']],
  ['tscompose version --short', ['node', cli, 'version', '--short']],
  ['tscompose ps (1 service, running)', ['node', cli, '-p', project, '-f', small, 'ps']],
  ['tscompose config -q (1 service)', ['node', cli, '-f', join(workloads, 'one.yml'), 'config', '-q']],
  ['tscompose config -q (big200)', ['node', cli, '-f', join(workloads, 'big200.yml'), 'config', '-q']],
  ['tscompose config (big200, printed)', ['node', cli, '-f', join(workloads, 'big200.yml'), 'config']],
  ...(hasV1 ? [
    ['docker-compose version', ['docker-compose', 'version']],
    ['docker-compose ps (1 service, running)', ['docker-compose', '-p', project, '-f', small, 'ps']],
    ['docker-compose config -q (1 service)', ['docker-compose', '-f', join(workloads, 'one.yml'), 'config', '-q']],
    ['docker-compose config -q (big200)', ['docker-compose', '-f', join(workloads, 'big200.yml'), 'config', '-q']],
  ] : []),
];

function time([command, ...args]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return seconds;
}

const up = spawnSync('node', [cli, '-p', project, '-f', small, 'up', '-d'], { stdio: 'ignore' });
if (up.status !== 0) throw new Error('could not bring the small project up (is an engine running?)');
const samples = new Map(cases.map(([name]) => [name, []]));
try {
  for (let r = 0; r < reps; r++) {
    for (const [name, argv] of cases) samples.get(name).push(time(argv));
  }
} finally {
  spawnSync('node', [cli, '-p', project, '-f', small, 'down', '-v', '-t', '1'], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const nodeMedian = median(samples.get('node -e 0'));
console.log(`| command | median s | min s | median - node s |`);
console.log(`|---|---:|---:|---:|`);
for (const [name, xs] of samples) {
  const m = median(xs);
  console.log(`| ${name} | ${m.toFixed(3)} | ${Math.min(...xs).toFixed(3)} | ${(m - nodeMedian).toFixed(3)} |`);
}
const ratio = (a, b) => (median(samples.get(a)) / median(samples.get(b))).toFixed(1);
if (hasV1) {
  console.log(`\nv1/tscompose (medians, same run): ps ${ratio('docker-compose ps (1 service, running)', 'tscompose ps (1 service, running)')}x, ` +
    `config -q one ${ratio('docker-compose config -q (1 service)', 'tscompose config -q (1 service)')}x, ` +
    `config -q big200 ${ratio('docker-compose config -q (big200)', 'tscompose config -q (big200)')}x`);
}
console.log(`reps: ${reps}, load average: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
