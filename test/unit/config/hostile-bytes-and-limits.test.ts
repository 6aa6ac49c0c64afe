import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../../src/errors.js';
import { parseComposeText } from '../../../src/config/parse.js';
import { substituteTemplate } from '../../../src/config/template.js';
import { loadError, loadFiles, loadYaml, makeTempDir, removeDir } from './helpers.js';
import { loadProject } from '../../../src/config/load.js';

/** Issue 17, the rest of "hostile and broken input": bytes, keys, limits, and errors with a place. */

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

async function configError(files: Parameters<typeof loadFiles>[0] | string, options: Parameters<typeof loadFiles>[1] = {}): Promise<ConfigError> {
  const error = await loadError(files, options);
  assert.ok(error instanceof ConfigError, `not a ConfigError: ${error.stack ?? String(error)}`);
  return error;
}

describe('invalid UTF-8 names the file, the line and the byte offset', () => {
  it('in a compose file', async () => {
    const error = await configError({ 'compose.yaml': bytes('services:\n  web:\n    image: "caf', [0xe9], '"\n') });
    assert.match(error.message, /compose\.yaml is not valid UTF-8: byte 0xE9 at line 3, column 16 \(byte offset 32\)/);
    assert.equal(error.position?.line, 3);
    assert.match(error.position?.file ?? '', /compose\.yaml$/);
  });

  it('in .env', async () => {
    const error = await configError({ '.env': bytes('A=1\nB=', [0xff, 0xfe], '\n'), 'compose.yaml': 'services:\n  web:\n    image: x\n' });
    assert.match(error.message, /\.env is not valid UTF-8: byte 0xFF at line 2, column 3 \(byte offset 6\)/);
  });

  it('in an env_file', async () => {
    const error = await configError({
      'web.env': bytes('OK=1\n', [0xc3, 0x28], '\n'),
      'compose.yaml': 'services:\n  web:\n    image: x\n    env_file: web.env\n',
    });
    assert.match(error.message, /web\.env is not valid UTF-8: byte 0xC3 at line 2, column 1 \(byte offset 5\)/);
  });
});

describe('control characters are refused with their line and key path', () => {
  for (const [name, char] of [['NUL', '\u0000'], ['ESC', '\u001b'], ['DEL', '\u007f'], ['U+0001', '\u0001']] as const) {
    it(`${name} in a compose value`, async () => {
      const error = await configError(`services:\n  web:\n    image: x\n    labels:\n      a: "b${char}c"\n`);
      assert.match(error.message, new RegExp(`control character .*${name === 'U+0001' ? 'U\\+0001' : name}.* at line 5, column 12 in services\\.web\\.labels\\.a`));
      assert.equal(error.keyPath, 'services.web.labels.a');
      assert.equal(error.position?.line, 5);
    });
  }

  it('ESC in .env, naming the variable', async () => {
    const error = await configError({ '.env': 'A=1\nB=x\u001by\n', 'compose.yaml': 'services:\n  web:\n    image: x\n' });
    assert.match(error.message, /control character U\+001B \(ESC\) at line 2, column 4 in the value of B/);
    assert.equal(error.keyPath, 'B');
  });

  it('NUL in an env_file', async () => {
    const error = await configError({ 'web.env': 'A=\u0000\n', 'compose.yaml': 'services:\n  web:\n    image: x\n    env_file: web.env\n' });
    assert.match(error.message, /control character U\+0000 \(NUL\) at line 1/);
    assert.match(error.position?.file ?? '', /web\.env$/);
  });

  it('tab, CR and LF are fine', async () => {
    const { project } = await loadYaml('services:\r\n  web:\r\n    image: x\r\n    labels:\r\n      a: "b\tc"\r\n');
    assert.equal(project.services['web']?.labels['a'], 'b\tc');
  });
});

describe('CR-only line breaks are line breaks', () => {
  it('a compose file and a .env with old Mac line ends load', async () => {
    const { project } = await loadFiles({
      '.env': 'TAG=1\rOTHER=2\r',
      'compose.yaml': 'services:\r  web:\r    image: "x:${TAG}"\r    environment:\r      O: "${OTHER}"\r',
    });
    assert.equal(project.services['web']?.image, 'x:1');
    assert.equal(project.services['web']?.environment['O'], '2');
  });

  it('an error in such a file points at its own line', async () => {
    const error = await configError('services:\r  web:\r    image: x\r    restart: sometimes\r');
    assert.equal(error.position?.line, 4);
    assert.equal(error.sourceLine, '    restart: sometimes');
  });
});

