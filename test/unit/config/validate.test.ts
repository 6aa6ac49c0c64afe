import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { benchWorkloads, workloadYaml } from '../../../bench/workloads.js';
import { ConfigError } from '../../../src/errors.js';
import { validateComposeFile } from '../../../src/config/validate.js';
import { validateStage } from '../../../src/config/validate-stage.js';
import type { Mapping } from '../../../src/config/tree.js';
import { parseYamlWithLocator } from '../../helpers/yaml-locator.js';
import { invalidCases, validCases } from './validate-cases.js';

function validationError(yaml: string): ConfigError {
  const { tree, locator } = parseYamlWithLocator(yaml);
  try {
    validateComposeFile(tree, locator);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `not a ConfigError: ${String(error)}`);
    return error;
  }
  assert.fail('the file was accepted');
}

describe('validateComposeFile', () => {
  describe('accepts', () => {
    for (const { name, yaml } of validCases) {
      it(name, () => {
        const { tree, locator } = parseYamlWithLocator(yaml);
        // A `${...}` in a case is one --no-interpolate leaves in place.
        validateStage(tree as Mapping, locator, yaml.includes('${'));
      });
    }
  });

  describe('rejects', () => {
    for (const { name, yaml, message, keyPath, line, column } of invalidCases) {
      it(name, () => {
        const error = validationError(yaml);
        assert.deepEqual(
          { message: error.message, keyPath: error.keyPath, line: error.position?.line, column: error.position?.column },
          { message, keyPath, line, column },
        );
        assert.equal(error.position?.file, 'compose.yaml');
        assert.equal(error.sourceLine, yaml.split('\n')[line - 1]);
        assert.ok(error.hint !== undefined && error.hint.length > 0, 'a hint');
      });
    }
  });

  describe('hints', () => {
    const hints: readonly [yaml: string, hint: string][] = [
      ['services:\n  web:\n    enviroment: {}\n', 'rename "enviroment" to "environment"'],
      ['services:\n  web:\n    replicas: 2\n', '"replicas" belongs under "deploy:" (deploy.replicas)'],
      ['web:\n  image: nginx\n', '"web" looks like a service: move it under "services:"'],
      ['services:\n  web:\n    image: 5\n', 'put the value in quotes: "5"'],
      ['services:\n  web:\n    image:\n', 'give "image" a value, or remove it'],
      ['services:\n  web:\n    depends_on: db\n', 'write it as a sequence, e.g. ["db"]'],
      ['services:\n  web: nginx\n', 'a service is a mapping of its keys; to run an image, write "image: nginx" under "web:"'],
      [
        'services:\n  web:\n    depends_on:\n      db: {}\n',
        'add "condition" ("service_started", "service_healthy" or "service_completed_successfully")',
      ],
      ['services:\n  web:\n    ports: ["80:80", "80:80"]\n', 'remove the duplicate entry [1]'],
      ['services:\n  "a b": {}\n', 'names may only contain letters, digits, ".", "_" and "-"'],
    ];
    for (const [yaml, hint] of hints) {
      it(JSON.stringify(yaml), () => assert.equal(validationError(yaml).hint, hint));
    }
  });

  it('points at the key inside a merged anchor', () => {
    const error = validationError('x-base: &base\n  image: nginx\n  tty: maybe\nservices:\n  web:\n    <<: *base\n');
    assert.equal(error.message, 'services.web.tty: expected a boolean (true or false), got "maybe"');
    assert.equal(error.position?.line, 3);
  });

  describe('accepts every benchmark workload', () => {
    for (const workload of benchWorkloads()) {
      it(workload.name, () => {
        const { tree, locator } = parseYamlWithLocator(workloadYaml(workload), `${workload.name}.yml`);
        validateComposeFile(tree, locator);
      });
    }
  });

  it('has at least 40 valid and 40 invalid cases', () => {
    assert.ok(validCases.length >= 40, `${validCases.length} valid cases`);
    assert.ok(invalidCases.length >= 40, `${invalidCases.length} invalid cases`);
  });
});

describe('the generated validator', () => {
  it('is up to date with schemas/compose-spec.json', async () => {
    // Imported at run time: the build script is plain JavaScript outside the TypeScript project.
    const script = (await import(new URL('../../../../scripts/build-schema.mjs', import.meta.url).href)) as {
      generate(schemaText: string): { validatorText: string; sourceText: string };
      validatorFile: string;
      sourceFile: string;
      schemaFile: string;
    };
    const expected = script.generate(readFileSync(script.schemaFile, 'utf8'));
    const stale = 'stale: run node scripts/build-schema.mjs and commit the result';
    assert.ok(readFileSync(script.validatorFile, 'utf8') === expected.validatorText, stale);
    assert.ok(readFileSync(script.sourceFile, 'utf8') === expected.sourceText, stale);
  });
});
