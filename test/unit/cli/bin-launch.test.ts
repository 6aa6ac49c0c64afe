import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MAIN } from '../../helpers/cli-harness.js';

const run = promisify(execFile);

// Node 20 reads `--env-file` anywhere on its command line, even after the script (nodejs/node#54232),
// so the bin must be launched in a way that hands the flag to tscompose. These tests exec the bundled
// file itself, as an installed bin is run (through its shebang), not through `node main.js`.
describe('the installed bin', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tscompose-bin-'));
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: "busybox:${TAG}"\n');
    writeFileSync(join(dir, 'vars.env'), 'TAG=from-env-file\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes --env-file to tscompose, which reads it for interpolation', async () => {
    const { stdout } = await run(MAIN, ['--env-file', 'vars.env', 'config', '--images'], { cwd: dir });
    assert.equal(stdout.trim(), 'busybox:from-env-file');
  });

  it('reports a missing --env-file as its own error, not Node\'s', async () => {
    const error = await run(MAIN, ['--env-file', 'missing.env', 'config'], { cwd: dir }).then(() => undefined, (e: unknown) => e);
    assert.ok(error !== undefined, 'a missing env file must fail');
    const { code, stderr } = error as { code: number; stderr: string };
    assert.notEqual(code, 9, `Node itself took the flag: ${stderr}`);
    assert.match(stderr, /missing\.env/);
    assert.doesNotMatch(stderr, /^node:/m);
  });
});
