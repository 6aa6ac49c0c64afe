import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { renderConfig, selectServices } from '../../../src/cli/commands/config.js';
import { project, service } from '../../helpers/project-fixture.js';
import { serviceConfigHash } from '../../../src/model/config-hash.js';
import { loadYaml } from './helpers.js';

const STACK = [
  'name: demo',
  'services:',
  '  web:',
  '    build: .',
  '    ports: ["80:80"]',
  '    profiles: [front]',
  '  db:',
  '    image: postgres',
  '    volumes: ["data:/d"]',
  '  tool:',
  '    image: tool',
  '    profiles: [ops]',
  'volumes:',
  '  data:',
  'x-meta:',
  '  owner: team',
  '',
].join('\n');

describe('config command output', () => {
  const render = async (options: Parameters<typeof renderConfig>[1]): Promise<string> => {
    const { project } = await loadYaml(STACK, { profiles: ['front'], env: { ZED: 'z' } });
    return renderConfig(project, options);
  };

  it('prints YAML with name first, then services, networks, volumes and extensions', async () => {
    const text = await render({ format: 'yaml', list: undefined, hash: undefined });
    assert.deepEqual(Object.keys(parse(text) as object), ['name', 'services', 'networks', 'volumes', 'x-meta']);
    assert.match(text, /^name: demo\nservices:\n {2}db:\n/);
    assert.match(text, /published: "80"/);
  });

  it('leaves out internal fields and empty collections', async () => {
    const doc = JSON.parse(await render({ format: 'json', list: undefined, hash: undefined })) as Record<string, Record<string, Record<string, unknown>>>;
    assert.equal('working_dir' in doc, false);
    assert.equal('disabled_services' in doc, false);
    assert.equal('environment' in doc, false);
    assert.deepEqual(Object.keys(doc['services']!['db']!), ['image', 'networks', 'volumes']);
  });

  const lists: [NonNullable<Parameters<typeof renderConfig>[1]['list']>, string][] = [
    ['services', 'db\nweb'],
    ['volumes', 'data'],
    ['networks', 'default'],
    ['images', 'postgres\ndemo-web'],
    ['profiles', 'front\nops'],
  ];
  for (const [list, expected] of lists) {
    it(`--${list}`, async () => assert.equal(await render({ format: 'yaml', list, hash: undefined }), expected));
  }

  it('--environment lists the interpolation environment', async () => {
    assert.equal(await render({ format: 'yaml', list: 'environment', hash: undefined }), 'COMPOSE_PROJECT_NAME=demo\nZED=z');
  });

  it('--hash prints one line per service', async () => {
    const { project } = await loadYaml(STACK, { profiles: ['front'] });
    assert.equal(renderConfig(project, { format: 'yaml', list: undefined, hash: '*' }), `db ${serviceConfigHash(project.services['db']!)}\nweb ${serviceConfigHash(project.services['web']!)}`);
    assert.throws(() => renderConfig(project, { format: 'yaml', list: undefined, hash: 'nope' }), /no such service: nope/);
  });
});

describe('config SERVICE', () => {
  it('keeps the named services and their dependencies only', () => {
    const p = project('p', { web: service({ depends: ['db'] }), db: service(), other: service() });
    assert.deepEqual(Object.keys(selectServices(p, ['web']).services).sort(), ['db', 'web']);
    assert.deepEqual(Object.keys(selectServices(p, []).services).sort(), ['db', 'other', 'web']);
  });
});
