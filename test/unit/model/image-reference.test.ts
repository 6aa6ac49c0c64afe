import assert from 'node:assert/strict';
import { parseImageReference, pinImageReference } from '../../../src/model/image-reference.js';

describe('image references in Docker\'s full form', () => {
  it('adds docker.io, library/ and :latest as Docker does', () => {
    assert.deepEqual(parseImageReference('busybox'), { name: 'docker.io/library/busybox', tag: 'latest' });
    assert.deepEqual(parseImageReference('tscompose/busybox:1'), { name: 'docker.io/tscompose/busybox', tag: '1' });
    assert.deepEqual(parseImageReference('index.docker.io/redis:7'), { name: 'docker.io/library/redis', tag: '7' });
  });
  it('keeps a registry with a port, a dot or localhost; a digest alone has no tag', () => {
    assert.deepEqual(parseImageReference('127.0.0.1:5000/app:1'), { name: '127.0.0.1:5000/app', tag: '1' });
    assert.deepEqual(parseImageReference('localhost/a/b'), { name: 'localhost/a/b', tag: 'latest' });
    assert.deepEqual(parseImageReference('ghcr.io/o/x@sha256:ab'), { name: 'ghcr.io/o/x', digest: 'sha256:ab' });
  });
  it('pins, keeping the tag', () => {
    assert.equal(pinImageReference('busybox', 'sha256:ab'), 'docker.io/library/busybox:latest@sha256:ab');
    assert.equal(pinImageReference('127.0.0.1:5000/app:1', 'sha256:cd'), '127.0.0.1:5000/app:1@sha256:cd');
  });
});
