/** A minimal in-memory ustar writer: files, folders and symlinks, enough for the archive API. */
export interface TarEntry {
  /** Path inside the archive, without a leading slash. */
  readonly path: string;
  /** Empty for folders and symlinks. */
  readonly content: Buffer;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  /** A regular file when absent. */
  readonly type?: 'file' | 'directory' | 'symlink';
  /** The symlink's target. */
  readonly linkname?: string;
  /** Unix seconds; now when absent. */
  readonly mtime?: number;
}

const TYPE_FLAG = { file: '0', symlink: '2', directory: '5' } as const;

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: TarEntry): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  let name = entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', Math.min(154, name.length - 2));
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`path too long for a tar entry: ${entry.path}`);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  block.write(name, 0, 100, 'utf8');
  block.write(octal(entry.mode ?? 0o444, 8), 100, 8, 'ascii');
  block.write(octal(entry.uid ?? 0, 8), 108, 8, 'ascii');
  block.write(octal(entry.gid ?? 0, 8), 116, 8, 'ascii');
  block.write(octal(entry.content.length, 12), 124, 12, 'ascii');
  block.write(octal(Math.floor(entry.mtime ?? Date.now() / 1000), 12), 136, 12, 'ascii');
  block.write('        ', 148, 8, 'ascii'); // checksum placeholder: spaces while summing
  block.write(TYPE_FLAG[entry.type ?? 'file'], 156, 1, 'ascii');
  if (entry.linkname !== undefined) {
    if (Buffer.byteLength(entry.linkname) > 100) throw new Error(`symlink target too long for a tar entry: ${entry.linkname}`);
    block.write(entry.linkname, 157, 100, 'utf8');
  }
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

export function buildTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry), entry.content);
    const pad = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}
