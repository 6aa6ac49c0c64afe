import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BuildError } from '../errors.js';

/** A git context as Compose reads it: `URL#ref:subdir`, both parts optional. */
export interface GitContext {
  readonly url: string;
  readonly ref?: string;
  readonly subdir?: string;
}

/** git://, git@, ssh:// and github.com/ addresses, and http(s) ones whose path ends in .git. */
export function parseGitContext(context: string): GitContext | undefined {
  const hash = context.indexOf('#');
  const url = hash === -1 ? context : context.slice(0, hash);
  const isGit = /^(git:\/\/|git@|ssh:\/\/|github\.com\/)/.test(url) || (/^https?:\/\//.test(url) && /\.git\/?$/.test(url));
  if (!isGit) return undefined;
  const fragment = hash === -1 ? '' : context.slice(hash + 1);
  const colon = fragment.indexOf(':');
  const ref = colon === -1 ? fragment : fragment.slice(0, colon);
  const subdir = colon === -1 ? '' : fragment.slice(colon + 1).replace(/^\/+|\/+$/g, '');
  return { url, ...(ref === '' ? {} : { ref }), ...(subdir === '' ? {} : { subdir }) };
}

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
