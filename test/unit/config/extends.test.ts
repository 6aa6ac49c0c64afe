import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { loadError, loadFiles, plain } from './helpers.js';

describe('extends', () => {
  it('extends a service of the same file, local values winning', async () => {
    const { project } = await loadFiles({
      'compose.yaml': [
        'services:',
        '  base:',
        '    image: app',
        '    environment: {A: "1", B: "1"}',
        '    command: [run, base]',
        '    ports: ["80:80"]',
        '  web:',
        '    extends: base',
        '    environment: {B: "2"}',
        '    command: [run, web]',
        '    ports: ["81:81"]',
        '',
      ].join('\n'),
    });
    const web = project.services['web']!;
    assert.equal(web.image, 'app');
    assert.deepEqual(web.environment, { A: '1', B: '2' });
    assert.deepEqual(web.command, ['run', 'web']);
    assert.deepEqual(web.ports.map((p) => p.published), ['80', '81']);
    assert.equal('extends' in web, false);
  });

  it('extends recursively', async () => {
    const { project } = await loadFiles({
      'compose.yaml': 'services:\n  a:\n    image: a\n    labels: {x: a}\n  b:\n    extends: a\n    labels: {y: b}\n  c:\n    extends: {service: b}\n    labels: {z: c}\n',
    });
    assert.deepEqual(project.services['c']!.labels, { x: 'a', y: 'b', z: 'c' });
    assert.equal(project.services['c']!.image, 'a');
  });

  it('extends a service of another file, its relative paths taken from that file', async () => {
    const { project, root } = await loadFiles({
      'compose.yaml': 'services:\n  web:\n    extends:\n      file: common/base.yaml\n      service: app\n    image: web\n    volumes: ["./local:/local"]\n',
      'common/base.yaml': 'services:\n  app:\n    build: ./ctx\n    volumes: ["./shared:/shared"]\n    env_file: base.env\n',
      'common/base.env': 'FROM_BASE=1\n',
    });
    const web = project.services['web']!;
    assert.equal(web.build?.context, `${root}/common/ctx`);
    assert.deepEqual(web.volumes.map((v) => v.source), [`${root}/common/shared`, `${root}/local`]);
    assert.deepEqual(web.environment, { FROM_BASE: '1' });
  });

  it('does not import the base file’s other services', async () => {
    const { project } = await loadFiles({
      'compose.yaml': 'services:\n  web:\n    extends: {file: b.yaml, service: app}\n',
      'b.yaml': 'services:\n  app:\n    image: x\n  other:\n    image: y\n',
    });
    assert.deepEqual(Object.keys(project.services), ['web']);
  });

  it('applies a local !reset to what is inherited', async () => {
    const { project } = await loadFiles({
      'compose.yaml': 'services:\n  base:\n    image: x\n    ports: ["80:80"]\n  web:\n    extends: base\n    ports: !reset []\n',
    });
    assert.deepEqual(plain(project.services['web']!.ports), []);
  });

  it('refuses a cycle, naming it', async () => {
    const error = await loadError('services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n');
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /extends cycle: a -> b -> c -> a/);
    assert.equal(error.keyPath, 'services.a.extends');
  });

  it('refuses an unknown base service at its position', async () => {
    const error = await loadError('services:\n  web:\n    extends: nope\n');
    assert.ok(error instanceof ConfigError);
    assert.equal(error.message, 'services.web extends "nope", which is not defined');
    assert.equal(error.position?.line, 3);
  });

  it('refuses a missing base file with its path', async () => {
    const error = await loadError('services:\n  web:\n    extends: {file: missing.yaml, service: a}\n');
    assert.match(error.message, /extends file not found: .*missing\.yaml/);
  });
});
