import assert from 'node:assert/strict';
import { externalImages, fetchesRemote } from '../../../src/engine/dockerfile-images.js';

describe('images a Dockerfile reads from outside the build (does the build need a registry?)', () => {
  it('FROM bases and --from= sources that are not its own stages; scratch and stage indexes are not images', () => {
    const text = [
      'FROM --platform=linux/amd64 base/one:1 AS build',
      'RUN --mount=type=cache,target=/c \\',
      '    --mount=type=bind,from=tools/two:2,target=/t make',
      'COPY --from=build /out /out',
      '# COPY --from=commented/out:1 / /',
      'FROM scratch AS empty',
      'FROM base/three:3',
      'COPY --from=0 /out /a',
      'COPY --from=other/four:4 /x /x',
      'COPY --from=empty / /',
    ].join('\n');
    assert.deepEqual(externalImages(text), ['base/one:1', 'tools/two:2', 'base/three:3', 'other/four:4']);
  });

  it('cannot tell (so the build gets a session) with a variable in a reference or a # syntax= frontend', () => {
    assert.equal(externalImages('ARG BASE=x\nFROM $BASE\n'), undefined);
    assert.equal(externalImages('FROM x\nCOPY --from=${IMG} / /\n'), undefined);
    assert.equal(externalImages('# syntax=docker/dockerfile:1\nFROM x\n'), undefined);
    assert.deepEqual(externalImages('FROM x\n# syntax=late\n'), ['x']);
  });

  it('an ADD of a URL or a git repository is fetched at each build (so --build cannot be skipped)', () => {
    assert.equal(fetchesRemote('FROM x\nADD https://example.test/a.tgz /a\n'), true);
    assert.equal(fetchesRemote('FROM x\nADD --chmod=644 \\\n  git@example.test:repo.git /src\n'), true);
    assert.equal(fetchesRemote('FROM x\nADD local.tgz /a\nCOPY https.txt /b\nRUN wget https://example.test\n'), false);
  });
});
