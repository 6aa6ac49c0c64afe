import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { interpolateTree } from '../../../src/config/interpolate.js';
import { parseComposeText } from '../../../src/config/parse.js';
import { extractTemplateVariables, substituteTemplate, TemplateError } from '../../../src/config/template.js';

const ENV: Record<string, string> = { NAME: 'web', EMPTY: '', PORT: '8080', B: 'bee', NUM: '3' };
const lookup = (k: string): string | undefined => ENV[k];

describe('template substitution', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['$NAME', 'web'],
    ['${NAME}', 'web'],
    ['x-$NAME-y', 'x-web-y'],
    ['${NAME}:${PORT}', 'web:8080'],
    ['${UNSET:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${UNSET-dflt}', 'dflt'],
    ['${NAME:-dflt}', 'web'],
    ['${NAME:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${B}}', 'bee'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['${UNSET:-a-$B-c}', 'a-bee-c'],
    ['$$NAME', '$NAME'],
    ['$${NAME}', '${NAME}'],
    ['cost: 5$', 'cost: 5$'],
    ['$1abc', '$1abc'],
    ['${name}', ''],
    ['${NAME:?must be set}', 'web'],
    ['${UNSET:-}', ''],
    ['${UNSET:-a:b}', 'a:b'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${JSON.stringify(expected)}`, () => {
      assert.equal(substituteTemplate(input, { lookup }), expected);
    });
  }

  const errors: [string, RegExp][] = [
    ['${UNSET:?please set it}', /required variable UNSET is missing a value: please set it/],
    ['${EMPTY:?}', /required variable EMPTY is missing a value$/],
    ['${UNSET?gone}', /required variable UNSET/],
    ['${}', /invalid interpolation.*empty variable name/],
    ['${NAME/a/b}', /unsupported operator/],
    ['${NAME', /missing closing brace/],
    ['${1X}', /not a variable name/],
  ];
  for (const [input, pattern] of errors) {
    it(`${input} fails with ${pattern}`, () => {
      assert.throws(() => substituteTemplate(input, { lookup }), (e: unknown) => e instanceof TemplateError && pattern.test(e.message));
    });
  }

  it('does not fail on ${EMPTY?x} (set, though empty)', () => {
    assert.equal(substituteTemplate('${EMPTY?x}', { lookup }), '');
  });

  it('evaluates a default only when it is used', () => {
    assert.equal(substituteTemplate('${NAME:-${UNSET:?never}}', { lookup }), 'web');
  });

  it('reports each unset plain variable', () => {
    const unset: string[] = [];
    substituteTemplate('$A ${B_X} ${C:-x}', { lookup, onUnset: (n) => unset.push(n) });
    assert.deepEqual(unset, ['A', 'B_X']);
  });

  it('extracts variables with defaults, alternates and requirements', () => {
    assert.deepEqual(extractTemplateVariables('${A:-x} $B ${C:?m} ${D:+y} $$E ${F:-${G}}'), [
      { name: 'A', required: false, defaultValue: 'x' },
      { name: 'B', required: false },
      { name: 'C', required: true },
      { name: 'D', required: false, alternateValue: 'y' },
      { name: 'F', required: false, defaultValue: '${G}' },
      { name: 'G', required: false },
    ]);
  });
});

describe('interpolateTree', () => {
  const run = (yaml: string, env = ENV, substitute = true): { tree: unknown; warnings: string[] } => {
    const doc = parseComposeText(yaml, '/p/compose.yaml')[0]!;
    const warnings: string[] = [];
    const tree = interpolateTree(doc.tree, { lookup: (k) => env[k], locator: doc.locator, warnings, substitute });
    return { tree, warnings };
  };

  it('substitutes values, never keys', () => {
    const { tree } = run('services:\n  $NAME:\n    image: "img:${NAME}"\n    labels:\n      $NAME: $NAME\n');
    assert.deepEqual(tree, { services: { $NAME: { image: 'img:web', labels: { $NAME: 'web' } } } });
  });

  it('works inside list items such as ports', () => {
    const { tree } = run('services:\n  a:\n    image: x\n    ports: ["${PORT}:80"]\n');
    assert.deepEqual(tree, { services: { a: { image: 'x', ports: ['8080:80'] } } });
  });

  it('warns once per unset variable', () => {
    const { warnings } = run('services:\n  a:\n    image: $MISSING\n    user: $MISSING\n    hostname: $OTHER\n');
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /"MISSING" variable is not set/);
    assert.match(warnings[1]!, /"OTHER"/);
  });

  const casts: [string, string, unknown][] = [
    ['replicas from a variable', 'services:\n  a:\n    deploy:\n      replicas: ${NUM}\n', { services: { a: { deploy: { replicas: 3 } } } }],
    ['port target', 'services:\n  a:\n    ports:\n      - target: "80"\n        published: "${PORT}"\n', { services: { a: { ports: [{ target: 80, published: '8080' }] } } }],
    ['scale', 'services:\n  a:\n    scale: "2"\n', { services: { a: { scale: 2 } } }],
    ['booleans', 'services:\n  a:\n    read_only: "true"\n    init: "False"\n    tty: "TRUE"\n    privileged: "false"\n', { services: { a: { read_only: true, init: false, tty: true, privileged: false } } }],
    ['external network', 'networks:\n  n:\n    external: "true"\n', { networks: { n: { external: true } } }],
    ['healthcheck retries', 'services:\n  a:\n    healthcheck:\n      retries: "5"\n', { services: { a: { healthcheck: { retries: 5 } } } }],
    ['cpus as float', 'services:\n  a:\n    cpus: "0.5"\n', { services: { a: { cpus: 0.5 } } }],
    ['ulimit single value', 'services:\n  a:\n    ulimits:\n      nproc: "65535"\n', { services: { a: { ulimits: { nproc: 65535 } } } }],
    ['depends_on required', 'services:\n  a:\n    depends_on:\n      b:\n        required: "false"\n', { services: { a: { depends_on: { b: { required: false } } } } }],
    ['volume read_only', 'services:\n  a:\n    volumes:\n      - type: bind\n        read_only: "true"\n', { services: { a: { volumes: [{ type: 'bind', read_only: true }] } } }],
    ['unrelated strings stay strings', 'services:\n  a:\n    environment:\n      N: "3"\n      B: "true"\n', { services: { a: { environment: { N: '3', B: 'true' } } } }],
  ];
  for (const [name, yaml, expected] of casts) {
    it(`casts ${name}`, () => assert.deepEqual(run(yaml).tree, expected));
  }

  it('accepts yes/no with a deprecation warning', () => {
    const { tree, warnings } = run('services:\n  a:\n    tty: "yes"\n');
    assert.deepEqual(tree, { services: { a: { tty: true } } });
    assert.match(warnings[0]!, /services\.a\.tty: "yes" is read as true/);
  });

  it('rejects a non-integer where one is required, with position and key path', () => {
    assert.throws(
      () => run('services:\n  a:\n    image: x\n    scale: ${NAME}\n'),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message === 'services.a.scale must be an integer, not "web"' &&
        e.keyPath === 'services.a.scale' &&
        e.position?.line === 4 &&
        e.position.column === 5 &&
        e.sourceLine === '    scale: ${NAME}',
    );
  });

  it('places a missing required variable at its line and column', () => {
    assert.throws(
      () => run('services:\n  a:\n    image: ${TAG:?set TAG}\n'),
      (e: unknown) =>
        e instanceof ConfigError &&
        /services\.a\.image: required variable TAG is missing a value: set TAG/.test(e.message) &&
        e.position?.file === '/p/compose.yaml' &&
        e.position.line === 3 &&
        e.position.column === 5,
    );
  });

  it('keeps ${...} and skips casting them when interpolation is off', () => {
    const { tree, warnings } = run('services:\n  a:\n    image: ${X}\n    scale: ${N}\n', ENV, false);
    assert.deepEqual(tree, { services: { a: { image: '${X}', scale: '${N}' } } });
    assert.deepEqual(warnings, []);
  });
});
