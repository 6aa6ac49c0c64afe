import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfig } from '../../../src/cli/commands/config.js';
import { loadProject } from '../../../src/config/load.js';

const DIR = fileURLToPath(new URL('../../../../test/fixtures/stacks/', import.meta.url));

interface Case {
  readonly files?: string[];
  readonly projectName?: string;
  readonly profiles?: string[];
  readonly services?: string[];
  readonly env?: Record<string, string>;
}

/**
 * Each stack's expected.json was written by hand from the Compose Specification's canonical form
 * (what `docker compose config --format json` prints); `${DIR}` stands for the stack's directory.
 */
describe('realistic stacks: config --format json', () => {
  for (const name of fs.readdirSync(DIR).sort()) {
    it(name, async () => {
      const dir = path.join(DIR, name);
      const spec = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as Case;
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8').replaceAll('${DIR}', dir)) as unknown;
      const { project } = await loadProject({ cwd: dir, env: spec.env ?? {}, ...spec, ...(spec.env === undefined ? {} : { env: spec.env }) });
      const printed = JSON.parse(renderConfig(project, { format: 'json', list: undefined, hash: undefined })) as unknown;
      assert.deepEqual(printed, expected);
    });
  }
});
