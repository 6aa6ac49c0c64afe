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
