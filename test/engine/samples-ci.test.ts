import assert from 'node:assert/strict';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStack, type ProgressEvent, type RunningStack } from '../../src/index.js';
import { cleanupProject, projectContainers } from '../helpers/cli-harness.js';

const SAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../../../samples/ci/compose.yaml');

function get(host: string, port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('samples/ci through the API', function () {
  this.timeout(120_000);
  const events: ProgressEvent[] = [];
  let name = '';
  let running: RunningStack | undefined;

  after(async () => {
    // Whatever a failed test left: by label.
    if (name !== '') await cleanupProject(name);
  });

  it('brings the stack up once api is ready, under a generated name', async () => {
    const stack = await loadStack({ files: [SAMPLE], uniqueName: 'tsct-ci', profiles: ['test'], onProgress: (e) => events.push(e) });
    name = stack.name;
    assert.match(name, /^tsct-ci-[0-9a-f]{8}$/);
    assert.deepEqual(stack.services, ['api', 'db', 'tests']);
    running = await stack.up({ services: ['api'], timeoutMs: 60_000 });
    const waited = events.find((e) => e.name === `${name}-api-1` && e.status === 'waiting' && e.detail !== undefined);
    assert.equal(waited?.detail, 'GET :80/index.html answering 2xx, log matching /api serving/');
    assert.ok(events.some((e) => e.name === `${name}-api-1` && e.status === 'ready' && e.done));
    assert.deepEqual((await running.ps()).map((c) => [c.service, c.state, c.health]), [['api', 'running', 'none'], ['db', 'running', 'healthy']]);
  });

  it('answers from the host on the published port the engine picked', async () => {
    const address = await (running as RunningStack).port('api', 80);
    assert.equal(address.host, '127.0.0.1');
    assert.ok(address.port > 1024);
    const answer = await get(address.host, address.port, '/index.html');
    assert.deepEqual(answer, { status: 200, body: 'hello from db\n' });
    await assert.rejects((running as RunningStack).port('api', 81), /no published port 81\/tcp for service "api"/);
  });

  it('exec, run and logs give typed results', async () => {
    const stack = running as RunningStack;
    assert.deepEqual(await stack.exec('db', ['sh', '-c', 'cat /data/greeting.txt; echo oops >&2; exit 4']),
      { exitCode: 4, stdout: 'hello from db\n', stderr: 'oops\n' });
    const tests = await stack.run('tests');
    assert.deepEqual(tests, { exitCode: 0, stdout: 'api answers: ok\n', stderr: '' });
    assert.equal((await stack.run('tests', ['sh', '-c', 'echo $WHO; exit 2'], { env: { WHO: 'me' } })).exitCode, 2);
    const lines = await stack.logLines({ services: ['api', 'db'] });
    const db = lines.findIndex((l) => l.text === 'db ready');
    const api = lines.findIndex((l) => l.text === 'api serving');
    assert.ok(db >= 0 && api > db, 'db is ready before api serves, and the lines say so in time order');
    assert.match(await stack.logs({ services: ['api'] }), new RegExp(`^${name}-api-1 \\| api serving$`, 'm'));
  });

  it('down removes everything, volumes included, and leaves no one-off behind', async () => {
    await (running as RunningStack).down({ volumes: true });
    assert.deepEqual(await projectContainers(name), []);
  });
});
