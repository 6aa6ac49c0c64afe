import { isAbsolute, relative, sep } from 'node:path';
import dockerignore from '@balena/dockerignore';

/** Whether a host path (absolute) is matched. */
export type PathMatcher = (hostPath: string) => boolean;

type IgnoreFactory = (options?: { ignorecase?: boolean }) => { add(patterns: string[]): { ignores(path: string): boolean } };
// A CommonJS module: its factory is the default export once, or twice over depending on the loader.
const loaded = dockerignore as unknown as IgnoreFactory | { default: IgnoreFactory };
const factory: IgnoreFactory = typeof loaded === 'function' ? loaded : loaded.default;

/** The path of `hostPath` below `root`, with `/` separators; undefined when it is not below it. */
export function pathBelow(root: string, hostPath: string): string | undefined {
  if (hostPath === root) return '';
  const rel = relative(root, hostPath);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/**
 * Docker's pattern rules (.dockerignore): a path matches when it or one of its parent folders does,
 * `!` re-includes, the last matching pattern wins. Patterns are relative to `root`; paths outside
 * it never match.
 */
export function dockerPatternMatcher(root: string, patterns: readonly string[]): PathMatcher {
  const cleaned = patterns.map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith('#'));
  if (cleaned.length === 0) return () => false;
  const rules = factory({ ignorecase: false }).add(cleaned.map((p) => p.replace(/^(!?)\/+/, '$1')));
  return (hostPath) => {
    const rel = pathBelow(root, hostPath);
    return rel !== undefined && rel !== '' && rules.ignores(rel);
  };
}

/** The lines of a .dockerignore file that are patterns. */
export function dockerignorePatterns(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

// Compose's list of files editors and tools write next to the real ones (swap, backup, lock and
// temporary files), matched on a path's last segment, plus `.idea` folders anywhere.
const EDITOR_FILES: readonly RegExp[] = [
  /___jb_(old|tmp)___$/, // GoLand, IntelliJ
  /^\.#/, /^#.*#$/, // Emacs
  /^4913$/, /~$/, /^\..*\.sw[pxon]$/, // Vim
  /^\..*\.kate-swp$/, // Kate
  /-go-tmp-umask$/, // the Go toolchain
];

/**
 * The ignores every rule has, whatever the files say: editors' scratch files and anything under a
 * `.git` or `.idea` folder below the watched root. (Compose means to ignore `.git` too; its pattern
 * is rooted at `/` and so only ever matches `/.git`.)
 */
export function defaultIgnores(root: string): PathMatcher {
  return (hostPath) => {
    const rel = pathBelow(root, hostPath);
    if (rel === undefined || rel === '') return false;
    const parts = rel.split('/');
    if (parts.some((p) => p === '.git' || p === '.idea')) return true;
    const last = parts[parts.length - 1] as string;
    return EDITOR_FILES.some((pattern) => pattern.test(last));
  };
}

export function anyOf(matchers: readonly PathMatcher[]): PathMatcher {
  return (hostPath) => matchers.some((m) => m(hostPath));
}
