// Cost of the schema validator on the largest workload (big200, 200 services), in fresh processes:
// importing it, the first validation (cold) and a warm one. Every command pays the cold figures.
// Usage: node bench/validate-timing.mjs [-n RUNS]   (after `npm run build`; prints the best of RUNS, default 5)
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[process.argv.indexOf('-n') + 1] || 5);
const dist = (path) => JSON.stringify(pathToFileURL(join(root, 'dist', path)).href);

const probe = `
const t0 = performance.now();
const { validateComposeFile } = await import(${dist('src/config/validate.js')});
const t1 = performance.now();
const { parseYamlWithLocator } = await import(${dist('test/helpers/yaml-locator.js')});
const { benchWorkloads, workloadYaml } = await import(${dist('bench/workloads.js')});
const big200 = benchWorkloads().find((w) => w.name === 'big200');
const { tree, locator } = parseYamlWithLocator(workloadYaml(big200), 'big200.yml');
const t2 = performance.now();
validateComposeFile(tree, locator);
const t3 = performance.now();
for (let i = 0; i < 50; i++) validateComposeFile(tree, locator);
const t4 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, firstValidateMs: t3 - t2, warmValidateMs: (t4 - t3) / 50 }));
`;

const samples = Array.from({ length: runs }, () =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8' })));
const best = (key) => Math.min(...samples.map((sample) => sample[key]));
console.log(`validator on big200 (best of ${runs}): import ${best('importMs').toFixed(1)} ms, ` +
  `first validation ${best('firstValidateMs').toFixed(1)} ms, warm ${best('warmValidateMs').toFixed(2)} ms`);
console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
