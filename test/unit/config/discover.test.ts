import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ProjectNotFoundError } from '../../../src/errors.js';
import { discoverComposeFiles } from '../../../src/config/discover.js';
import type { ConfigReader } from '../../../src/config/config-reader.js';
import { loadError, loadFiles, makeTempDir, removeDir, writeFiles } from './helpers.js';
import { loadProject } from '../../../src/config/load.js';

/** An in-memory file system: the paths listed are files, their parents directories. */
function fakeFs(files: readonly string[]): ConfigReader {
  const set = new Set(files);
  return {
    isFile: (p) => set.has(p),
    isDirectory: (p) => files.some((f) => f.startsWith(`${p}/`)),
    read: () => ({ kind: 'text', text: '' }),
  };
}

describe('discovery', () => {
  const find = (files: string[], input: Partial<Parameters<typeof discoverComposeFiles>[0]> = {}) =>
    discoverComposeFiles({ cwd: '/w/app', env: {}, ...input }, fakeFs(files));

  const cases: [string, string[], string[]][] = [
    ['compose.yaml first', ['/w/app/compose.yaml', '/w/app/docker-compose.yml'], ['/w/app/compose.yaml']],
    ['compose.yml', ['/w/app/compose.yml'], ['/w/app/compose.yml']],
    ['docker-compose.yml before docker-compose.yaml', ['/w/app/docker-compose.yaml', '/w/app/docker-compose.yml'], ['/w/app/docker-compose.yml']],
    ['the first override in the same directory', ['/w/app/compose.yaml', '/w/app/compose.override.yaml', '/w/app/docker-compose.override.yml'], ['/w/app/compose.yaml', '/w/app/compose.override.yaml']],
    ['walks up to a parent', ['/w/compose.yaml'], ['/w/compose.yaml']],
  ];
  for (const [name, files, expected] of cases) {
    it(name, () => assert.deepEqual(find(files).files, expected));
  }

  it('warns when several default names exist', () => {
    const found = find(['/w/app/compose.yaml', '/w/app/docker-compose.yml']);
    assert.match(found.warnings[0]!, /several compose files .*compose\.yaml, docker-compose\.yml; using compose\.yaml/);
  });

  it('takes the project directory from the found file', () => {
    assert.equal(find(['/w/compose.yaml']).projectDirectory, '/w');
  });

  it('resolves -f against cwd and keeps - for stdin', () => {
    const found = find(['/w/app/a.yaml'], { files: ['a.yaml', '-'] });
    assert.deepEqual(found.files, ['/w/app/a.yaml', '-']);
  });

  it('splits COMPOSE_FILE on COMPOSE_PATH_SEPARATOR', () => {
    const found = find(['/w/app/a.yaml', '/w/app/b.yaml'], { env: { COMPOSE_FILE: 'a.yaml;b.yaml', COMPOSE_PATH_SEPARATOR: ';' } });
    assert.deepEqual(found.files, ['/w/app/a.yaml', '/w/app/b.yaml']);
  });

  it('splits COMPOSE_FILE on : by default', () => {
    const found = find(['/w/app/a.yaml', '/w/app/b.yaml'], { env: { COMPOSE_FILE: 'a.yaml:b.yaml' } });
    assert.deepEqual(found.files, ['/w/app/a.yaml', '/w/app/b.yaml']);
  });

  it('-f wins over COMPOSE_FILE', () => {
    const found = find(['/w/app/a.yaml', '/w/app/b.yaml'], { files: ['b.yaml'], env: { COMPOSE_FILE: 'a.yaml' } });
    assert.deepEqual(found.files, ['/w/app/b.yaml']);
  });

  it('searches --project-directory and keeps it as the project directory', () => {
    const found = find(['/w/other/compose.yaml', '/w/app/compose.yaml'], { projectDirectory: '../other' });
    assert.deepEqual(found.files, ['/w/other/compose.yaml']);
    assert.equal(found.projectDirectory, '/w/other');
  });

  it('says where it looked when nothing is found', () => {
    assert.throws(
      () => find([]),
      (e: unknown) =>
        e instanceof ProjectNotFoundError &&
        e.message === 'no compose file found in /w/app or any parent directory (looked in: /w/app, /w, /)' &&
        /create compose\.yaml in \/w\/app, name a file with -f, or set COMPOSE_FILE/.test(e.hint ?? ''),
    );
  });

  it('names a missing -f file', () => {
    assert.throws(() => find([], { files: ['nope.yaml'] }), (e: unknown) => e instanceof ProjectNotFoundError && e.message === 'compose file not found: /w/app/nope.yaml');
  });

  it('reads -f - through readStdin', async () => {
    const root = makeTempDir();
    try {
      const result = await loadProject({ cwd: root, env: {}, files: ['-'], readStdin: async () => 'services:\n  a:\n    image: from-stdin\n' });
      assert.equal(result.project.services['a']!.image, 'from-stdin');
      assert.equal(result.project.working_dir, root);
    } finally {
      removeDir(root);
    }
  });

  it('finds the file from a sub-directory', async () => {
    const { project, root } = await loadFiles({ 'compose.yaml': 'services:\n  a: {image: x}\n', 'src/deep/.keep': '' }, { cwdRel: 'src/deep' });
    assert.equal(project.working_dir, root);
    assert.equal(project.name, 'app');
  });
});

