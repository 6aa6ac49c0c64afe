import assert from 'node:assert/strict';
import { TEST_IMAGE, cleanupProject, eventually, projectDir, removeDir, runTscompose, startTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

describe('attach, events and stats on a real engine', function () {
  this.timeout(90_000);
  const project = uniqueProjectName('aes');
  let dir: string;
  const cli = (args: string[]) => runTscompose(['-p', project, ...args], { cwd: dir });

  before(async () => {
    dir = projectDir({
      'compose.yaml': `services:
  talk:
    image: ${TEST_IMAGE}
    stdin_open: true
    command: ["sh", "-c", "read line; echo \\"got $$line\\"; sleep 1; exit 4"]
  idle:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
`,
    });
    assert.equal((await cli(['up', '-d'])).code, 0);
  });
  after(async () => {
    await cleanupProject(project);
    removeDir(dir);
  });

  it('attach sends our input to the main process, prints its output and exits with its code', async () => {
    const attach = startTscompose(['-p', project, 'attach', 'talk'], { cwd: dir, keepStdinOpen: true });
    attach.child.stdin?.write('hello\n');
    assert.equal(await attach.exited, 4, attach.output().stderr);
    assert.equal(attach.output().stdout, 'got hello\n');
  });

  it('with piped input, attach still exits with the process\'s code (the engine may end the output when stdin ends)', async () => {
    assert.equal((await cli(['start', 'talk'])).code, 0);
    const result = await runTscompose(['-p', project, 'attach', 'talk'], { cwd: dir, input: 'again\n' });
    assert.equal(result.code, 4, result.stderr);
  });

  it('stats --no-stream prints one row per running container', async () => {
    const result = await cli(['stats', '--no-stream']);
    assert.equal(result.code, 0, result.stderr);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    assert.match(header ?? '', /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
    assert.equal(rows.length, 1);
    assert.match(rows[0] ?? '', new RegExp(`${project}-idle-1\\s+\\d+(\\.\\d+)?%`));
  });

  it('events --json streams the project\'s container events as they happen', async () => {
    const events = startTscompose(['-p', project, 'events', '--json'], { cwd: dir });
    try {
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await cli(['restart', 'idle'])).code, 0);
      await eventually(() => /"action":"start"/.test(events.output().stdout), 20_000, 'a start event');
      const lines = events.output().stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; action: string; service: string });
      assert.ok(lines.some((e) => e.action === 'die' && e.service === 'idle'));
      assert.ok(lines.every((e) => e.type === 'container'));
    } finally {
      events.child.kill('SIGINT');
      await events.exited;
    }
  });
});
