import assert from 'node:assert/strict';
import { substituteNamedContexts } from '../../../src/engine/dockerfile-contexts.js';

const images = new Map([['assets', 'tscompose-context/p-app-assets:1'], ['base', 'p-base'], ['Tools', 'busybox:1']]);
const rewrite = (lines: readonly string[], args: Record<string, string> = {}) => substituteNamedContexts(lines.join('\n'), images, args).split('\n');

describe('named build contexts rewritten to the images that stand in for them', () => {
  it('FROM bases, COPY --from and RUN --mount from= that name a context; the rest is left as written', () => {
    assert.deepEqual(rewrite([
      'FROM base AS build',
      'COPY --from=assets --chown=1:1 /site /srv',
      'RUN --mount=type=bind,from=tools,target=/t /t/bin/make',
      'RUN echo --from=assets',
      'FROM scratch',
      'COPY --from=build /srv /srv',
    ]), [
      'FROM p-base AS build',
      'COPY --from=tscompose-context/p-app-assets:1 --chown=1:1 /site /srv',
      'RUN --mount=type=bind,from=busybox:1,target=/t /t/bin/make',
      'RUN echo --from=assets',
      'FROM scratch',
      'COPY --from=build /srv /srv',
    ]);
  });

  it('an earlier stage wins over a context of the same name, except the stage that the context replaces', () => {
    assert.deepEqual(rewrite([
      'FROM busybox:1 AS tools',
      'RUN touch /x',
      'FROM scratch AS assets',
      'COPY x /x',
      'FROM tools',
      'COPY --from=tools /x /x',
      'COPY --from=assets / /a',
    ]), [
      // Both stages are named like contexts ("Tools" matches case-insensitively): the contexts
      // replace them, and their instructions do not run; later references are to the stages.
      'FROM busybox:1 AS tools',
      '',
      'FROM tscompose-context/p-app-assets:1 AS assets',
      '',
      'FROM tools',
      'COPY --from=tools /x /x',
      'COPY --from=assets / /a',
    ]);
    const onlyAssets = new Map([['assets', 'ctx:1']]);
    assert.equal(substituteNamedContexts('FROM busybox:1 AS build\nFROM build\nCOPY --from=build / /\nFROM assets', onlyAssets, {}),
      'FROM busybox:1 AS build\nFROM build\nCOPY --from=build / /\nFROM ctx:1');
  });

  it('build args before the first FROM are expanded, with their defaults and the values given', () => {
    const text = ['ARG BASE=base', 'ARG FROM_CTX', 'FROM ${BASE}', 'COPY --from=$FROM_CTX / /'];
    assert.deepEqual(rewrite(text, { FROM_CTX: 'assets' }), ['ARG BASE=base', 'ARG FROM_CTX', 'FROM p-base', 'COPY --from=tscompose-context/p-app-assets:1 / /']);
    assert.deepEqual(rewrite(text, { BASE: 'busybox:1' }), text);
  });

  it('keeps every line number: a continued instruction becomes one line and blank ones', () => {
    const out = rewrite(['FROM base', 'COPY --from=assets \\', '  # a comment', '  /a /b', 'RUN false']);
    assert.deepEqual(out, ['FROM p-base', 'COPY --from=tscompose-context/p-app-assets:1   /a /b', '', '', 'RUN false']);
  });

  it('honours the escape directive, and leaves a Dockerfile without context names untouched', () => {
    const text = '# escape=`\nFROM base\nCOPY --from=assets `\n  /a /b\n';
    assert.equal(substituteNamedContexts(text, images, {}), '# escape=`\nFROM p-base\nCOPY --from=tscompose-context/p-app-assets:1   /a /b\n\n');
    const plain = 'FROM busybox:1\r\nRUN true\r\n';
    assert.equal(substituteNamedContexts(plain, images, {}), plain);
  });
});
