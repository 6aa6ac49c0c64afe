import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { loadError, loadFiles } from './helpers.js';

describe('include', () => {
  it('imports services and resources with their own project directory', async () => {
    const { project, root } = await loadFiles({
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres\n    volumes: ["./init:/docker-entrypoint-initdb.d", "data:/var/lib/postgresql/data"]\nvolumes:\n  data:\n',
    });
    assert.deepEqual(Object.keys(project.services), ['db', 'web']);
    assert.equal(project.services['db']!.volumes[0]!.source, `${root}/db/init`);
    assert.equal(project.volumes['data']!.name, 'app_data');
  });

  it('gives the included project its own .env defaults, the parent environment winning', async () => {
    const { project } = await loadFiles(
      {
        'compose.yaml': 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n',
        'sub/compose.yaml': 'services:\n  db:\n    image: "postgres:${PG_TAG}"\n    labels:\n      who: ${WHO}\n',
        'sub/.env': 'PG_TAG=16\nWHO=sub\n',
      },
      { env: { WHO: 'parent' } },
    );
    assert.equal(project.services['db']!.image, 'postgres:16');
    assert.deepEqual(project.services['db']!.labels, { who: 'parent' });
  });

  it('takes the long form with env_file and project_directory', async () => {
    const { project, root } = await loadFiles({
      'compose.yaml': 'include:\n  - path: parts/x.yaml\n    project_directory: parts/dir\n    env_file: parts/x.env\n',
      'parts/x.yaml': 'services:\n  x:\n    image: "x:${V}"\n    build: .\n',
      'parts/x.env': 'V=7\n',
    });
    assert.equal(project.services['x']!.image, 'x:7');
    assert.equal(project.services['x']!.build?.context, `${root}/parts/dir`);
  });

  it('lets the including file override an included service', async () => {
    const { project } = await loadFiles({
      'compose.yaml': 'include: [inc.yaml]\nservices:\n  a:\n    image: mine\n',
      'inc.yaml': 'services:\n  a:\n    image: theirs\n    restart: always\n',
    });
    assert.equal(project.services['a']!.image, 'mine');
    assert.equal(project.services['a']!['restart'], 'always');
  });

  it('includes recursively', async () => {
    const { project } = await loadFiles({
      'compose.yaml': 'include: [one/compose.yaml]\n',
      'one/compose.yaml': 'include: [../two/compose.yaml]\nservices:\n  one: {image: one}\n',
      'two/compose.yaml': 'services:\n  two: {image: two}\n',
    });
    assert.deepEqual(Object.keys(project.services), ['one', 'two']);
  });

  it('refuses an include cycle', async () => {
    const error = await loadError({
      'compose.yaml': 'include: [a.yaml]\nservices:\n  x: {image: x}\n',
      'a.yaml': 'include: [b.yaml]\n',
      'b.yaml': 'include: [a.yaml]\n',
    });
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /include cycle: compose\.yaml -> a\.yaml -> b\.yaml -> a\.yaml/);
  });

  it('refuses two included files that define the same service differently', async () => {
    const error = await loadError({
      'compose.yaml': 'include: [a.yaml, b.yaml]\n',
      'a.yaml': 'services:\n  s: {image: a}\n',
      'b.yaml': 'services:\n  s: {image: b}\n',
    });
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /defines services\.s, which .*a\.yaml already defines differently/);
    assert.equal(error.keyPath, 'include[1]');
  });

  it('refuses a missing included file at its entry', async () => {
    const error = await loadError('include:\n  - nope.yaml\nservices:\n  a: {image: a}\n');
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /included file not found: .*nope\.yaml/);
    assert.equal(error.position?.line, 2);
  });
});
