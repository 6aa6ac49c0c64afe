import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../src/errors.js';
import { loadProject } from '../../../src/config/load.js';

/** Tests run from dist/test/unit/config; the fixtures stay in the source tree. */
const DIR = fileURLToPath(new URL('../../../../test/fixtures/invalid/', import.meta.url));

interface Expected {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly keyPath?: string;
  readonly hint?: string;
  readonly sourceLine?: string;
}

const expectations = JSON.parse(fs.readFileSync(path.join(DIR, 'expectations.json'), 'utf8')) as Record<string, Expected>;

describe('invalid compose files', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
    assert.deepEqual(files, Object.keys(expectations).sort());
  });

  for (const [file, expected] of Object.entries(expectations)) {
    it(file, async () => {
      const error = await loadProject({ cwd: DIR, env: {}, files: [file], projectName: 'invalid' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.equal(error.message, expected.message);
      assert.deepEqual(error.position, { file: path.join(DIR, file), line: expected.line, column: expected.column });
      if (expected.keyPath !== undefined) assert.equal(error.keyPath, expected.keyPath);
      if (expected.hint !== undefined) assert.equal(error.hint, expected.hint);
      const sourceLine = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n')[expected.line - 1];
      assert.equal(error.sourceLine, expected.sourceLine ?? sourceLine);
    });
  }
});
