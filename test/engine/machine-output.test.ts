import assert from 'node:assert/strict';
import { TEST_IMAGE, cleanupProject, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

// The keys documented in README "For machines": adding a key is fine, removing or renaming one breaks users.
const PS_KEYS = ['Command', 'Created', 'CreatedAt', 'ExitCode', 'Health', 'ID', 'Image', 'Labels', 'Name', 'Names', 'Networks', 'Ports',
  'Project', 'Publishers', 'RunningFor', 'Service', 'State', 'Status'];
const PUBLISHER_KEYS = ['Protocol', 'PublishedPort', 'TargetPort', 'URL'];
const LS_KEYS = ['ConfigFiles', 'Name', 'Status'];
const IMAGES_KEYS = ['ContainerName', 'Created', 'ID', 'LastTagTime', 'Platform', 'Repository', 'Size', 'Tag'];
const EVENT_KEYS = ['done', 'kind', 'name', 'status', 'time'];
const OPTIONAL_EVENT_KEYS = ['detail', 'line'];

const sorted = (o: object): string[] => Object.keys(o).sort();

describe('machine-readable output keeps its documented shape', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('json');
  let dir: string;
  const run = (...args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir });
  before(() => {
    dir = projectDir({
      'compose.yaml': `
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    ports: ["127.0.0.1::80"]
    x-tscompose:
      ready: [{ log: "." }]
`,
    });
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('--progress json: one object per line, fixed keys; warnings have kind "warning" and a message', async () => {
    const up = await run('--progress', 'json', 'up', '--wait-for', 'web=log:never', '--wait-timeout', '1');
    const records = up.stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(records.length > 3, up.stderr);
    for (const r of records) {
      if (r['kind'] === 'warning') assert.deepEqual(sorted(r), ['kind', 'message', 'time']);
      else {
        const keys = sorted(r);
        assert.deepEqual(keys.filter((k) => !OPTIONAL_EVENT_KEYS.includes(k)), EVENT_KEYS, JSON.stringify(r));
        assert.match(r['time'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
    }
    assert.ok(records.some((r) => r['status'] === 'waiting' && r['detail'] === 'log matching /./, log matching /never/'));
    assert.ok(records.some((r) => r['status'] === 'error' && typeof r['detail'] === 'string'));
  });

  it('ps, ls and images --format json', async () => {
    const ps = await run('ps', '-a', '--format', 'json');
    const rows = ps.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, 1);
    assert.deepEqual(sorted(rows[0] as object), PS_KEYS);
    assert.deepEqual(sorted((rows[0]?.['Publishers'] as object[])[0] as object), PUBLISHER_KEYS);

    const ls = await runTscompose(['ls', '-a', '--format', 'json', '--filter', `name=${project}`]);
    assert.deepEqual((JSON.parse(ls.stdout) as object[]).map(sorted), [LS_KEYS]);

    const images = await run('images', '--format', 'json');
    const imageRows = JSON.parse(images.stdout) as Record<string, unknown>[];
    assert.deepEqual(imageRows.map(sorted), [IMAGES_KEYS]);
    // Compose's Platform is the OCI platform object; the test image is built for this machine.
    const platform = imageRows[0]?.['Platform'] as Record<string, unknown>;
    assert.equal(platform['os'], 'linux');
    assert.match(platform['architecture'] as string, /^[a-z0-9]+$/);
    // A time as Go writes it (its zero time when the engine does not know one), as in Compose.
    assert.match(imageRows[0]?.['LastTagTime'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/);

    const table = await run('images');
    const [header, row] = table.stdout.split('\n');
    assert.match(header ?? '', /^CONTAINER +REPOSITORY +TAG +PLATFORM +IMAGE ID +SIZE +CREATED/);
    assert.match(row ?? '', new RegExp(` linux/${platform['architecture'] as string} `));
  });

  it('config --format json: the canonical model with name, services, networks, volumes', async () => {
    const config = await run('config', '--format', 'json');
    const model = JSON.parse(config.stdout) as Record<string, unknown>;
    for (const key of ['name', 'services', 'networks']) assert.ok(key in model, `config has ${key}: ${sorted(model).join(', ')}`);
    assert.equal(model['name'], project);
    const web = (model['services'] as Record<string, Record<string, unknown>>)['web'] as Record<string, unknown>;
    assert.deepEqual(sorted((web['ports'] as object[])[0] as object).filter((k) => ['host_ip', 'protocol', 'target'].includes(k)), ['host_ip', 'protocol', 'target']);
  });

  it('config --variables --format json: an object keyed by name, as Compose prints it', async () => {
    const other = projectDir({ 'compose.yaml': `services:\n  a:\n    image: \${IMG:-busybox}\n    command: ["\${REQ:?set it}"]\n` });
    try {
      const out = await runTscompose(['config', '--variables', '--format', 'json'], { cwd: other });
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(JSON.parse(out.stdout), {
        IMG: { Name: 'IMG', DefaultValue: 'busybox', PresenceValue: '', Required: false },
        REQ: { Name: 'REQ', DefaultValue: '', PresenceValue: '', Required: true },
      });
    } finally {
      removeDir(other);
    }
  });
});
