import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { digestBuildInputs, listContext, packContext, resolveDockerfile, type PackOptions } from '../../../src/engine/build-context.js';

async function tarFiles(stream: Readable): Promise<Record<string, string>> {
  const tarStream = (await import('tar-stream')) as unknown as { extract(): NodeJS.WritableStream & { on(e: 'entry', f: (h: { name: string }, s: Readable, next: () => void) => void): void; on(e: 'finish', f: () => void): void } };
  const extract = tarStream.extract();
  const out: Record<string, string> = {};
  return new Promise((done, fail) => {
    extract.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (c: Buffer) => chunks.push(c));
      body.on('end', () => { out[header.name] = Buffer.concat(chunks).toString(); next(); });
    });
    extract.on('finish', () => done(out));
    stream.on('error', fail);
    stream.pipe(extract);
  });
}

describe('build context: read once per build, and what is sent is what was digested', () => {
  let dir: string;
  let cache: string;
  before(() => { cache = mkdtempSync(join(tmpdir(), 'tsct-digests-')); });
  after(() => rmSync(cache, { recursive: true, force: true }));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsct-ctx-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY a.txt /\n');
    writeFileSync(join(dir, 'a.txt'), 'one');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const pack = async (): Promise<Record<string, string>> => {
    const dockerfile = await resolveDockerfile({ context: dir, tags: [] });
    return tarFiles(await packContext(await listContext(dir, dockerfile), dockerfile, { context: dir }));
  };

  it('the build after a digest sends the bytes the digest hashed, then the next build reads the folder again', async () => {
    const first = await digestBuildInputs({ context: dir });
    writeFileSync(join(dir, 'a.txt'), 'two'); // same size: only the bytes tell
    assert.equal((await pack())['a.txt'], 'one');
    assert.equal((await pack())['a.txt'], 'two');
    const second = await digestBuildInputs({ context: dir });
    assert.notEqual(second.context, first.context);
  });

  it('an unchanged file\'s digest comes from the cache; a rewrite of the same size with its old mtime is still seen', async () => {
    const past = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, 'a.txt'), past, past);
    const first = await digestBuildInputs({ context: dir }, cache);
    const [file] = readdirSync(cache).filter((f) => readFileSync(join(cache, f), 'utf8').includes(dir));
    assert.ok(file !== undefined, 'the cache holds this context');
    assert.equal((await digestBuildInputs({ context: dir }, cache)).context, first.context);
    writeFileSync(join(dir, 'a.txt'), 'owt');
    utimesSync(join(dir, 'a.txt'), past, past);
    assert.notEqual((await digestBuildInputs({ context: dir }, cache)).context, first.context, 'the change time moved');
  });

  it('a digest always walks the folder again (watch digests after files changed)', async () => {
    const first = await digestBuildInputs({ context: dir });
    writeFileSync(join(dir, 'b.txt'), 'new');
    const second = await digestBuildInputs({ context: dir });
    assert.notEqual(second.context, first.context);
    assert.equal((await pack())['b.txt'], 'new');
  });
});

describe('build context: the Dockerfile we send, and what COPY sees', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsct-inline-'));
    writeFileSync(join(dir, 'a.txt'), 'one');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const packInline = async (options: PackOptions = {}): Promise<Record<string, string>> => {
    const dockerfile = await resolveDockerfile({ context: dir, dockerfileInline: 'FROM scratch\nCOPY . /\n', tags: [] });
    return tarFiles(await packContext(await listContext(dir, dockerfile), dockerfile, { context: dir, ...options }));
  };

  it('for the classic builder, an added Dockerfile is listed in a .dockerignore it adds (listing itself too)', async () => {
    const files = await packInline({ hideAddedDockerfile: true });
    assert.equal(files['.tscompose.Dockerfile'], 'FROM scratch\nCOPY . /\n');
    assert.equal(files['.dockerignore'], '.tscompose.Dockerfile\n.dockerignore\n');
    assert.equal(files['a.txt'], 'one');
    assert.equal((await packInline())['.dockerignore'], undefined, 'BuildKit ignores it: the file is left alone');
  });

  it('or appended to the patterns applied here, last, so no exception brings it back', async () => {
    writeFileSync(join(dir, '.dockerignore'), '*.log\n!keep.log\n');
    writeFileSync(join(dir, 'x.log'), 'x');
    const files = await packInline({ hideAddedDockerfile: true });
    assert.equal(files['.dockerignore'], '*.log\n!keep.log\n.tscompose.Dockerfile\n');
    assert.equal(files['x.log'], undefined);
  });

  it('under a folder: the context\'s files go there, the added Dockerfile stays at the top', async () => {
    const files = await packInline({ under: 'context' });
    assert.deepEqual(Object.keys(files).sort(), ['.tscompose.Dockerfile', 'context', 'context/a.txt']);
  });
});
