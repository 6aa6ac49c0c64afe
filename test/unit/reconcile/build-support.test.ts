import assert from 'node:assert/strict';
import { buildRefusals } from '../../../src/reconcile/build-support.js';
import { buildRequestFor, chosenBuilder, parseCacheEntry, parseSshEntry } from '../../../src/reconcile/build-request.js';
import { project, service } from '../../helpers/project-fixture.js';
import type { BuildConfig } from '../../../src/model/project.js';

const withBuild = (build: Partial<BuildConfig> & Record<string, unknown>) =>
  project('p', { app: service({ image: 'p-app', build: { context: '/w/app', ...build } as BuildConfig }) }, {
    secrets: { tok: { name: 'p_tok', file: '/w/tok.txt' }, env: { name: 'p_env', environment: 'TOKEN' } },
    environment: { TOKEN: 'from-env', HOME: '/home/u' },
  });
const paths = (refusals: { path: readonly (string | number)[] }[]) => refusals.map((r) => r.path.join('.'));

describe('build keys each builder can and cannot honour', () => {
  it('DOCKER_BUILDKIT=0 (false, no, off) selects the classic builder; anything else BuildKit', () => {
    for (const v of ['0', 'false', 'no', 'OFF']) assert.equal(chosenBuilder({ DOCKER_BUILDKIT: v }), 'classic');
    for (const v of [undefined, '1', 'true']) assert.equal(chosenBuilder({ DOCKER_BUILDKIT: v }), 'buildkit');
  });

  it('the classic builder refuses what only BuildKit does, naming the key', () => {
    const p = withBuild({ secrets: [{ source: 'tok' }], ssh: ['default'], additional_contexts: { x: '/w/x' }, cache_to: ['type=inline'], platforms: ['linux/amd64', 'linux/arm64'], privileged: true, entitlements: ['network.host'], provenance: true });
    assert.deepEqual(paths(buildRefusals(p, ['app'], 'classic')), [
      'services.app.build.secrets', 'services.app.build.ssh', 'services.app.build.additional_contexts', 'services.app.build.cache_to',
      'services.app.build.platforms', 'services.app.build.privileged', 'services.app.build.entitlements', 'services.app.build.provenance',
    ]);
    assert.match(buildRefusals(p, ['app'], 'classic')[0]?.message ?? '', /secrets needs BuildKit, and DOCKER_BUILDKIT=0/);
    assert.deepEqual(buildRefusals(withBuild({ platforms: ['linux/amd64'], target: 't' }), ['app'], 'classic'), []);
  });

  it('BuildKit through the Engine API takes secrets, ssh, one platform, inline cache and registry cache_from', () => {
    const p = withBuild({ secrets: [{ source: 'tok' }], ssh: ['default'], platforms: ['linux/amd64'], cache_to: ['type=inline'], cache_from: ['r/x:cache', 'type=registry,ref=r/y:cache'], entitlements: ['network.host'] });
    assert.deepEqual(buildRefusals(p, ['app'], 'buildkit'), []);
  });

  it('and refuses, with a reason, what this engine cannot do', () => {
    const p = withBuild({ additional_contexts: { x: '/w/x', y: 'oci-layout:///w/layout', z: 'https://example.invalid/src.tar.gz' }, cache_to: ['type=local,dest=/tmp/c'], cache_from: ['type=local,src=/tmp/c'], platforms: ['linux/amd64', 'linux/arm64'], privileged: true, entitlements: ['security.insecure'], sbom: true, no_cache_filter: ['a'] });
    assert.deepEqual(paths(buildRefusals(p, ['app'], 'buildkit')), [
      'services.app.build.additional_contexts.y', 'services.app.build.additional_contexts.z', 'services.app.build.cache_to.0', 'services.app.build.cache_from.0', 'services.app.build.platforms',
      'services.app.build.privileged', 'services.app.build.entitlements.0', 'services.app.build.sbom', 'services.app.build.no_cache_filter',
    ]);
  });

  it('takes folder, git, image and service contexts; refuses them beside a tarball context, or reading a disabled service', () => {
    const ok = withBuild({ additional_contexts: { a: '/w/a', b: 'git://127.0.0.1/r.git#main', c: 'docker-image://busybox:1', d: 'service:base' } });
    const withBase = { ...ok, services: { ...ok.services, base: service({ build: { context: '/w/base' } as BuildConfig }) } };
    assert.deepEqual(buildRefusals(withBase, ['app'], 'buildkit'), []);
    const disabled = buildRefusals(ok, ['app'], 'buildkit');
    assert.deepEqual(paths(disabled), ['services.app.build.additional_contexts.d']);
    assert.match(disabled[0]?.message ?? '', /reads service "base", which is not enabled/);
    const tarball = buildRefusals(withBuild({ context: 'https://example.invalid/app.tar.gz', additional_contexts: { a: '/w/a' } }), ['app'], 'buildkit');
    assert.deepEqual(paths(tarball), ['services.app.build.additional_contexts']);
    assert.match(tarball[0]?.message ?? '', /tarball context/);
  });

  it('dockerfile_inline with a remote context: fetched here for git with BuildKit; refused for a tarball, and by the classic builder', () => {
    const inline = (context: string) => withBuild({ context, dockerfile_inline: 'FROM scratch\n' });
    assert.deepEqual(buildRefusals(inline('git://127.0.0.1/r.git#main'), ['app'], 'buildkit'), []);
    assert.deepEqual(paths(buildRefusals(inline('https://example.invalid/app.tar.gz'), ['app'], 'buildkit')), ['services.app.build.dockerfile_inline']);
    assert.deepEqual(paths(buildRefusals(inline('git://127.0.0.1/r.git#main'), ['app'], 'classic')), ['services.app.build.dockerfile_inline']);
    assert.deepEqual(buildRefusals(inline('/w/app'), ['app'], 'classic'), []);
  });

  it('refuses a build secret whose environment variable is unset, or that has no source, naming the entry', () => {
    const p = project('p', { app: service({ image: 'p-app', build: { context: '/w/app', secrets: [{ source: 'tok' }, { source: 'env' }, { source: 'ext' }] } as BuildConfig }) }, {
      secrets: { tok: { name: 'p_tok', file: '/w/tok.txt' }, env: { name: 'p_env', environment: 'UNSET_TOKEN' }, ext: { name: 'ext', external: true } },
      environment: { TOKEN: 'from-env' },
    });
    const refusals = buildRefusals(p, ['app'], 'buildkit');
    assert.deepEqual(paths(refusals), ['services.app.build.secrets.1', 'services.app.build.secrets.2']);
    assert.match(refusals[0]?.message ?? '', /secret "env" reads environment variable UNSET_TOKEN, which is not set/);
    assert.match(refusals[1]?.message ?? '', /secret "ext" has no file, environment or content source.*external/);
    // An empty value is a value: the variable is set.
    const empty = project('p', { app: service({ image: 'p-app', build: { context: '/w/app', secrets: [{ source: 'env' }] } as BuildConfig }) }, {
      secrets: { env: { name: 'p_env', environment: 'EMPTY' } }, environment: { EMPTY: '' },
    });
    assert.deepEqual(buildRefusals(empty, ['app'], 'buildkit'), []);
  });

  it('the request carries secrets by id (file or environment), ssh entries, inline cache and remote contexts', () => {
    const p = withBuild({ secrets: [{ source: 'tok' }, { source: 'env', target: 'api_key' }], ssh: ['default', 'deploy=~/.ssh/a,/k/b'], cache_to: ['type=inline'], cache_from: ['type=registry,ref=r/y:cache'], platforms: ['linux/amd64'] });
    const request = buildRequestFor(p, 'app', 'p-app', undefined);
    assert.deepEqual(request.secrets, [{ id: 'tok', source: { file: '/w/tok.txt' } }, { id: 'api_key', source: { value: 'from-env' } }]);
    assert.deepEqual(request.ssh, [{ id: 'default', paths: [] }, { id: 'deploy', paths: ['/home/u/.ssh/a', '/k/b'] }]);
    assert.equal(request.args['BUILDKIT_INLINE_CACHE'], '1');
    assert.deepEqual(request.cacheFrom, ['r/y:cache']);
    assert.equal(request.platform, 'linux/amd64');
    assert.equal(request.remote, undefined);
    assert.equal(buildRequestFor(withBuild({ context: 'git://127.0.0.1/repo.git#main:sub' }), 'app', 'p-app', undefined).remote, 'git://127.0.0.1/repo.git#main:sub');
  });

  it('parses cache and ssh entries', () => {
    assert.deepEqual({ ...parseCacheEntry('r/x:1') }, { type: 'registry', ref: 'r/x:1' });
    assert.deepEqual({ ...parseCacheEntry('type=local,src=/c') }, { type: 'local', src: '/c' });
    assert.deepEqual(parseSshEntry('default', '/h'), { id: 'default', paths: [] });
    assert.deepEqual(parseSshEntry('k=~/a', '/h'), { id: 'k', paths: ['/h/a'] });
  });
});
