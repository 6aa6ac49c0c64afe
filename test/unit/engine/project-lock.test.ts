import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InterruptedError } from '../../../src/errors.js';
import { lockProject } from '../../../src/engine/project-lock.js';

const LOCK_MODULE = join(dirname(fileURLToPath(import.meta.url)), '../../../src/engine/project-lock.js');

describe('lockProject: runs of one project on one engine take turns', () => {
  const endpoint = `unix:///test/${randomBytes(4).toString('hex')}.sock`;

  it('a second run waits, is told who holds the lock, and goes on when it is released', async () => {
    const first = await lockProject(endpoint, 'p');
    let told: number | undefined;
    let second = false;
    const waiting = lockProject(endpoint, 'p', { onWait: (pid) => (told = pid) }).then((lock) => {
      second = true;
      return lock;
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(second, false);
    assert.equal(told, process.pid);
    await first.release();
    await (await waiting).release();
    assert.equal(second, true);
  });

  it('another project, or the same name on another engine, does not wait', async () => {
    const a = await lockProject(endpoint, 'p');
    const b = await lockProject(endpoint, 'q');
    const c = await lockProject(`${endpoint}x`, 'p');
    await Promise.all([a.release(), b.release(), c.release()]);
  });

  it('a holder killed by SIGKILL leaves nothing held', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e',
      `const { lockProject } = await import(${JSON.stringify(LOCK_MODULE)}); await lockProject(${JSON.stringify(endpoint)}, 'k');` +
      `process.stdout.write('held\\n'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    let told = false;
    const waiting = lockProject(endpoint, 'k', { onWait: () => (told = true) });
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGKILL');
    await (await waiting).release();
    assert.equal(told, true);
  });

  it('a wait ends with an InterruptedError when the run is interrupted', async () => {
    const held = await lockProject(endpoint, 'i');
    const controller = new AbortController();
    const waiting = lockProject(endpoint, 'i', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(waiting, InterruptedError);
    await held.release();
  });
});
