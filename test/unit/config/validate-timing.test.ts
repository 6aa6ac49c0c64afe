import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Measured in fresh processes (best of five, as shared machines are noisy): the figure that matters
// is a cold start, as every command pays it.
const probe = `
const t0 = performance.now();
const { validateComposeFile } = await import(${JSON.stringify(new URL('../../../src/config/validate.js', import.meta.url).href)});
const t1 = performance.now();
const { parseYamlWithLocator } = await import(${JSON.stringify(new URL('../../helpers/yaml-locator.js', import.meta.url).href)});
const { readFileSync } = await import('node:fs');
const { tree, locator } = parseYamlWithLocator(readFileSync('/work/shared/bench/workloads/big200.yml', 'utf8'));
const t2 = performance.now();
validateComposeFile(tree, locator);
const t3 = performance.now();
for (let i = 0; i < 50; i++) validateComposeFile(tree, locator);
const t4 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, firstValidateMs: t3 - t2, warmValidateMs: (t4 - t3) / 50 }));
`;

describe('validateComposeFile timing (big200.yml, 200 services)', () => {
  it('imports and validates well within the start-up budget', function () {
    this.timeout(20000);
    const runs = [0, 1, 2, 3, 4].map(() => {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
        cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
        encoding: 'utf8',
      });
      return JSON.parse(out) as { importMs: number; firstValidateMs: number; warmValidateMs: number };
    });
    const best = (key: 'importMs' | 'firstValidateMs' | 'warmValidateMs'): number => Math.min(...runs.map((run) => run[key]));
    const figures = `import ${best('importMs').toFixed(1)} ms, first validation ${best('firstValidateMs').toFixed(1)} ms, warm ${best('warmValidateMs').toFixed(2)} ms`;
    console.log(`      ${figures}`);
    assert.ok(best('firstValidateMs') < 30, figures);
    assert.ok(best('importMs') < 60, figures);
  });
});
