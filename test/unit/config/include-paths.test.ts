import assert from 'node:assert/strict';
import { loadFiles } from './helpers.js';

// Compose loads an included file as a project of its own: its defaults (a build's context) and its
// relative paths are taken from its project directory, never from the including project's folder,
// and they are resolved even under --no-path-resolution.
const INCLUDED = [
  'services:',
  '  api:',
  '    image: api',
  '    build: { dockerfile: api.Dockerfile, additional_contexts: { assets: ./assets } }',
  '    env_file: [api.env]',
  '    label_file: [api.labels]',
  '    volumes: ["./data:/data"]',
  '    secrets: [token]',
  '    configs: [conf]',
  '  worker:',
  '    image: worker',
  '    build: { context: ./worker }',
  'secrets:',
  '  token: { file: ./token.txt }',
  'configs:',
  '  conf: { file: ./conf.ini }',
  '',
].join('\n');

const FILES = {
  'compose.yaml': 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n    build: {}\n',
  'sub/compose.yaml': INCLUDED,
  'sub/api.env': 'FROM=sub\n',
  'sub/api.labels': 'from=sub\n',
};

describe('paths of an included file', () => {
  it('a build without context, and every relative path, resolve against the included project\'s folder', async () => {
    const { project, root } = await loadFiles(FILES);
    const api = project.services['api']!;
    assert.equal(api.build?.context, `${root}/sub`);
    assert.equal(api.build?.dockerfile, 'api.Dockerfile');
    assert.deepEqual(api.build?.['additional_contexts'], { assets: `${root}/sub/assets` });
    assert.equal(project.services['worker']!.build?.context, `${root}/sub/worker`);
    assert.deepEqual(api.environment, { FROM: 'sub' });
    assert.deepEqual(api.labels, { from: 'sub' });
    assert.equal(api.volumes[0]!.source, `${root}/sub/data`);
    assert.equal(project.secrets['token']!.file, `${root}/sub/token.txt`);
    assert.equal(project.configs['conf']!.file, `${root}/sub/conf.ini`);
    // The including project's own build keeps its folder.
    assert.equal(project.services['web']!.build?.context, root);
  });

  it('with project_directory, that folder', async () => {
    const { project, root } = await loadFiles({
      ...FILES,
      'compose.yaml': 'include:\n  - path: sub/compose.yaml\n    project_directory: elsewhere\n',
      'elsewhere/api.env': 'FROM=elsewhere\n',
      'elsewhere/api.labels': 'from=elsewhere\n',
    });
    assert.equal(project.services['api']!.build?.context, `${root}/elsewhere`);
    assert.deepEqual(project.services['api']!.environment, { FROM: 'elsewhere' });
  });

  it('--no-path-resolution leaves the including file\'s paths as written, not the included file\'s', async () => {
    const { project, root } = await loadFiles(
      { ...FILES, 'compose.yaml': 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n    volumes: ["./mine:/m"]\n' },
      { resolvePaths: false },
    );
    assert.equal(project.services['web']!.volumes[0]!.source, './mine');
    assert.equal(project.services['api']!.build?.context, `${root}/sub`);
    assert.equal(project.services['api']!.volumes[0]!.source, `${root}/sub/data`);
    assert.deepEqual(project.services['api']!.environment, { FROM: 'sub' });
  });
});