describe('environment sources', () => {
  const compose = 'services:\n  a:\n    image: "x:${V}"\n    labels:\n      w: "${W:-none}"\n';

  it('reads .env of the project directory for interpolation only', async () => {
    const { project } = await loadFiles({ 'compose.yaml': compose, '.env': 'V=dotenv\n' });
    assert.equal(project.services['a']!.image, 'x:dotenv');
    assert.deepEqual(project.services['a']!.environment, {});
  });

  it('lets the OS environment win over .env', async () => {
    const { project } = await loadFiles({ 'compose.yaml': compose, '.env': 'V=dotenv\n' }, { env: { V: 'os' } });
    assert.equal(project.services['a']!.image, 'x:os');
  });

  it('uses --env-file instead of .env, later files winning', async () => {
    const { project } = await loadFiles(
      { 'compose.yaml': compose, '.env': 'V=dotenv\nW=dotenv\n', 'one.env': 'V=one\nW=one\n', 'two.env': 'V=two\n' },
      { envFiles: ['one.env', 'two.env'] },
    );
    assert.equal(project.services['a']!.image, 'x:two');
    assert.deepEqual(project.services['a']!.labels, { w: 'one' });
  });

  it('reads COMPOSE_ENV_FILES when no --env-file is given', async () => {
    const { project } = await loadFiles({ 'compose.yaml': compose, 'e.env': 'V=listed\n' }, { env: { COMPOSE_ENV_FILES: 'e.env' } });
    assert.equal(project.services['a']!.image, 'x:listed');
  });

  it('skips .env with COMPOSE_DISABLE_ENV_FILE', async () => {
    const { project, warnings } = await loadFiles({ 'compose.yaml': compose, '.env': 'V=dotenv\n' }, { env: { COMPOSE_DISABLE_ENV_FILE: 'true' } });
    assert.equal(project.services['a']!.image, 'x:');
    assert.match(warnings.join('\n'), /"V" variable is not set/);
  });

  it('lets .env set COMPOSE_FILE and COMPOSE_PROFILES', async () => {
    const { project } = await loadFiles({
      '.env': 'COMPOSE_FILE=stack.yaml\nCOMPOSE_PROFILES=extra\n',
      'stack.yaml': 'services:\n  a: {image: a}\n  b: {image: b, profiles: [extra]}\n',
    });
    assert.deepEqual(Object.keys(project.services), ['a', 'b']);
  });

  it('fails clearly on a missing --env-file', async () => {
    const error = await loadError({ 'compose.yaml': compose }, { envFiles: ['missing.env'] });
    assert.ok(error instanceof ProjectNotFoundError);
    assert.match(error.message, /env file not found: .*missing\.env/);
  });

  it('never writes into process.env', async () => {
    const before = process.env['V'];
    await loadFiles({ 'compose.yaml': compose, '.env': 'V=leak\n' });
    assert.equal(process.env['V'], before);
  });

  it('reads .env of the project directory as well as the working one', async () => {
    const root = makeTempDir();
    try {
      writeFiles(root, { 'proj/compose.yaml': compose, 'proj/.env': 'V=proj\nW=proj\n', 'cwd/.env': 'W=cwd\n' });
      const { project } = await loadProject({ cwd: path.join(root, 'cwd'), env: {}, files: ['../proj/compose.yaml'] });
      assert.equal(project.services['a']!.image, 'x:proj');
      assert.deepEqual(project.services['a']!.labels, { w: 'cwd' });
    } finally {
      removeDir(root);
    }
  });
});
