import assert from 'node:assert/strict';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { resolveProjectName } from '../../../src/config/project-name.js';
import { loadProjectName } from '../../../src/config/load.js';
import { loadFiles, loadYaml, makeTempDir, removeDir, writeFiles } from './helpers.js';

describe('project name', () => {
  const cases: [string, Parameters<typeof resolveProjectName>[0], string][] = [
    ['-p wins', { flag: 'flag', env: 'env', fromFiles: 'file', projectDirectory: '/x/dir' }, 'flag'],
    ['COMPOSE_PROJECT_NAME next', { env: 'env', fromFiles: 'file', projectDirectory: '/x/dir' }, 'env'],
    ['then name:', { fromFiles: 'file', projectDirectory: '/x/dir' }, 'file'],
    ['then the folder', { projectDirectory: '/x/dir' }, 'dir'],
    ['name: is normalised', { fromFiles: 'My App!', projectDirectory: '/x' }, 'myapp'],
    ['the folder is normalised', { projectDirectory: '/x/_My.Project-1' }, 'myproject-1'],
    ['an empty -p is ignored', { flag: '', projectDirectory: '/x/dir' }, 'dir'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(resolveProjectName(input).name, expected));
  }

  it('refuses an invalid -p with a suggestion', () => {
    assert.throws(
      () => resolveProjectName({ flag: 'My_App', projectDirectory: '/x' }),
      (e: unknown) => e instanceof UsageError && /invalid project name "My_App" \(from -p\)/.test(e.message) && e.hint === 'try "my_app"',
    );
  });

  it('refuses an invalid COMPOSE_PROJECT_NAME', () => {
    assert.throws(() => resolveProjectName({ env: '-bad', projectDirectory: '/x' }), (e: unknown) => e instanceof UsageError && /COMPOSE_PROJECT_NAME/.test(e.message));
  });

  it('refuses a name: with nothing usable', () => {
    assert.throws(() => resolveProjectName({ fromFiles: '!!!', projectDirectory: '/x' }), ConfigError);
  });

  it('interpolates name:, the last file winning, and exports COMPOSE_PROJECT_NAME', async () => {
    const { project } = await loadFiles(
      {
        'a.yaml': 'name: first\nservices:\n  s:\n    image: x\n',
        'b.yaml': 'name: "${STAGE}-stack"\nservices:\n  s:\n    labels:\n      p: $COMPOSE_PROJECT_NAME\n',
      },
      { files: ['a.yaml', 'b.yaml'], env: { STAGE: 'ci' } },
    );
    assert.equal(project.name, 'ci-stack');
    assert.deepEqual(project.services['s']!.labels, { p: 'ci-stack' });
    assert.equal(project.networks['default']!.name, 'ci-stack_default');
  });

  it('takes COMPOSE_PROJECT_NAME from .env', async () => {
    const { project } = await loadFiles({ 'compose.yaml': 'services:\n  s: {image: x}\n', '.env': 'COMPOSE_PROJECT_NAME=fromdotenv\n' });
    assert.equal(project.name, 'fromdotenv');
  });

  it('-p beats name:', async () => {
    const { project } = await loadYaml('name: file\nservices:\n  s: {image: x}\n', { projectName: 'cli' });
    assert.equal(project.name, 'cli');
  });

  it('loadProjectName works from -p alone, without files', async () => {
    assert.equal(await loadProjectName({ cwd: '/nonexistent', env: {}, projectName: 'solo' }), 'solo');
  });

  it('loadProjectName reads name: from the files', async () => {
    const root = makeTempDir();
    try {
      writeFiles(root, { 'compose.yaml': 'name: named\nservices: {}\n' });
      assert.equal(await loadProjectName({ cwd: root, env: {} }), 'named');
    } finally {
      removeDir(root);
    }
  });
});
