import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TEST_IMAGE, cleanupProject, engine, eventually, projectContainers, projectDir, removeDir, runTscompose, startTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';
import { Label, projectFilter } from '../../src/model/labels.js';

const SAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../../../samples/ci/compose.yaml');

/** Every resource labelled with the project: containers, networks, volumes. */
async function leftovers(project: string): Promise<string[]> {
  const filter = [projectFilter(project)];
  return [
    ...(await engine.containers.list({ all: true, labels: filter })).map((c) => `container ${c.name}`),
    ...(await engine.networks.list(filter)).map((n) => `network ${n.name}`),
    ...(await engine.volumes.list(filter)).map((v) => `volume ${v.name}`),
  ];
}

const projectOf = (stderr: string): string => /^project (\S+)$/m.exec(stderr)?.[1] ?? '';

const neverListens = `
services:
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    volumes: [data:/data]
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo 'booting web'; echo 'config error: no listener configured' >&2; trap 'exit 0' TERM; sleep 3600 & wait"]
    ports: ["127.0.0.1::80"]
    depends_on: [db]
    x-tscompose:
      ready: [{ port: 80 }]
      ready_timeout: 3s
volumes:
  data:
`;

describe('CI runs: readiness failures, tscompose test, the reaper', function () {
  this.timeout(120_000);
  const names: string[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const name of names) await cleanupProject(name);
    for (const dir of dirs) removeDir(dir);
  });

  it('up --wait --down-on-failure: a service that never listens ends in a report with its last log lines, exit 1, nothing left', async () => {
    const project = uniqueProjectName('notready');
    names.push(project);
    const dir = projectDir({ 'compose.yaml': neverListens });
    dirs.push(dir);
    const result = await runTscompose(['-p', project, '--progress', 'plain', 'up', '--wait', '--down-on-failure'], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`Container ${project}-web-1  Waiting for port 80 listening`));
    assert.match(result.stderr, new RegExp(`web \\(${project}-web-1\\): never became ready \\(port 80 listening\\): timed out; last: nothing listens on 127\\.0\\.0\\.1:\\d+`));
    // stdout and stderr are copied by separate engine goroutines: their relative order is not fixed.
    assert.match(result.stderr, /last 2 log lines:\n(\s+\| (booting web|config error: no listener configured)\n){2}/);
    assert.match(result.stderr, /taking project .* down after the failure/);
    assert.deepEqual(await leftovers(project), []);
  });

  it('--wait-for adds a check from the command line; without --down-on-failure the stack stays for a look', async () => {
    const project = uniqueProjectName('waitfor');
    names.push(project);
    const dir = projectDir({ 'compose.yaml': neverListens.replace(/ {4}x-tscompose:[\s\S]*?ready_timeout: 3s\n/, '') });
    dirs.push(dir);
    const ok = await runTscompose(['-p', project, '--progress', 'json', 'up', '--wait-for', 'web=log:booting web', '--wait-timeout', '20'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    const events = ok.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(events.some((e) => e['name'] === `${project}-web-1` && e['status'] === 'ready' && e['detail'] === 'log matching /booting web/'));
    const bad = await runTscompose(['-p', project, 'up', '--wait-for', 'web=http:80/health', '--wait-timeout', '2'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /services not ready after 2s/);
    assert.equal((await projectContainers(project)).length, 2);
    const typo = await runTscompose(['-p', project, 'up', '--wait-for', 'wbe=port:80'], { cwd: dir });
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown service: wbe/);
  });

  it('test: a readiness failure prints the report, tears down and exits 1', async () => {
    const dir = projectDir({ 'compose.yaml': neverListens });
    dirs.push(dir);
    const result = await runTscompose(['-p', 'tsct-t', 'test', '--unique-project', '--', 'true'], { cwd: dir });
    const project = projectOf(result.stderr);
    names.push(project);
    assert.match(project, /^tsct-t-[0-9a-f]{8}$/);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /never became ready/);
    assert.deepEqual(await leftovers(project), []);
  });

  it('test --service: the tests\' exit code, the services\' logs on failure, everything down', async () => {
    const pass = await runTscompose(['-f', SAMPLE, '-p', 'tsct-svc', 'test', '--unique-project', '--service', 'tests']);
    names.push(projectOf(pass.stderr));
    assert.equal(pass.code, 0, pass.stderr);
    assert.equal(pass.stdout, 'api answers: ok\n');
    const fail = await runTscompose(['-f', SAMPLE, '-p', 'tsct-svc', 'test', '--unique-project', '--service', 'tests', '--', 'sh', '-c', 'echo checking; exit 3']);
    const project = projectOf(fail.stderr);
    names.push(project);
    assert.equal(fail.code, 3, fail.stderr);
    assert.equal(fail.stdout, 'checking\n');
    assert.match(fail.stderr, /the tests exited with code 3/);
    assert.match(fail.stderr, new RegExp(`${project}-api-1 \\| api serving`));
    assert.deepEqual(await leftovers(project), []);
    assert.deepEqual(await leftovers(projectOf(pass.stderr)), []);
  });

  it('two test runs of the same stack at once, on the host, each under its own name: both pass, nothing left', async () => {
    const script = [
      "const http = require('node:http');",
      "const [host, port] = process.env.TSCOMPOSE_API_80.split(':');",
      "http.get({ host, port, path: '/index.html' }, (res) => { let b = ''; res.on('data', (d) => b += d);",
      "res.on('end', () => { console.log(process.env.COMPOSE_PROJECT_NAME + ' ' + res.statusCode + ' ' + b.trim()); process.exit(b.includes('hello from db') ? 0 : 1); }); })",
      ".on('error', (e) => { console.error(e.message); process.exit(1); });",
    ].join('\n');
    const runs = await Promise.all([1, 2].map(() =>
      runTscompose(['-f', SAMPLE, 'test', '--', process.execPath, '-e', script], { env: { COMPOSE_PROJECT_NAME: undefined, GREETING: undefined } })));
    const projects = runs.map((r) => projectOf(r.stderr));
    names.push(...projects);
    for (const [i, r] of runs.entries()) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${projects[i]} 200 hello from db\n`);
      assert.match(projects[i] as string, /^ci-[0-9a-f]{8}$/);
    }
    assert.notEqual(projects[0], projects[1]);
    for (const p of projects) assert.deepEqual(await leftovers(p), []);
  });

  it('test: Ctrl-C while the tests run stops them, still tears everything down, exits 130', async () => {
    const run = startTscompose(['-f', SAMPLE, '-p', 'tsct-int', 'test', '--unique-project', '--', 'sh', '-c', 'echo started; sleep 30']);
    await eventually(() => run.output().stdout.includes('started'), 60_000, 'the tests to start');
    const project = projectOf(run.output().stderr);
    names.push(project);
    assert.equal((await projectContainers(project)).length, 2);
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 130, run.output().stderr);
    assert.deepEqual(await leftovers(project), []);
  });

  it('cleanup removes projects by prefix (and age), only those tscompose made; --dry-run removes nothing', async () => {
    const project = uniqueProjectName('reap');
    names.push(project);
    const dir = projectDir({ 'compose.yaml': neverListens.replace(/ {4}x-tscompose:[\s\S]*?ready_timeout: 3s\n/, '') });
    dirs.push(dir);
    assert.equal((await runTscompose(['-p', project, 'up', '-d'], { cwd: dir })).code, 0);
    const young = await runTscompose(['cleanup', '--prefix', project, '--older-than', '1h']);
    assert.equal(young.code, 0, young.stderr);
    assert.match(young.stderr, /no project matches/);
    const dry = await runTscompose(['--dry-run', 'cleanup', '--prefix', project]);
    assert.match(dry.stdout, new RegExp(`WOULD REMOVE.*\\n${project}\\s+2\\s+1\\s+1\\s+name starts with ${project}`));
    assert.equal((await leftovers(project)).length, 4);
    const real = await runTscompose(['cleanup', '--prefix', project]);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, new RegExp(`^${project}\\s+2\\s+1\\s+1`, 'm'));
    assert.deepEqual(await leftovers(project), []);
    const none = await runTscompose(['cleanup']);
    assert.equal(none.code, 2);
    // Only labels say which tool made a project: the check reads the engine label on containers.
    assert.equal(Label.engine, 'com.docker.compose.engine');
  });
});
