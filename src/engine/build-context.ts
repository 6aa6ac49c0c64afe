import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readdir, readlink, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { BuildError } from '../errors.js';
import { externalImages, fetchesRemote } from './dockerfile-images.js';
import { openDigestCache, type FileStamp } from './digest-cache.js';
import type { BuildInputsDigest, BuildRequest } from './engine.js';

/** One file, folder or symlink of the context, with its path inside the context (always with `/`). */
export interface ContextEntry {
  readonly path: string;
  readonly absolute: string;
  readonly type: 'file' | 'directory' | 'symlink';
  readonly mode: number;
  readonly size: number;
  readonly mtime: Date;
  readonly linkname?: string;
  /** What the file system said of a file when it was listed: the digest cache's key. */
  readonly stamp?: FileStamp;
}

/** The Dockerfile as the engine will read it: a path inside the tar, its text, and whether we add it ourselves. */
export interface DockerfileSource {
  /** Path inside the context tar, passed as the build's `dockerfile` option. */
  readonly name: string;
  /** Its text, read once. */
  readonly text: string;
  /** Set when the Dockerfile is not a context file (inline, or outside the context): we add it to the tar. */
  readonly extra?: string;
}

const INLINE_NAME = '.tscompose.Dockerfile';

/** Where the Dockerfile comes from; fails with a clear message when it does not exist. */
export async function resolveDockerfile(request: Pick<BuildRequest, 'context' | 'dockerfile' | 'dockerfileInline' | 'tags'>): Promise<DockerfileSource> {
  if (request.dockerfileInline !== undefined) return { name: INLINE_NAME, text: request.dockerfileInline, extra: request.dockerfileInline };
  const absolute = resolve(request.context, request.dockerfile ?? 'Dockerfile');
  const inside = relative(request.context, absolute);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch {
    throw new BuildError(request.tags[0] ?? request.context, `Dockerfile not found: ${absolute}`, {
      hint: 'set build.dockerfile to a file relative to the build context, or use build.dockerfile_inline',
    });
  }
  if (inside.startsWith('..') || isAbsolute(inside)) return { name: INLINE_NAME, text, extra: text };
  return { name: inside.split(sep).join('/'), text };
}

type IgnoreFactory = () => { add(patterns: string[]): { ignores(path: string): boolean } };

/** `<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's `.dockerignore`, as in BuildKit. */
async function ignoreText(context: string, dockerfile: DockerfileSource): Promise<string | undefined> {
  const candidates = dockerfile.extra === undefined ? [join(context, `${dockerfile.name}.dockerignore`)] : [];
  for (const file of [...candidates, join(context, '.dockerignore')]) {
    try {
      return await readFile(file, 'utf8');
    } catch {
      // next candidate
    }
  }
  return undefined;
}

async function readIgnore(text: string | undefined): Promise<((path: string) => boolean) | undefined> {
  if (text === undefined) return undefined;
  const patterns = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (patterns.length === 0) return undefined;
  // A CommonJS module: its factory is the default export once, or twice over depending on the loader.
  const loaded = (await import('@balena/dockerignore')) as unknown as { default: IgnoreFactory | { default: IgnoreFactory } };
  const factory = typeof loaded.default === 'function' ? loaded.default : loaded.default.default;
  const rules = factory().add(patterns);
  return (path) => rules.ignores(path);
}

/**
 * What digesting a context already read, for the build that follows in the same run: its entry
 * list and the small files' bytes (up to a budget), so the context is walked and read once, and
 * the tar sent is exactly what the build-inputs label describes.
 */
interface ContextRead {
  readonly entries: readonly ContextEntry[];
  readonly contents: Map<string, Buffer>;
}

const READ_BUDGET = 64 * 1024 * 1024;
const reads = new Map<string, ContextRead>();
let budgetLeft = READ_BUDGET;

const readKey = (context: string, dockerfile: DockerfileSource): string => `${context}\0${dockerfile.name}\0${dockerfile.extra ?? ''}`;

function forget(key: string): void {
  const read = reads.get(key);
  if (read === undefined) return;
  for (const bytes of read.contents.values()) budgetLeft += bytes.length;
  reads.delete(key);
}

/**
 * Every entry of the context that .dockerignore keeps, sorted by path. The Dockerfile and the
 * .dockerignore are always kept, as the docker CLI does. An ignored folder is skipped whole unless
 * an exception (`!pattern`) might bring something inside it back.
 */
export async function listContext(context: string, dockerfile: DockerfileSource): Promise<ContextEntry[]> {
  const read = reads.get(readKey(context, dockerfile));
  if (read !== undefined) return [...read.entries];
  return walkContext(context, dockerfile);
}

