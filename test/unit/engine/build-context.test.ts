import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { digestBuildInputs, listContext, packContext, resolveDockerfile } from '../../../src/engine/build-context.js';

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
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsct-ctx-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY a.txt /\n');
    writeFileSync(join(dir, 'a.txt'), 'one');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const pack = async (): Promise<Record<string, string>> => {
    const dockerfile = await resolveDockerfile({ context: dir, tags: [] });
    return tarFiles(await packContext(await listContext(dir, dockerfile), dockerfile, dir));
  };

  it('the build after a digest sends the bytes the digest hashed, then the next build reads the folder again', async () => {
    const first = await digestBuildInputs({ context: dir });
    writeFileSync(join(dir, 'a.txt'), 'two'); // same size: only the bytes tell
    assert.equal((await pack())['a.txt'], 'one');
    assert.equal((await pack())['a.txt'], 'two');
    const second = await digestBuildInputs({ context: dir });
    assert.notEqual(second.context, first.context);
  });

  it('a digest always walks the folder again (watch digests after files changed)', async () => {
    const first = await digestBuildInputs({ context: dir });
    writeFileSync(join(dir, 'b.txt'), 'new');
    const second = await digestBuildInputs({ context: dir });
    assert.notEqual(second.context, first.context);
    assert.equal((await pack())['b.txt'], 'new');
  });
});