describe('keys are strings, as in Compose', () => {
  for (const [key, shown] of [['1', '1'], ['true', 'true'], ['~', '~'], ['0x1F', '0x1F'], ['1.5', '1.5']] as const) {
    it(`refuses ${key}: with its position and key path`, async () => {
      const error = await configError(`services:\n  web:\n    image: x\n    labels:\n      ${key}: v\n`);
      assert.match(error.message, new RegExp(`non-string key in services\\.web\\.labels: ${shown.replace('.', '\\.')}`));
      assert.equal(error.keyPath, `services.web.labels.${shown}`);
      assert.deepEqual([error.position?.line, error.position?.column], [5, 7]);
    });
  }

  it('a quoted "1": is a string key and loads', async () => {
    const { project } = await loadYaml('services:\n  web:\n    image: x\n    labels:\n      "1": v\n');
    assert.equal(project.services['web']?.labels['1'], 'v');
  });

  it('a complex key points at the key, not its parent', async () => {
    const error = await configError('services:\n  web:\n    image: x\nx-extra:\n  ? [a, b]\n  : v\n');
    assert.match(error.message, /non-string key in x-extra: a sequence cannot be a key/);
    assert.equal(error.keyPath, 'x-extra');
    assert.deepEqual([error.position?.line, error.position?.column], [5, 5]);
  });
});

describe('the schema patterns are not switched off by a literal $', () => {
  it('stop_grace_period: "forever$$x" is refused', async () => {
    const error = await configError('services:\n  web:\n    image: x\n    stop_grace_period: "forever$$x"\n');
    assert.equal(error.keyPath, 'services.web.stop_grace_period');
  });

  it('restart: "no$$x" and a port "80$$x" are refused', async () => {
    assert.equal((await configError('services:\n  web:\n    image: x\n    restart: "no$$x"\n')).keyPath, 'services.web.restart');
    assert.match((await configError('services:\n  web:\n    image: x\n    ports: ["80$$x"]\n')).keyPath ?? '', /services\.web\.ports/);
  });

  it('a ${VAR} left by --no-interpolate still passes', async () => {
    const { project } = await loadYaml('services:\n  web:\n    image: x\n    stop_grace_period: "${GRACE}"\n    restart: "$POLICY"\n', { interpolate: false });
    assert.ok(project.services['web'] !== undefined);
  });

  it('healthcheck.test must start with NONE, CMD or CMD-SHELL', async () => {
    const error = await configError('services:\n  web:\n    image: x\n    healthcheck:\n      test: ["CURL", "-f", "http://localhost"]\n');
    assert.match(error.message, /healthcheck\.test must start with "CMD", "CMD-SHELL" or "NONE", not "CURL"/);
    assert.equal(error.keyPath, 'services.web.healthcheck.test[0]');
    for (const form of ['NONE', 'CMD', 'CMD-SHELL']) {
      await loadYaml(`services:\n  web:\n    image: x\n    healthcheck:\n      test: ["${form}", "true"]\n`);
    }
  });
});

