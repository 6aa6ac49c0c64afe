import assert from 'node:assert/strict';
import { TEST_IMAGE, cleanupProject, projectContainers, projectDir, removeDir, runTscompose, serviceOf, uniqueProjectName } from '../helpers/cli-harness.js';

// One stack for the commands of issue 12: --format templates, scale, volumes, stats, export, commit, cp -.
describe('the rest of Compose\'s command line on a real engine', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('cli2');
  let dir: string;
  const run = (...args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir });
  before(async () => {
    dir = projectDir({
      'compose.yaml': `
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo hello > /greeting; trap 'exit 0' TERM; sleep 3600 & wait"]
    volumes: ["data:/data"]
  worker:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
volumes:
  data: {}
`,
    });
    const up = await run('up', '-d');
    assert.equal(up.code, 0, up.stderr);
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('ps --format: Go templates with Compose\'s field names, table TEMPLATE with its headers, {{json .}}', async () => {
    const names = await run('ps', '--format', '{{.Service}} {{.State}} {{upper .Name}}');
    assert.equal(names.code, 0, names.stderr);
    assert.deepEqual(names.stdout.trim().split('\n'), [
      `web running ${project.toUpperCase()}-WEB-1`, `worker running ${project.toUpperCase()}-WORKER-1`,
    ]);
    const table = await run('ps', '--format', 'table {{.Service}}\t{{.Status}}');
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    assert.match(header ?? '', /^SERVICE\s{3,}STATUS$/);
    assert.match(rows[0] ?? '', /^web\s{3,}Up /);
    const json = await run('ps', '--format', '{{json .}}');
    const first = JSON.parse(json.stdout.split('\n')[0] ?? '') as Record<string, unknown>;
    assert.equal(first['Service'], 'web');
    assert.equal(first['Project'], project);
    assert.equal(typeof first['Labels'], 'string');
    const label = await run('ps', '--format', '{{.Label "com.docker.compose.service"}}|{{join (split .Name "-") "+"}}');
    assert.equal(label.stdout.split('\n')[0], `web|${project.split('-').join('+')}+web+1`);
    const bad = await run('ps', '--format', '{{.NoSuchField}}');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /NoSuchField/);
  });

  it('images and ls --format: templates beside table and json', async () => {
    const images = await run('images', '--format', '{{.ContainerName}} {{.Repository}}:{{.Tag}}');
    assert.equal(images.code, 0, images.stderr);
    const [repo, tag] = TEST_IMAGE.split(':');
    assert.ok(images.stdout.includes(`${project}-web-1 ${repo}:${tag}`), images.stdout);
    const table = await run('images', '--format', 'table {{.ContainerName}}\t{{.Size}}');
    assert.match(table.stdout.split('\n')[0] ?? '', /^CONTAINER\s+SIZE$/);
    const ls = await runTscompose(['ls', '--filter', `name=${project}`, '--format', '{{.Name}}: {{.Status}}']);
    assert.equal(ls.stdout.trim(), `${project}: running(2)`);
  });
});

export { projectContainers, serviceOf };
