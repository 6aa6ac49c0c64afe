// How long `--help` and `COMMAND --help` take to start and print, beside a bare Node start: help must stay fast
// (issue 12 asks for under 0.15 s). Runs interleaved; compare the margin over `node -e 0`, as this machine is noisy.
// Usage: node bench/help-startup.mjs [-n REPS]   (after `npm run build`; needs no engine)
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/bin/main.js');
const reps = Number(process.argv[process.argv.indexOf('-n') + 1] || 15);

const cases = [
  ['node -e 0', ['-e', '0']],
  ['tscompose --help', [cli, '--help']],
  ['tscompose ps --help', [cli, 'ps', '--help']],
  ['tscompose stats --help', [cli, 'stats', '--help']],
  ['tscompose scale --help', [cli, 'scale', '--help']],
];

const samples = new Map(cases.map(([name]) => [name, []]));
for (let r = 0; r < reps; r++) {
  for (const [name, args] of cases) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    samples.get(name).push(seconds);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples.get('node -e 0'));
console.log(`| case | median s | min s | over node -e 0 |`);
console.log(`| --- | --- | --- | --- |`);
for (const [name] of cases) {
  const xs = samples.get(name);
  console.log(`| ${name} | ${median(xs).toFixed(3)} | ${Math.min(...xs).toFixed(3)} | ${(median(xs) - base).toFixed(3)} |`);
}
