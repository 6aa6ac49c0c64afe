import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { loadError, loadFiles } from './helpers.js';

// Compose reads the env files (and label files) of the services a command runs only: the named
// ones and what they depend on, never those of a service disabled by profiles.
const STACK = [
  'services:',
  '  web:',
  '    image: x',
  '    env_file: [web.env]',
  '    depends_on: [db]',
  '  db:',
  '    image: x',
  '    env_file: [db.env]',
  '  worker:',
  '    image: x',
  '    env_file: [missing-worker.env]',
  '    label_file: [missing-worker.labels]',
  '  tool:',
  '    image: x',
  '    profiles: [ops]',
  '    env_file: [missing-tool.env]',
  '',
].join('\n');
const FILES = { 'compose.yaml': STACK, 'web.env': 'W=1\n', 'db.env': 'D=1\n' };

describe('env files of services that do not run', () => {
  it('a named service and its dependencies get their env files; another service\'s missing env or label file breaks nothing', async () => {
    const { project } = await loadFiles(FILES, { services: ['web'] });
    assert.deepEqual(project.services['web']?.environment, { W: '1' });
    assert.deepEqual(project.services['db']?.environment, { D: '1' });
    // Not selected: its env_file stays unread, as in Compose.
    assert.deepEqual(project.services['worker']?.environment, {});
    assert.equal(project.services['worker']?.env_file?.length, 1);
  });

  it('a service disabled by profiles keeps its missing env file unread', async () => {
    const error = await loadError(FILES);
    // With nothing named, every enabled service runs: worker's file is needed, tool's is not.
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /missing-worker\.env/);
    const { project } = await loadFiles({ ...FILES, 'missing-worker.env': '', 'missing-worker.labels': 'l=1\n' });
    assert.deepEqual(Object.keys(project.services).sort(), ['db', 'web', 'worker']);
    assert.deepEqual(project.services['worker']?.labels, { l: '1' });
  });

  it('a selected service\'s missing env file is still an error at its key, with its line', async () => {
    const error = await loadError(FILES, { services: ['worker'] });
    assert.ok(error instanceof ConfigError);
    assert.equal(error.keyPath, 'services.worker.env_file[0]');
    assert.equal(error.position?.line, 11);
  });

  it('a dependency\'s missing env file is an error when its dependent is named', async () => {
    const error = await loadError({ 'compose.yaml': STACK, 'web.env': 'W=1\n' }, { services: ['web'] });
    assert.ok(error instanceof ConfigError);
    assert.equal(error.keyPath, 'services.db.env_file[0]');
  });

  it('naming a service disabled by profiles reads its env file', async () => {
    const error = await loadError(FILES, { services: ['tool'] });
    assert.ok(error instanceof ConfigError);
    assert.equal(error.keyPath, 'services.tool.env_file[0]');
  });

  it('resolveEnvironment: false reads no env file: env_file stays, environment is what the file declares', async () => {
    const { project } = await loadFiles(
      { 'compose.yaml': 'services:\n  a:\n    image: x\n    env_file: [missing.env, a.env]\n    environment: { B: "2" }\n', 'a.env': 'A=1\n' },
      { resolveEnvironment: false },
    );
    assert.deepEqual(project.services['a']?.environment, { B: '2' });
    assert.deepEqual(project.services['a']?.env_file?.map((e) => e.path.split('/').pop()), ['missing.env', 'a.env']);
  });
});