describe('bounded work and memory', () => {
  it('one 1 MB string aliased 9,000 times is refused, quickly and with a place', () => {
    const text = `x-big: &big "${'a'.repeat(1024 * 1024)}"\nx-list:\n${'  - *big\n'.repeat(9000)}services:\n  web:\n    image: x\n`;
    assert.throws(
      () => parseComposeText(text, 'big.yaml'),
      (e: unknown) => e instanceof ConfigError && /aliases expand to more than 64 MiB of text/.test(e.message) && e.position !== undefined,
    );
  });

  it('9,999 aliases of a small mapping load, as in Compose (its alias ratio allows them)', () => {
    const text = `x-base: &b {k: v}\nservices:\n  web:\n    image: x\nx-list:\n${'  - *b\n'.repeat(9999)}`;
    const tree = parseComposeText(text, 'many.yaml')[0]!.tree;
    assert.equal((tree['x-list'] as unknown[]).length, 9999);
  });

  it('nesting deeper than the limit is refused with its place, block or flow', () => {
    let block = 'services:\n  web:\n    image: x\nx-deep:\n';
    for (let i = 0; i < 300; i++) block += `${' '.repeat(2 * i + 2)}a:\n`;
    assert.throws(
      () => parseComposeText(block, 'deep.yaml'),
      (e: unknown) => e instanceof ConfigError && /nesting too deep \(more than 256 levels\)/.test(e.message) && (e.position?.line ?? 0) > 200,
    );
    const flow = `services:\n  web:\n    image: x\nx-deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    assert.throws(() => parseComposeText(flow, 'deep.yaml'), (e: unknown) => e instanceof ConfigError && /nesting too deep/.test(e.message));
  });

  it('a file nested to the limit loads through every stage', async () => {
    let block = 'services:\n  web:\n    image: x\nx-deep:\n';
    for (let i = 0; i < 250; i++) block += `${' '.repeat(2 * i + 2)}a:\n`;
    const { project } = await loadYaml(block);
    assert.ok(project.services['web'] !== undefined);
  });

  it('${A:-${B:-...}} nested 10,000 deep is evaluated without recursion', () => {
    const depth = 10_000;
    let text = 'innermost';
    for (let i = 0; i < depth; i++) text = `\${V${i}:-${text}}`;
    assert.equal(substituteTemplate(text, { lookup: () => undefined }), 'innermost');
    assert.equal(substituteTemplate(`a-${text}-z`, { lookup: (n) => (n === 'V5000' ? 'set' : undefined) }), 'a-set-z');
  });

  it('an extends chain of 2,000 services resolves (the resolver loops instead of recursing)', async () => {
    let yaml = 'services:\n  s0:\n    image: x\n';
    for (let i = 1; i < 2000; i++) yaml += `  s${i}:\n    extends: s${i - 1}\n`;
    const { project } = await loadYaml(yaml);
    assert.equal(project.services['s1999']?.image, 'x');
  });

  it('a depends_on chain of 12,000 services loads and orders', async () => {
    let yaml = 'services:\n';
    for (let i = 0; i < 12_000; i++) yaml += `  s${i}:\n    image: x\n${i > 0 ? `    depends_on: [s${i - 1}]\n` : ''}`;
    const { project } = await loadYaml(yaml);
    const { startOrder } = await import('../../../src/graph/dependency-graph.js');
    const deps = Object.fromEntries(Object.entries(project.services).map(([n, s]) => [n, Object.keys(s.depends_on)]));
    const order = startOrder(deps);
    assert.equal(order[0], 's0');
    assert.equal(order[11_999], 's11999');
  });

  it('a chain of 12,000 builds reading each other through service: contexts loads, and a loop at its end is named', async () => {
    let yaml = 'services:\n';
    for (let i = 0; i < 12_000; i++) yaml += `  s${i}:\n    build:\n      context: .\n${i > 0 ? `      additional_contexts: { prev: "service:s${i - 1}" }\n` : ''}`;
    const { project } = await loadYaml(yaml);
    assert.equal(project.services['s11999']?.build?.additional_contexts?.['prev'], 'service:s11998');
    const loop = await loadError(yaml.replace('  s0:\n    build:\n      context: .\n', '  s0:\n    build:\n      context: .\n      additional_contexts: { last: "service:s11999" }\n'));
    assert.match((loop as Error).message, /"s0" -> "s11999" -> .* -> "s0" read each other's images in a loop/);
  });
});

describe('errors with a place', () => {
  it('an extends.file that does not exist points at extends.file', async () => {
    const error = await configError('services:\n  web:\n    image: x\n    extends:\n      file: missing.yaml\n      service: a\n');
    assert.match(error.message, /extends file not found: .*missing\.yaml/);
    assert.equal(error.keyPath, 'services.web.extends.file');
    assert.equal(error.position?.line, 5);
  });

  it('an unusable project name: points at name:', async () => {
    const error = await configError('name: "!!!"\nservices:\n  web:\n    image: x\n');
    assert.match(error.message, /project name "!!!"/);
    assert.deepEqual([error.position?.line, error.keyPath], [1, 'name']);
  });

  it('an unknown alias points at the alias, with its key path', async () => {
    const error = await configError('services:\n  web:\n    image: x\n    labels:\n      a: b\n      c: *nope\n');
    assert.match(error.message, /unknown YAML alias \*nope/);
    assert.equal(error.keyPath, 'services.web.labels.c');
    assert.deepEqual([error.position?.line, error.position?.column], [6, 10]);
  });

  it('a directory in place of an env_file or an include is "is a directory"', async () => {
    const root = makeTempDir();
    try {
      fs.mkdirSync(path.join(root, 'web.env'));
      fs.mkdirSync(path.join(root, 'inc.yaml'));
      fs.writeFileSync(path.join(root, 'compose.yaml'), 'services:\n  web:\n    image: x\n    env_file: web.env\n');
      const envError = await loadProject({ cwd: root, env: {} }).then(() => undefined, (e: unknown) => e);
      assert.ok(envError instanceof ConfigError, String(envError));
      assert.match(envError.message, /env file .*web\.env is a directory/);
      assert.equal(envError.keyPath, 'services.web.env_file[0]');
      fs.writeFileSync(path.join(root, 'compose.yaml'), 'include: [inc.yaml]\nservices:\n  web:\n    image: x\n');
      const incError = await loadProject({ cwd: root, env: {} }).then(() => undefined, (e: unknown) => e);
      assert.ok(incError instanceof ConfigError, String(incError));
      assert.match(incError.message, /included file .*inc\.yaml is a directory/);
    } finally {
      removeDir(root);
    }
  });
});
