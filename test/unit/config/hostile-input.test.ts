import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { loadError, loadFiles } from './helpers.js';

/** Issue 17: valid but unusual files load, broken or hostile ones give a placed ConfigError. */
describe('hostile and broken input', () => {
  describe('extends across files', () => {
    it('an extends.file naming its own file is valid when the service differs', async () => {
      const { project } = await loadFiles({
        'compose.yaml': 'services:\n  base:\n    image: x\n  web:\n    extends: {file: compose.yaml, service: base}\n',
      });
      assert.equal(project.services['web']?.image, 'x');
    });

    it('two files may extend each other when no service loops', async () => {
      const { project } = await loadFiles({
        'compose.yaml': 'services:\n  web:\n    extends: {file: b.yaml, service: app}\n  plain:\n    image: p\n',
        'b.yaml': 'services:\n  app:\n    extends: {file: compose.yaml, service: plain}\n    labels: {from: b}\n',
      });
      assert.equal(project.services['web']?.image, 'p');
      assert.deepEqual(project.services['web']?.labels, { from: 'b' });
    });

    it('a cycle across files is named, files and services', async () => {
      const error = await loadError({
        'compose.yaml': 'services:\n  web:\n    extends: {file: b.yaml, service: app}\n',
        'b.yaml': 'services:\n  app:\n    extends: {file: compose.yaml, service: web}\n',
      });
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, /extends cycle: compose\.yaml:web -> b\.yaml:app -> compose\.yaml:web/);
    });

    it('a service extending itself through its own file is a cycle', async () => {
      const error = await loadError('services:\n  web:\n    image: x\n    extends: {file: compose.yaml, service: web}\n');
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, /extends cycle: web -> web/);
    });
  });
});