async function walkContext(context: string, dockerfile: DockerfileSource): Promise<ContextEntry[]> {
  const text = await ignoreText(context, dockerfile);
  const ignored = await readIgnore(text);
  const hasExceptions = ignored !== undefined && (text ?? '').includes('!');
  const alwaysKept = new Set(['.dockerignore', dockerfile.name, `${dockerfile.name}.dockerignore`]);
  const out: ContextEntry[] = [];

  const walk = async (dir: string, prefix: string): Promise<void> => {
    const names = await readdir(dir);
    await Promise.all(names.map(async (name) => {
      const path = prefix === '' ? name : `${prefix}/${name}`;
      const absolute = join(dir, name);
      const stats = await lstat(absolute);
      const skip = ignored !== undefined && !alwaysKept.has(path) && ignored(path);
      if (stats.isDirectory()) {
        if (skip && !hasExceptions) return;
        if (!skip) out.push({ path, absolute, type: 'directory', mode: stats.mode & 0o7777, size: 0, mtime: stats.mtime });
        await walk(absolute, path);
        return;
      }
      if (skip) return;
      if (stats.isSymbolicLink()) {
        out.push({ path, absolute, type: 'symlink', mode: stats.mode & 0o7777, size: 0, mtime: stats.mtime, linkname: await readlink(absolute) });
      } else if (stats.isFile()) {
        out.push({
          path, absolute, type: 'file', mode: stats.mode & 0o7777, size: stats.size, mtime: stats.mtime,
          stamp: { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino },
        });
      }
    }));
  };
  await walk(context, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const SMALL_FILE = 256 * 1024;

async function digestFile(path: string, size: number, contents: Map<string, Buffer>): Promise<string> {
  const hash = createHash('sha256');
  if (size <= SMALL_FILE) {
    const bytes = await readFile(path);
    if (bytes.length <= budgetLeft) {
      budgetLeft -= bytes.length;
      contents.set(path, bytes);
    }
    return hash.update(bytes).digest('hex');
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs `task` over `items` with at most `limit` at a time, keeping the results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Content digests of the build's inputs: every kept context entry (path, type, mode, content or
 * link target; not times), and the Dockerfile text on its own so a plan can tell the two apart.
 */
export async function digestBuildInputs(
  request: Pick<BuildRequest, 'context' | 'dockerfile' | 'dockerfileInline'>,
  cacheDir?: string,
): Promise<BuildInputsDigest> {
  const folder = await stat(request.context).catch(() => undefined);
  if (folder?.isDirectory() !== true) {
    throw new BuildError(request.context, `the build context ${request.context} is not a folder${folder === undefined ? ' (it does not exist)' : ''}`, {
      hint: 'check the path of build.context (or of the additional context), relative to the compose file\'s folder',
    });
  }
  const dockerfile = await resolveDockerfile({ ...request, tags: [] });
  // Always a fresh walk: a long run (watch) digests again after files changed.
  forget(readKey(request.context, dockerfile));
  const all = await walkContext(request.context, dockerfile);
  const contents = new Map<string, Buffer>();
  reads.set(readKey(request.context, dockerfile), { entries: all, contents });
  const entries = all.filter((e) => e.path !== dockerfile.name);
  const cache = await openDigestCache(request.context, dockerfile.name, cacheDir);
  const fileDigests = await mapLimit(entries, 32, async (e) => {
    if (e.type !== 'file') return '';
    const cached = e.stamp === undefined ? undefined : cache.get(e.path, e.stamp);
    if (cached !== undefined) return cached;
    const digest = await digestFile(e.absolute, e.size, contents);
    if (e.stamp !== undefined) cache.set(e.path, e.stamp, digest);
    return digest;
  });
  await cache.save();
  const context = createHash('sha256');
  entries.forEach((e, i) => {
    context.update(`${e.type}\0${e.path}\0${e.mode.toString(8)}\0${e.linkname ?? ''}\0${fileDigests[i] ?? ''}\n`);
  });
  const images = fetchesRemote(dockerfile.text) ? undefined : externalImages(dockerfile.text);
  return {
    context: context.digest('hex'),
    dockerfile: createHash('sha256').update(dockerfile.text).digest('hex'),
    ...(images === undefined ? {} : { images }),
  };
}

/**
 * The listed entries for the session's file sync, with the bytes the context's digest kept (then
 * forgotten, as a tar build does), so what is sent is what the build-inputs label describes.
 */
export function syncEntries(entries: readonly ContextEntry[], context: string, dockerfile: DockerfileSource): (ContextEntry & { readonly bytes?: Buffer })[] {
  const key = readKey(context, dockerfile);
  const kept = reads.get(key)?.contents;
  forget(key);
  return entries.map((e) => {
    const bytes = kept?.get(e.absolute);
    return bytes !== undefined && bytes.length === e.size ? { ...e, bytes } : e;
  });
}

interface TarPack extends Readable {
  entry(header: Record<string, unknown>, buffer?: Buffer | string | ((error?: Error) => void), callback?: (error?: Error) => void): NodeJS.WritableStream;
  finalize(): void;
}

/**
 * The `.dockerignore` sent when we add the Dockerfile to the tar ourselves, for the classic builder,
 * which drops what it lists after reading the Dockerfile (the docker CLI's `-f -` does the same):
 * the patterns applied here plus the added file, and itself when the context had none.
 */
async function sentIgnoreFile(context: string, dockerfile: DockerfileSource, hasOwn: boolean): Promise<Buffer> {
  const text = (await ignoreText(context, dockerfile)) ?? '';
  const lines = [text.replace(/\n*$/, ''), dockerfile.name, ...(hasOwn ? [] : ['.dockerignore'])].filter((l) => l !== '');
  return Buffer.from(`${lines.join('\n')}\n`);
}

export interface PackOptions {
  /** The context folder: the bytes its digest kept are sent, then forgotten. */
  readonly context?: string;
  /** The context's files go under this folder of the tar; an added Dockerfile stays at the top. */
  readonly under?: string;
  /**
   * List an added Dockerfile in the sent `.dockerignore`, so `COPY .` does not copy it. Only the
   * classic builder heeds that; the engine's BuildKit (API 1.41) ignores a tar's `.dockerignore`.
   */
  readonly hideAddedDockerfile?: boolean;
}

/**
 * The context as a tar stream, files read one at a time as the engine consumes them (or taken
 * from what digesting the context read, when it kept them).
 */
export async function packContext(entries: readonly ContextEntry[], dockerfile: DockerfileSource, options: PackOptions = {}): Promise<Readable> {
  const { context, under } = options;
  const hasOwnIgnore = entries.some((e) => e.path === '.dockerignore' && e.type === 'file');
  const added = dockerfile.extra;
  const ignoreBytes = added !== undefined && context !== undefined && options.hideAddedDockerfile === true && under === undefined
    ? await sentIgnoreFile(context, dockerfile, hasOwnIgnore)
    : undefined;
  const kept = context === undefined ? undefined : reads.get(readKey(context, dockerfile))?.contents;
  // One build per digest: the next build of this context reads it again.
  if (context !== undefined) forget(readKey(context, dockerfile));
  const tarStream = (await import('tar-stream')) as unknown as { pack(): TarPack; default?: { pack(): TarPack } };
  const pack = (tarStream.default ?? tarStream).pack();
  const header = (e: ContextEntry): Record<string, unknown> => ({
    name: under === undefined ? e.path : `${under}/${e.path}`, mode: e.mode, mtime: e.mtime, type: e.type, size: e.size, ...(e.linkname === undefined ? {} : { linkname: e.linkname }),
  });
  const addFile = (e: ContextEntry): Promise<void> => new Promise((done, fail) => {
    const bytes = kept?.get(e.absolute);
    if (bytes !== undefined && bytes.length === e.size) {
      pack.entry(header(e), bytes, (error) => (error === undefined || error === null ? done() : fail(error)));
      return;
    }
    const sink = pack.entry(header(e), (error) => (error === undefined || error === null ? done() : fail(error)));
    const source = createReadStream(e.absolute);
    source.on('error', fail);
    source.pipe(sink);
  });
  (async () => {
    const addBytes = (head: Record<string, unknown>, bytes: Buffer | string): Promise<void> =>
      new Promise<void>((done, fail) => pack.entry(head, bytes, (error) => (error === undefined || error === null ? done() : fail(error))));
    if (under !== undefined) await addBytes({ name: under, type: 'directory', mode: 0o755 }, '');
    for (const e of entries) {
      if (e.type === 'file' && e.path === '.dockerignore' && ignoreBytes !== undefined) await addBytes({ ...header(e), size: ignoreBytes.length }, ignoreBytes);
      else if (e.type === 'file') await addFile(e);
      else await new Promise<void>((done) => pack.entry(header(e), () => done()));
    }
    if (ignoreBytes !== undefined && !hasOwnIgnore) await addBytes({ name: '.dockerignore', mode: 0o644 }, ignoreBytes);
    if (added !== undefined) await addBytes({ name: dockerfile.name, mode: 0o644 }, added);
    pack.finalize();
  })().catch((error: unknown) => pack.destroy(error as Error));
  return pack;
}
