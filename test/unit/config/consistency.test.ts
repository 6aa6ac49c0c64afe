import assert from 'node:assert/strict';
import { ConfigError, DependencyCycleError } from '../../../src/errors.js';
import { loadError, loadYaml } from './helpers.js';

describe('consistency', () => {
  const cases: [string, string, string, string, number, string?][] = [
    ['an unknown depends_on service', 'services:\n  web:\n    image: x\n    depends_on: [dbb]\n  db:\n    image: y\n', 'service "web" refers to undefined service "dbb"', 'services.web.depends_on.dbb', 4, 'did you mean "db"?'],
    ['an unknown network', 'services:\n  web:\n    image: x\n    networks: [front]\nnetworks:\n  back:\n', 'service "web" refers to undefined network "front"', 'services.web.networks.front', 4],
    ['an unknown named volume', 'services:\n  web:\n    image: x\n    volumes:\n      - data:/data\n', 'service "web" refers to undefined volume "data"', 'services.web.volumes[0]', 5],
    ['an unknown secret', 'services:\n  web:\n    image: x\n    secrets: [token]\n', 'service "web" refers to undefined secret "token"', 'services.web.secrets[0]', 4],
    ['an unknown config', 'services:\n  web:\n    image: x\n    configs:\n      - source: cfg\n', 'service "web" refers to undefined config "cfg"', 'services.web.configs[0]', 5],
    ['network_mode on an unknown service', 'services:\n  web:\n    image: x\n    network_mode: service:vpn\n', 'service "web" refers to undefined service "vpn"', 'services.web.network_mode', 4],
    ['volumes_from an unknown service', 'services:\n  web:\n    image: x\n    volumes_from: [store]\n', 'service "web" refers to undefined service "store"', 'services.web.volumes_from[0]', 4],
    ['container_name with several replicas', 'services:\n  web:\n    image: x\n    container_name: web\n    deploy:\n      replicas: 2\n', 'service "web" sets container_name but asks for 2 replicas; container names must be unique', 'services.web.container_name', 4],
    ['a service: context naming an unknown service', 'services:\n  app:\n    build:\n      context: .\n      additional_contexts:\n        b: service:bse\n  base:\n    build: .\n', 'service "app" reads undefined service "bse" as additional context "b"', 'services.app.build.additional_contexts.b', 6, 'did you mean "service:base"?'],
    ['a service: context naming a service without build', 'services:\n  app:\n    build:\n      context: .\n      additional_contexts: ["b=service:db"]\n  db:\n    image: x\n', 'service "app" reads service "db" as additional context "b", but "db" has no build section', 'services.app.build.additional_contexts.b', 5],
    ['builds that read each other through service: contexts', 'services:\n  a:\n    build:\n      context: .\n      additional_contexts: {x: "service:b"}\n  b:\n    build:\n      context: .\n      additional_contexts: {y: "service:a"}\n', 'the builds of services "a" -> "b" -> "a" read each other\'s images in a loop', 'services.b.build.additional_contexts.y', 9],
    ['a service with neither image nor build', 'services:\n  web:\n    command: [x]\n', 'service "web" has neither an image nor a build context', 'services.web', 2],
  ];
  for (const [name, yaml, message, keyPath, line, hint] of cases) {
    it(`refuses ${name}`, async () => {
      const error = await loadError(yaml);
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.message, message);
      assert.equal(error.keyPath, keyPath);
      assert.equal(error.position?.line, line);
      assert.match(error.position?.file ?? '', /compose\.yaml$/);
      if (hint !== undefined) assert.equal(error.hint, hint);
    });
  }

  it('names the whole dependency cycle, walking names in sorted order', async () => {
    const error = await loadError('services:\n  c:\n    image: x\n    depends_on: [a]\n  b:\n    image: x\n    depends_on: [c]\n  a:\n    image: x\n    depends_on: [b]\n');
    assert.ok(error instanceof DependencyCycleError);
    assert.deepEqual(error.cycle, ['a', 'b', 'c', 'a']);
    assert.match(error.message, /a -> b -> c -> a/);
  });

  it('places a cycle at the entry that closes it: file, line and key path', async () => {
    const error = await loadError('services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on:\n      a:\n        condition: service_started\n');
    assert.ok(error instanceof DependencyCycleError);
    assert.ok(error instanceof ConfigError, 'a cycle in the files is an invalid project with a place');
    assert.equal(error.keyPath, 'services.b.depends_on.a');
    assert.equal(error.position?.line, 8);
    assert.match(error.position?.file ?? '', /compose\.yaml$/);
    const linked = await loadError('services:\n  a:\n    image: x\n    links: [b]\n  b:\n    image: x\n    volumes_from: [a]\n');
    assert.ok(linked instanceof DependencyCycleError);
    assert.equal(linked.keyPath, 'services.b.volumes_from[0]');
    assert.equal(linked.position?.line, 7);
  });

  it('sees cycles through implicit dependencies', async () => {
    const error = await loadError('services:\n  a:\n    image: x\n    links: [b]\n  b:\n    image: x\n    volumes_from: [a]\n');
    assert.ok(error instanceof DependencyCycleError);
    assert.deepEqual(error.cycle, ['a', 'b', 'a']);
  });

  it('refuses a service that depends on itself', async () => {
    const error = await loadError('services:\n  a:\n    image: x\n    depends_on: [a]\n');
    assert.ok(error instanceof DependencyCycleError);
    assert.deepEqual(error.cycle, ['a', 'a']);
  });

  it('accepts external resources and container: references', async () => {
    const { project } = await loadYaml(
      'services:\n  a:\n    image: x\n    volumes_from: ["container:other"]\n    networks: [ext]\nnetworks:\n  ext:\n    external: true\n',
    );
    assert.equal(project.networks['ext']!.name, 'ext');
  });
});

