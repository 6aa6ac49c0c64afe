// Writes the benchmark workloads (bench/workloads.ts) as Compose files: DIR/NAME.yml, plus DIR/NAME.json
// (the same model with its recreate target) for harnesses that read JSON.
// Usage: node bench/gen-workloads.mjs [DIR]   (after `npm run build`; DIR defaults to bench/workloads, not committed)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { benchWorkloads, workloadYaml } = await import(join(root, 'dist/bench/workloads.js'));

export function writeWorkloads(dir) {
  mkdirSync(dir, { recursive: true });
  for (const workload of benchWorkloads()) {
    writeFileSync(join(dir, `${workload.name}.yml`), workloadYaml(workload));
    writeFileSync(join(dir, `${workload.name}.json`), `${JSON.stringify(workload, null, 1)}\n`);
  }
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = writeWorkloads(resolve(process.argv[2] ?? join(root, 'bench/workloads')));
  console.log(`workloads written to ${dir}`);
}
