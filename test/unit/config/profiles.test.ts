import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { selectByProfiles } from '../../../src/config/profiles.js';
import { loadError, loadYaml } from './helpers.js';

const STACK = [
  'services:',
  '  web: {image: web}',
  '  debug: {image: dbg, profiles: [debug]}',
  '  seed: {image: seed, profiles: [tools, init]}',
  '  docs: {image: docs, profiles: [docs]}',
  '',
].join('\n');

describe('profiles', () => {
  const services = { web: {}, debug: { profiles: ['debug'] }, seed: { profiles: ['tools', 'init'] }, docs: { profiles: ['docs'] } };
  const cases: [string, string[], string[], string[]][] = [
    ['no profile: only services without profiles', [], [], ['web']],
    ['one active profile', ['debug'], [], ['debug', 'web']],
    ['any of a service’s profiles', ['init'], [], ['seed', 'web']],
    ['* activates all', ['*'], [], ['debug', 'docs', 'seed', 'web']],
    ['a named service is enabled', [], ['docs'], ['docs', 'web']],
    ['naming a service activates its profiles', [], ['seed'], ['seed', 'web']],
  ];
  for (const [name, active, named, expected] of cases) {
    it(name, () => assert.deepEqual(selectByProfiles(services, active, named).enabled, expected));
  }

  it('puts disabled services in disabled_services', async () => {
    const { project } = await loadYaml(STACK, { profiles: ['debug'] });
    assert.deepEqual(Object.keys(project.services), ['debug', 'web']);
    assert.deepEqual(Object.keys(project.disabled_services), ['docs', 'seed']);
    assert.deepEqual(project.profiles, ['debug']);
  });

  it('reads COMPOSE_PROFILES when no --profile is given', async () => {
    const { project } = await loadYaml(STACK, { env: { COMPOSE_PROFILES: 'docs, tools' } });
    assert.deepEqual(Object.keys(project.services), ['docs', 'seed', 'web']);
  });

  it('--profile wins over COMPOSE_PROFILES', async () => {
    const { project } = await loadYaml(STACK, { profiles: ['debug'], env: { COMPOSE_PROFILES: 'docs' } });
    assert.deepEqual(Object.keys(project.services), ['debug', 'web']);
  });

  it('refuses a dependency on a disabled service, naming the profile to activate', async () => {
    const error = await loadError('services:\n  web:\n    image: web\n    depends_on: [db]\n  db:\n    image: db\n    profiles: [data]\n');
    assert.ok(error instanceof ConfigError);
    assert.equal(error.message, 'service "web" depends on "db", which is not enabled by the active profiles');
    assert.match(error.hint ?? '', /"data"/);
    assert.equal(error.keyPath, 'services.web.depends_on.db');
  });

  it('drops an optional dependency on a disabled service with a warning', async () => {
    const { project, warnings } = await loadYaml(
      'services:\n  web:\n    image: web\n    depends_on:\n      db:\n        condition: service_started\n        required: false\n  db:\n    image: db\n    profiles: [data]\n',
    );
    assert.deepEqual(project.services['web']!.depends_on, {});
    assert.match(warnings.join('\n'), /disabled by profiles/);
  });

  it('refuses to select a service that does not exist', async () => {
    const error = await loadError(STACK, { services: ['nope'] });
    assert.match(error.message, /no such service: nope/);
  });
});
