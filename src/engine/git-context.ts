import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BuildError } from '../errors.js';
import type { GitContext } from '../model/git-url.js';

export { parseGitContext, type GitContext } from '../model/git-url.js';

/**
 * Fetches a git context into a temporary folder (one commit, no history), for what the engine's
 * BuildKit cannot fetch itself: this one answers "subdir not supported yet" to `#ref:subdir`.
 */
export async function cloneGitContext(git: GitContext, image: string): Promise<{ readonly dir: string; readonly context: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tscompose-git-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const run = (...args: string[]) => promisify(execFile)('git', ['-C', dir, ...args], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  try {
    await run('init', '-q');
    await run('fetch', '-q', '--depth', '1', git.url, git.ref ?? 'HEAD');
    await run('checkout', '-q', 'FETCH_HEAD');
  } catch (error) {
    await remove();
    const stderr = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
    throw new BuildError(image, `could not fetch the git context ${git.url}${git.ref === undefined ? '' : `#${git.ref}`}: ${stderr}`, {
      hint: 'check the address and the ref (branch, tag or commit); git must be installed for `#ref:subdir` contexts',
    });
  }
  return { dir, context: git.subdir === undefined ? dir : join(dir, git.subdir), remove };
}
