import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MAIN, TEST_IMAGE, cleanupProject, eventually, projectDir, removeDir, runTscompose, uniqueProjectName,
} from '../helpers/cli-harness.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** Drives `tscompose exec web sh` in a real pseudo-terminal: tmux's, on a private server socket. */
describe('exec in a real terminal (tmux)', function () {
  this.timeout(60_000);
  const project = uniqueProjectName('tty');
  const socket = `tscompose-${project}`;
  let dir: string;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'exec');

  before(async function () {
    if (!hasTmux) {
      this.skip(); // tmux is not installed: scripts/ensure-engine.sh installs it on Debian (apt-get install tmux)
    }
    dir = projectDir({ 'compose.yaml': `services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "3600"]\n    init: true\n` });
    const up = await runTscompose(['-p', project, 'up', '-d'], { cwd: dir });
    assert.equal(up.code, 0, up.stderr);
  });
  after(async () => {
    if (!hasTmux) return;
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    await cleanupProject(project);
    removeDir(dir);
  });

  it('gives a TTY of the window\'s size, follows resizes, and exits with the shell\'s code', async () => {
    const exitFile = join(dir, 'exit-code');
    const command = `${process.execPath} ${MAIN} -p ${project} exec web sh; echo $? > ${exitFile}; sleep 30`;
    tmux('new-session', '-d', '-s', 'exec', '-x', '100', '-y', '30', '-c', dir, command);
    await eventually(() => /^\/ #/m.test(screen()), 20_000, 'the shell prompt');
    tmux('send-keys', '-t', 'exec', 'echo typed-$((6*7))', 'Enter');
    await eventually(() => screen().includes('typed-42'), 10_000, 'the command output');
    tmux('send-keys', '-t', 'exec', 'tty; stty size', 'Enter');
    await eventually(() => /^30 100$/m.test(screen()), 10_000, 'stty size 30 100');
    assert.match(screen(), /^\/dev\/pts\/\d+$/m);
    tmux('resize-window', '-t', 'exec', '-x', '120', '-y', '40');
    await new Promise((r) => setTimeout(r, 300));
    tmux('send-keys', '-t', 'exec', 'clear; stty size', 'Enter');
    await eventually(() => /^40 120$/m.test(screen()), 10_000, 'stty size 40 120 after the resize');
    tmux('send-keys', '-t', 'exec', 'exit 5', 'Enter');
    await eventually(() => {
      try {
        return readFileSync(exitFile, 'utf8').trim() !== '';
      } catch {
        return false;
      }
    }, 10_000, 'the exit code');
    assert.equal(readFileSync(exitFile, 'utf8').trim(), '5');
  });
});
