import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import type { ConfigReader } from '../../../src/config/config-reader.js';
import { parseComposeText } from '../../../src/config/parse.js';
import { runPipeline } from '../../../src/config/pipeline.js';
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

describe('names of Object.prototype members are names like any other', () => {
  const refused = async (service: string, keyPath: RegExp): Promise<void> => {
    const error = await loadError(`services:\n  web:\n    image: x\n${service}`);
    assert.ok(error instanceof ConfigError, `${service}: ${String(error)}`);
    assert.match(error.message, /refers to undefined/, service);
    assert.match(error.keyPath ?? '', keyPath, service);
  };
  const cases: [string, RegExp][] = [
    ['    depends_on: [toString]\n', /depends_on/],
    ['    depends_on: [hasOwnProperty]\n', /depends_on/],
    ['    networks: [constructor]\n', /networks/],
    ['    volumes: ["valueOf:/data"]\n', /volumes/],
    ['    secrets: [toString]\n', /secrets/],
    ['    configs: [constructor]\n', /configs/],
    ['    volumes_from: [toString]\n', /volumes_from/],
    ['    links: [constructor]\n', /links/],
    ['    network_mode: "service:toString"\n', /network_mode/],
  ];
  for (const [service, keyPath] of cases) {
    it(`refuses an undeclared ${service.trim()}`, () => refused(service, keyPath));
  }

  it('${constructor} is an unset variable, and ${toString:?msg} fails', async () => {
    const { project, warnings } = await loadFiles({ 'compose.yaml': 'services:\n  web:\n    image: "a${constructor}"\n' });
    assert.equal(project.services['web']?.image, 'a');
    assert.ok(warnings.some((w) => w.includes('constructor')), warnings.join('\n'));
    const error = await loadError('services:\n  web:\n    image: "${toString:?is required}"\n');
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(error.message, /is required/);
  });

  it('__proto__ as a service, network, volume or label key is refused with its place', async () => {
    for (const [yaml, keyPath] of [
      ['services:\n  __proto__:\n    image: x\n', 'services.__proto__'],
      ['services:\n  web:\n    image: x\nnetworks:\n  __proto__: {}\n', 'networks.__proto__'],
      ['services:\n  web:\n    image: x\nvolumes:\n  __proto__: {}\n', 'volumes.__proto__'],
      ['services:\n  web:\n    image: x\n    labels: {__proto__: x}\n', 'services.web.labels.__proto__'],
      ['services:\n  web:\n    image: x\n    labels: ["__proto__=x"]\n', 'services.web.labels[0]'],
      ['services:\n  web:\n    image: x\n    environment: ["__proto__=x"]\n', 'services.web.environment[0]'],
    ] as const) {
      const error = await loadError(yaml);
      assert.ok(error instanceof ConfigError, `${yaml}: ${String(error)}`);
      assert.match(error.message, /__proto__/);
      assert.equal(error.keyPath, keyPath, yaml);
      assert.ok(error.position !== undefined, yaml);
    }
  });

  it('a variable named __proto__ in .env is kept', async () => {
    const { project } = await loadFiles({ '.env': '__proto__=kept\n', 'compose.yaml': 'services:\n  web:\n    image: "a-${__proto__}"\n' });
    assert.equal(project.services['web']?.image, 'a-kept');
  });
});

describe('extends of a prototype member name', () => {
  it('extends: __proto__ or toString is an undefined service', async () => {
    for (const base of ['__proto__', 'toString']) {
      const error = await loadError(`services:\n  web:\n    image: x\n    extends: ${base}\n`);
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, /which is not defined/);
    }
  });
});

describe('a file that is not a compose file', () => {
  for (const [what, text] of [
    ['empty', ''],
    ['only comments', '# nothing\n\n  # here\n'],
    ['a top-level ~', '~\n'],
    ['--- ~', '--- ~\n'],
  ] as const) {
    it(`${what}: "empty compose file" naming the file`, async () => {
      const error = await loadError(text);
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, /^empty compose file: .*compose\.yaml$/);
      assert.match(error.position?.file ?? '', /compose\.yaml$/);
    });
  }

  it('a file with an empty document beside a real one loads', async () => {
    const { project } = await loadFiles({ 'compose.yaml': '--- ~\n---\nservices:\n  web:\n    image: x\n' });
    assert.equal(project.services['web']?.image, 'x');
  });
});

describe('files that cannot be read', () => {
  const files: Record<string, string> = {
    '/p/compose.yaml': 'services:\n  web:\n    image: x\n    env_file: web.env\n',
    '/p/web.env': 'A=1\n',
  };
  /** A reader made of plain data: the paths in `denied` answer "permission denied", as EACCES does. */
  const reader = (denied: string): ConfigReader => ({
    isFile: (p) => Object.hasOwn(files, p),
    isDirectory: (p) => p === '/p',
    read: (p) =>
      p === denied ? { kind: 'unreadable', reason: 'permission denied' } : Object.hasOwn(files, p) ? { kind: 'text', text: files[p]! } : { kind: 'missing' },
  });
  const load = (denied: string) => runPipeline({ cwd: '/p', env: {} }, { reader: reader(denied), parse: parseComposeText });

  it('the compose file: a user error with the path and what to do', async () => {
    const error = await load('/p/compose.yaml').then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.message, 'cannot read compose file /p/compose.yaml: permission denied');
    assert.match(error.hint ?? '', /permissions/);
  });

  it('an env_file: the error points at the entry', async () => {
    const error = await load('/p/web.env').then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.message, 'cannot read env file /p/web.env: permission denied');
    assert.equal(error.keyPath, 'services.web.env_file[0]');
    assert.equal(error.position?.line, 4);
  });

  it('.env: a user error too', async () => {
    files['/p/.env'] = 'X=1\n';
    try {
      const error = await load('/p/.env').then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.message, 'cannot read env file /p/.env: permission denied');
    } finally {
      delete files['/p/.env'];
    }
  });
});
