import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TEST_IMAGE, cleanupProject, projectContainers, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

describe('clear errors, never a stack trace', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const project = uniqueProjectName('errors');
  after(async () => {
    await cleanupProject(project);
    dirs.forEach(removeDir);
  });
  const dir = (files: Record<string, string>) => {
    const d = projectDir(files);
    dirs.push(d);
    return d;
  };
  const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at .*\(.*:\d+:\d+\)/);

  it('no engine answering: names the address and how to start one, exit 1', async () => {
    const d = dir({ 'compose.yaml': `services:\n  a:\n    image: ${TEST_IMAGE}\n` });
    const result = await runTscompose(['up', '-d'], { cwd: d, env: { DOCKER_HOST: 'unix:///tmp/tscompose-no-such.sock' } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no Docker engine answers at unix:\/\/\/tmp\/tscompose-no-such\.sock/);
    assert.match(result.stderr, /hint: start one/);
    noStack(result.stderr);
  });

  it('no compose file: says where it looked', async () => {
    const d = dir({ 'nested/.keep': '' });
    const result = await runTscompose(['up', '-d'], { cwd: join(d, 'nested') });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /compose\.yaml/);
    assert.match(result.stderr, new RegExp(join(d, 'nested').replace(/[/.]/g, '\\$&')));
    noStack(result.stderr);
  });

  it('a YAML syntax error: file:line:column and the offending line, exit 3, nothing created', async () => {
    const d = dir({ 'compose.yaml': `services:\n  web:\n    image: ${TEST_IMAGE}\n    command: [sh, -c\n  other: {}\n` });
    const result = await runTscompose(['-p', project, 'up', '-d'], { cwd: d });
    assert.equal(result.code, 3);
    assert.match(result.stderr, new RegExp(`${join(d, 'compose.yaml').replace(/[/.]/g, '\\$&')}:\\d+:\\d+`));
    noStack(result.stderr);
    assert.deepEqual(await projectContainers(project), []);
  });

  it('an unknown command or flag suggests the closest, exit 2', async () => {
    const command = await runTscompose(['dwon']);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "dwon"/);
    assert.match(command.stderr, /did you mean "down"\?/);
    const flag = await runTscompose(['up', '--detatch']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /did you mean --detach\?/);
  });

  it('a dependency cycle fails before anything is created, naming the loop', async () => {
    const d = dir({
      'compose.yaml': `services:\n  a:\n    image: ${TEST_IMAGE}\n    depends_on: [b]\n  b:\n    image: ${TEST_IMAGE}\n    depends_on: [a]\n`,
    });
    const result = await runTscompose(['-p', project, 'up', '-d'], { cwd: d });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /a -> b -> a/);
    assert.deepEqual(await projectContainers(project), []);
  });

  it('help is generated from the command definitions', async () => {
    const root = await runTscompose(['--help']);
    assert.equal(root.code, 0);
    for (const name of ['up', 'down', 'ps', 'config', 'version']) assert.match(root.stdout, new RegExp(`^  ${name}\\s`, 'm'));
    const up = await runTscompose(['up', '--help']);
    assert.match(up.stdout, /^Usage: tscompose up \[OPTIONS\] \[SERVICE\.\.\.\]/);
    assert.match(up.stdout, /--force-recreate/);
  });
});