describe('normalize', () => {
  it('adds the default network only when a service uses it', async () => {
    const used = await loadYaml('services:\n  a: {image: x}\n');
    assert.deepEqual(used.project.services['a']!.networks, { default: null });
    assert.deepEqual(used.project.networks, { default: { name: 'app_default' } });
    const unused = await loadYaml('services:\n  a: {image: x, networks: [n]}\n  h: {image: x, network_mode: host}\nnetworks:\n  n:\n');
    assert.deepEqual(Object.keys(unused.project.networks), ['n']);
    assert.equal(unused.project.services['h']!.networks, undefined);
  });

  it('names resources <project>_<key> unless name: is given; external ones keep their key', async () => {
    const { project } = await loadYaml(
      'services:\n  a: {image: x}\nvolumes:\n  data:\n  named: {name: exact}\n  ext: {external: true}\nsecrets:\n  s: {file: ./s.txt}\nconfigs:\n  c: {external: true, name: real-c}\n',
    );
    assert.deepEqual(
      [project.volumes['data']!.name, project.volumes['named']!.name, project.volumes['ext']!.name, project.secrets['s']!.name, project.configs['c']!.name],
      ['app_data', 'exact', 'ext', 'app_s', 'real-c'],
    );
    assert.equal(project.secrets['s']!.file, `${project.working_dir}/s.txt`);
  });

  it('adds implicit dependencies from links, network_mode and volumes_from', async () => {
    const { project } = await loadYaml(
      'services:\n  web:\n    image: x\n    links: ["db:database"]\n    network_mode: "service:vpn"\n    volumes_from: ["store:ro"]\n  db: {image: x}\n  vpn: {image: x}\n  store: {image: x}\n',
    );
    assert.deepEqual(project.services['web']!.depends_on, {
      db: { condition: 'service_started', required: true, restart: true },
      vpn: { condition: 'service_started', required: true, restart: true },
      store: { condition: 'service_started', required: true, restart: false },
    });
  });

  it('maps pull_policy if_not_present to missing and fills build defaults', async () => {
    const { project, root } = await loadYaml('services:\n  a:\n    build: {}\n    pull_policy: if_not_present\n');
    assert.equal(project.services['a']!.pull_policy, 'missing');
    assert.deepEqual(project.services['a']!.build, { context: root, dockerfile: 'Dockerfile' });
  });

  it('warns about the obsolete version key', async () => {
    const { warnings } = await loadYaml('version: "3.8"\nservices:\n  a: {image: x}\n');
    assert.match(warnings.join('\n'), /`version` is obsolete/);
  });
});
