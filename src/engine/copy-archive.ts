import { createReadStream, createWriteStream, lchownSync, lstatSync, mkdirSync, readdirSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../errors.js';

// tar-stream 2 has no types of its own; these are the few calls used here.
interface TarHeader {
  readonly name: string;
  readonly type?: string;
  readonly mode?: number;
  readonly linkname?: string;
  readonly size?: number;
  readonly mtime?: Date;
  readonly uid?: number;
  readonly gid?: number;
}
interface TarPack extends Readable {
  entry(header: TarHeader, buffer?: Buffer | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): NodeJS.WritableStream;
  finalize(): void;
}
interface TarExtract extends NodeJS.WritableStream {
  on(event: 'entry', listener: (header: TarHeader, stream: Readable, next: (error?: Error) => void) => void): this;
  on(event: 'finish' | 'error', listener: (error?: Error) => void): this;
}
type TarStream = { pack(): TarPack; extract(): TarExtract };

async function tarStream(): Promise<TarStream> {
  const module = (await import('tar-stream')) as unknown as TarStream & { default?: TarStream };
  return module.default ?? module;
}

/**
 * A host file or folder as a tar whose top entry is `topName`, for the archive API. Symlinks are
 * kept as links unless `followLinks` (then the top one is resolved, as `docker cp -L` does).
 */
export async function packHostPath(hostPath: string, topName: string, followLinks: boolean): Promise<Buffer> {
  const { pack: makePack } = await tarStream();
  const pack = makePack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((done, fail) => {
    pack.on('end', () => done());
    pack.on('error', fail);
  });
  const add = async (absolute: string, name: string, top: boolean): Promise<void> => {
    const stat = top && followLinks ? statSync(absolute) : lstatSync(absolute);
    const common = { name, mode: stat.mode & 0o7777, mtime: stat.mtime, uid: stat.uid, gid: stat.gid };
    if (stat.isSymbolicLink()) {
      await new Promise<void>((done) => pack.entry({ ...common, type: 'symlink', linkname: readlinkSync(absolute) }, () => done()));
    } else if (stat.isDirectory()) {
      await new Promise<void>((done) => pack.entry({ ...common, type: 'directory' }, () => done()));
      for (const child of readdirSync(absolute).sort()) await add(join(absolute, child), `${name}/${child}`, false);
    } else if (stat.isFile()) {
      await new Promise<void>((done, fail) => {
        const sink = pack.entry({ ...common, type: 'file', size: stat.size }, (error) => (error ? fail(error) : done()));
        createReadStream(absolute).on('error', fail).pipe(sink);
      });
    }
  };
  await add(hostPath, topName, true);
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * Writes an archive from the engine under `destination`. Its top entry is renamed to `topName`
 * (the name the user asked for); entries that would land outside `destination` are refused.
 */
export async function extractArchive(archive: Readable, destination: string, topName: string, keepOwner: boolean): Promise<void> {
  const { extract: makeExtract } = await tarStream();
  const extract = makeExtract();
  const root = resolve(destination);
  extract.on('entry', (header, stream, next) => {
    const parts = header.name.replace(/\/+$/, '').split('/');
    parts[0] = topName;
    const target = resolve(root, ...parts);
    if (target !== root && !target.startsWith(root + sep)) {
      next(new UsageError(`the archive tried to write outside ${root}: ${header.name}`));
      return;
    }
    mkdirSync(dirname(target), { recursive: true });
    const mode = header.mode ?? 0o644;
    const done = (error?: unknown): void => {
      if (error === undefined && keepOwner && header.uid !== undefined && header.gid !== undefined) {
        try {
          lchownSync(target, header.uid, header.gid);
        } catch (chownError) {
          next(chownError as Error);
          return;
        }
      }
      next(error as Error | undefined);
    };
    if (header.type === 'directory') {
      mkdirSync(target, { recursive: true, mode });
      stream.resume();
      stream.on('end', () => done());
    } else if (header.type === 'symlink' && header.linkname !== undefined) {
      symlinkSync(header.linkname, target);
      stream.resume();
      stream.on('end', () => done());
    } else {
      pipeline(stream, createWriteStream(target, { mode })).then(() => done(), done);
    }
  });
  await pipeline(archive, extract as unknown as NodeJS.WritableStream);
}
