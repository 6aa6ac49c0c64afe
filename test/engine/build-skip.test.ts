import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_IMAGE, cleanupProject, projectDir, removeDir, runTscompose, uniqueProjectName } from '../helpers/cli-harness.js';

const imageId = (image: string): string => execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', image]).toString().trim();

// `up --build` skips a build that BuildKit would answer from its cache with the same image: the same
// context, Dockerfile, options and base image IDs, nothing fetched from outside.
describe('up --build: a build that would give the same image is skipped', function () {
  this.timeout(120_000);
  const project = uniqueProjectName('bskip');
  const base = `${project}-base:1`;
  let dir: string;
  before(() => {
    execFileSync('docker', ['tag', TEST_IMAGE, base]);
    dir = projectDir({
      'compose.yaml': 'services:\n  app:\n    build: .\n    command: ["sleep", "3600"]\n    init: true\n',
      'Dockerfile': `FROM ${base}\nCOPY hello.txt /hello.txt\n`,
      'hello.txt': 'hello\n',
    });
  });
  after(async () => {
    await cleanupProject(project);
    for (const image of [`${project}-app`, base]) execFileSync('docker', ['image', 'rm', '-f', image], { stdio: 'ignore' });
    removeDir(dir);
  });

  const up = async (): Promise<{ built: boolean }> => {
    const result = await runTscompose(['-p', project, '--progress', 'json', 'up', '-d', '--build'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    return { built: /"kind":"image"[^\n]*"status":"building"/.test(result.stderr) };
  };

  it('builds the first time, skips when nothing changed, builds again when the base image or the context changes', async () => {
    assert.equal((await up()).built, true);
    const first = imageId(`${project}-app`);
    assert.equal((await up()).built, false, 'same inputs, same base image: skipped');
    assert.equal(imageId(`${project}-app`), first);

    // A new image under the base's tag, as a `docker pull` of a newer base would leave.
    execFileSync('docker', ['build', '-q', '-t', base, '-'], { input: `FROM ${TEST_IMAGE}\nLABEL newer=1\n` });
    assert.equal((await up()).built, true, 'the base image changed');
    const second = imageId(`${project}-app`);
    assert.notEqual(second, first);
    assert.equal((await up()).built, false);

    writeFileSync(join(dir, 'hello.txt'), 'changed\n');
    assert.equal((await up()).built, true, 'the context changed');
  });
});
