import assert from 'node:assert/strict';
import { planUp, defaultUpPlanOptions, type UpPlanOptions } from '../../../src/reconcile/plan.js';
import { formatPlan } from '../../../src/reconcile/plan-text.js';
import { BUILD_INPUTS_LABEL, buildInputsLabel, buildRequestFor } from '../../../src/reconcile/build-request.js';
import { planBuild, planPull } from '../../../src/reconcile/plan-image-commands.js';
import { buildDefinitions } from '../../../src/reconcile/build-definitions.js';
import { project, service, snapshot } from '../../helpers/project-fixture.js';
import { ConfigError } from '../../../src/errors.js';
import type { BuildInputsDigest, ImageSummary } from '../../../src/engine/engine.js';
import type { Service } from '../../../src/model/project.js';

const up = (options: Partial<UpPlanOptions> = {}): UpPlanOptions => ({ ...defaultUpPlanOptions, ...options });
const digest: BuildInputsDigest = { context: 'c'.repeat(64), dockerfile: 'd'.repeat(64) };
const built = (svc: Service, labels: Record<string, string> = {}): ImageSummary =>
  ({ id: 'sha256:built', repoTags: ['p-app:latest'], labels: { [BUILD_INPUTS_LABEL]: buildInputsLabel(svc, digest), ...labels }, created: 0, size: 0 });
const buildService = (extra: Partial<Service> = {}): Service =>
  service({ image: undefined, build: { context: '/work/p/app', args: { A: '1', UNSET: null } }, ...extra });
const imageSteps = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('image:'));
const images = (plan: { nodes: readonly { id: string; cause: string }[] }) => plan.nodes.filter((n) => n.id.startsWith('image:'));

describe('image steps of planUp', () => {
  it('builds a missing image named <project>-<service>, before its container', () => {
    const p = project('p', { app: buildService() });
    const plan = formatPlan(planUp(p, snapshot(p, []), up({ buildInputs: new Map([['app', digest]]) })));
    assert.deepEqual(imageSteps(plan), ['image:p-app        build   not present locally']);
    assert.match(plan, /container:p-app-1  create  not found  after image:p-app#build/);
  });

  it('leaves a built image alone when its inputs are the same, and names what changed otherwise', () => {
    const svc = buildService();
    const p = project('p', { app: svc });
    const s = snapshot(p, [], { images: new Map([['p-app:latest', built(svc)]]) });
    assert.deepEqual(imageSteps(formatPlan(planUp(p, s, up({ buildInputs: new Map([['app', digest]]) })))), []);
    const changed = new Map([['app', { ...digest, context: 'e'.repeat(64) }]]);
    assert.equal(planUp(p, s, up({ buildInputs: changed })).nodes[0]?.cause, 'build context changed');
    const both = new Map([['app', { context: 'e'.repeat(64), dockerfile: 'f'.repeat(64) }]]);
    assert.equal(planUp(p, s, up({ buildInputs: both })).nodes[0]?.cause, 'build context changed, Dockerfile changed');
    const args = project('p', { app: { ...svc, build: { ...svc.build!, args: { A: '2' } } } });
    assert.equal(planUp(args, s, up({ buildInputs: new Map([['app', digest]]) })).nodes[0]?.cause, 'build options changed');
  });

  it('an image built by another tool (no inputs label) is not rebuilt unless asked', () => {
    const svc = buildService();
    const p = project('p', { app: svc });
    const s = snapshot(p, [], { images: new Map([['p-app:latest', { ...built(svc), labels: {} }]]) });
    assert.equal(images(planUp(p, s, up({ buildInputs: new Map([['app', digest]]) }))).length, 0);
    assert.equal(planUp(p, s, up({ build: 'always' })).nodes[0]?.cause, '--build');
  });

  it('--build skips a build that would give the same image: same inputs and base image IDs, nothing fetched, no --no-cache or --pull', () => {
    const pinned = { ...digest, images: ['base:1'], bases: 'b'.repeat(16) };
    const svc = buildService();
    const p = project('p', { app: svc });
    const withLabel = (d: BuildInputsDigest) =>
      snapshot(p, [], { images: new Map([['p-app:latest', { ...built(svc), labels: { [BUILD_INPUTS_LABEL]: buildInputsLabel(svc, d) } }]]) });
    const forced = (s: ReturnType<typeof withLabel>, d: BuildInputsDigest, extra: Partial<UpPlanOptions> = {}) =>
      images(planUp(p, s, up({ build: 'always', buildInputs: new Map([['app', d]]), ...extra }))).map((n) => n.cause);
    assert.deepEqual(forced(withLabel(pinned), pinned), [], 'provably the same image: no build');
    assert.deepEqual(forced(withLabel(pinned), { ...pinned, bases: 'c'.repeat(16) }), ['--build'], 'a base image changed');
    assert.deepEqual(forced(withLabel(digest), digest), ['--build'], 'base images unknown (a variable, a frontend, an ADD of a URL)');
    assert.deepEqual(forced(withLabel(pinned), { ...pinned, context: 'e'.repeat(64) }), ['--build']);
    assert.deepEqual(forced(withLabel(pinned), pinned, { buildOverrides: { noCache: true } }), ['--build']);
    const noCache = project('p', { app: { ...svc, build: { ...svc.build!, no_cache: true } } });
    assert.equal(images(planUp(noCache, withLabel(pinned), up({ build: 'always', buildInputs: new Map([['app', pinned]]) }))).length, 1);
    // Without --build, a base image counts only when both sides know it (before a first pull they do not).
    assert.deepEqual(images(planUp(p, withLabel(digest), up({ buildInputs: new Map([['app', pinned]]) }))), []);
    assert.equal(images(planUp(p, withLabel(pinned), up({ buildInputs: new Map([['app', { ...pinned, bases: 'c'.repeat(16) }]]) })))[0]?.cause, 'base image changed');
  });

  it('--no-build never builds: a missing build-only image is an error that says what to do', () => {
    const p = project('p', { app: buildService() });
    assert.throws(() => planUp(p, snapshot(p, []), up({ build: 'never' })), (e: unknown) =>
      e instanceof ConfigError && /--no-build forbids building it/.test(e.message) && /tscompose build app/.test(e.hint ?? ''));
  });

  it('pull policies: always, never, missing, daily, and --pull overriding them', () => {
    const p = (policy?: string) => project('p', { a: service({ image: 'x/y:1', ...(policy === undefined ? {} : { pull_policy: policy }) }) });
    const present = (q: ReturnType<typeof p>) => snapshot(q, [], {
      images: new Map([['x/y:1', { id: 'sha256:y', repoTags: ['x/y:1'], labels: {}, created: 0, size: 0 }]]),
    });
    assert.equal(planUp(p('always'), present(p('always')), up()).nodes[0]?.cause, 'pull_policy: always');
    assert.equal(images(planUp(p(), present(p()), up())).length, 0);
    assert.equal(planUp(p(), snapshot(p(), []), up()).nodes[0]?.cause, 'not present locally');
    assert.throws(() => planUp(p('never'), snapshot(p('never'), []), up()), /pull_policy: never forbids pulling it/);
    const now = Date.parse('2025-01-10T00:00:00Z');
    const tagged = (iso: string) => new Map([['x/y:1', Date.parse(iso)]]);
    assert.equal(planUp(p('daily'), present(p('daily')), up({ now, imageTagTimes: tagged('2025-01-08T00:00:00Z') })).nodes[0]?.cause,
      'older than 1d (pull_policy: daily)');
    assert.equal(images(planUp(p('daily'), present(p('daily')), up({ now, imageTagTimes: tagged('2025-01-09T12:00:00Z') }))).length, 0);
    assert.equal(planUp(p('every_2h'), present(p('every_2h')), up({ now, imageTagTimes: tagged('2025-01-09T21:00:00Z') })).nodes[0]?.cause,
      'older than 2h (pull_policy: every_2h)');
    assert.equal(planUp(p('never'), present(p('never')), up({ pull: 'always' })).nodes[0]?.cause, '--pull always');
  });

  it('pull_policy build without a build section is a config error', () => {
    const p = project('p', { a: service({ image: 'x/y:1', pull_policy: 'build' }) });
    assert.throws(() => planUp(p, snapshot(p, []), up()), /pull_policy build but no build section/);
  });
});

describe('build requests and the image commands', () => {
  it('tags, Compose\'s labels and ours; args without a value are not sent; --build-arg wins', () => {
    const p = project('p', { app: buildService({ image: 'reg:5000/app:1', build: { context: '/w/app', args: { A: '1', B: null }, tags: ['reg:5000/app:latest'], labels: { team: 'x' }, extra_hosts: { db: ['10.0.0.2'] } } }) });
    const request = buildRequestFor(p, 'app', 'reg:5000/app:1', digest, { args: { A: 'override' }, noCache: true });
    assert.deepEqual(request.tags, ['reg:5000/app:1', 'reg:5000/app:latest']);
    assert.deepEqual(request.args, { A: 'override' });
    assert.deepEqual(request.extraHosts, ['db:10.0.0.2']);
    assert.equal(request.noCache, true);
    assert.equal(request.labels['team'], 'x');
    assert.equal(request.labels['com.docker.compose.project'], 'p');
    assert.equal(request.labels['com.docker.compose.service'], 'app');
    assert.equal(request.builder, 'buildkit');
    assert.equal(request.labels['com.docker.compose.image.builder'], undefined, 'Compose marks classic builds only');
    const classic = buildRequestFor({ ...p, environment: { DOCKER_BUILDKIT: '0' } }, 'app', 'reg:5000/app:1', digest);
    assert.equal(classic.builder, 'classic');
    assert.equal(classic.labels['com.docker.compose.image.builder'], 'classic');
    assert.match(request.labels[BUILD_INPUTS_LABEL] ?? '', /^context=c{16},dockerfile=d{16},options=[0-9a-f]{16},bases=-$/);
  });

  it('build --push pushes after each build; services without build are skipped', () => {
    const p = project('p', { app: buildService({ image: 'reg:5000/app:1' }), db: service() });
    assert.equal(formatPlan(planBuild(p, [], { overrides: {}, push: true, buildInputs: new Map() })), [
      'image:reg:5000/app:1  build   service app',
      'image:reg:5000/app:1  push    --push  after image:reg:5000/app:1#build',
    ].join('\n'));
  });

  it('pull: once per image, --policy missing skips present ones, --ignore-buildable skips built ones', () => {
    const p = project('p', { a: service({ image: 'x/y:1' }), b: service({ image: 'x/y:1' }), c: buildService({ image: 'reg/c:1' }), d: service() });
    const s = snapshot(p, []);
    assert.equal(formatPlan(planPull(p, [], s, { includeDeps: false, ignoreBuildable: false, policy: 'always' })), [
      'image:x/y:1                pull    not present locally',
      'image:reg/c:1              pull    not present locally',
      'image:tscompose/busybox:1  pull    refresh',
    ].join('\n'));
    assert.deepEqual(planPull(p, [], s, { includeDeps: false, ignoreBuildable: true, policy: 'missing' }).nodes.map((n) => n.id), ['image:x/y:1#pull']);
  });
});

describe('additional_contexts in the image plan', () => {
  const base = (): Service => service({ image: undefined, build: { context: '/work/p/base' } });
  const app = (contexts: Record<string, string>): Service => service({ image: undefined, build: { context: '/work/p/app', additional_contexts: contexts } });
  const baseImage = (svc: Service): ImageSummary =>
    ({ id: 'sha256:base', repoTags: ['p-base:latest'], labels: { [BUILD_INPUTS_LABEL]: buildInputsLabel(svc, digest) }, created: 0, size: 0 });

  it('a service: context is built first, even when only the reading service is named, and the build waits on it', () => {
    const p = project('p', { app: app({ b: 'service:base' }), base: base() });
    const plan = planUp(p, snapshot(p, []), up({ services: ['app'], buildInputs: new Map([['app', digest], ['base', digest]]) }));
    const steps = images(plan);
    assert.deepEqual(steps.map((n) => [n.id, n.cause]), [['image:p-base#build', 'not present locally'], ['image:p-app#build', 'not present locally']]);
    assert.deepEqual(plan.nodes.find((n) => n.id === 'image:p-app#build')?.dependsOn, ['image:p-base#build']);
  });

  it('a rebuilt service: context rebuilds the image that reads it, whose label then leaves the base IDs unknown', () => {
    const b = base();
    const a = app({ b: 'service:base' });
    const p = project('p', { app: a, base: b });
    const appImage: ImageSummary = { id: 'sha256:app', repoTags: ['p-app:latest'], labels: { [BUILD_INPUTS_LABEL]: buildInputsLabel(a, { ...digest, bases: 'x' }) }, created: 0, size: 0 };
    const s = snapshot(p, [], { images: new Map([['p-app:latest', appImage], ['p-base:latest', baseImage(b)]]) });
    const same = new Map([['app', { ...digest, bases: 'x' }], ['base', digest]]);
    assert.deepEqual(images(planUp(p, s, up({ buildInputs: same }))), []);
    const changed = new Map([['app', { ...digest, bases: 'x' }], ['base', { ...digest, context: 'e'.repeat(64) }]]);
    const plan = planUp(p, s, up({ buildInputs: changed }));
    assert.deepEqual(images(plan).map((n) => [n.id, n.cause]), [
      ['image:p-base#build', 'build context changed'],
      ['image:p-app#build', 'additional context "b" (service base) is rebuilt'],
    ]);
    const op = plan.nodes.find((n) => n.id === 'image:p-app#build')?.operation;
    assert.ok(op?.type === 'build-image');
    assert.match(op.request.labels[BUILD_INPUTS_LABEL] ?? '', /,bases=-$/);
    assert.deepEqual(op.request.namedContexts, [{ name: 'b', image: 'p-base' }]);
  });

  it('the request names each context\'s image: a folder gets a stand-in made from it, an image is used as is', () => {
    const p = project('p', { app: app({ assets: '/work/p/assets', tools: 'docker-image://busybox:1', repo: 'git://127.0.0.1/r.git#main' }) });
    const request = buildRequestFor(p, 'app', 'p-app', digest);
    assert.deepEqual(request.namedContexts?.map((c) => [c.name, c.image.replace(/:[0-9a-f]{12}$/, ':<hash>'), c.from]), [
      ['assets', 'tscompose-context/p-app-assets:<hash>', { folder: '/work/p/assets' }],
      ['repo', 'tscompose-context/p-app-repo:<hash>', { git: 'git://127.0.0.1/r.git#main' }],
      ['tools', 'busybox:1', undefined],
    ]);
    // Changing what a name points at changes the build's options.
    const other = project('p', { app: app({ assets: '/work/p/other', tools: 'docker-image://busybox:1', repo: 'git://127.0.0.1/r.git#main' }) });
    assert.notEqual(buildInputsLabel(p.services['app']!, digest), buildInputsLabel(other.services['app']!, digest));
    // Without additional_contexts the label is what it was before they were supported.
    assert.equal(buildInputsLabel(buildService(), digest), buildInputsLabel({ ...buildService(), build: { ...buildService().build!, additional_contexts: undefined } }, digest));
  });

  it('a build waits on the pull of a service: context\'s image too', () => {
    const p = project('p', { app: app({ b: 'service:base' }), base: service({ image: 'r/base:1', pull_policy: 'always', build: { context: '/work/p/base' } }) });
    const plan = planUp(p, snapshot(p, []), up({ services: ['app'], buildInputs: new Map([['app', digest], ['base', digest]]) }));
    assert.deepEqual(images(plan).map((n) => n.id), ['image:r/base:1#pull', 'image:p-app#build']);
    assert.deepEqual(plan.nodes.find((n) => n.id === 'image:p-app#build')?.dependsOn, ['image:r/base:1#pull']);
  });

  it('a chain of 12,000 builds through service: contexts is planned in order, without recursion', () => {
    const services: Record<string, Service> = {};
    for (let i = 0; i < 12_000; i++) services[`s${i}`] = app(i === 0 ? {} : { prev: `service:s${i - 1}` });
    const p = project('p', services);
    const built = planBuild(p, ['s11999'], { overrides: {}, push: false, buildInputs: new Map() });
    assert.equal(built.nodes.length, 12_000);
    assert.equal(built.nodes[0]?.id, 'image:p-s0#build');
    assert.deepEqual(built.nodes[11_999]?.dependsOn, ['image:p-s11998#build']);
    const up = planUp(p, snapshot(p, []), { ...defaultUpPlanOptions, services: ['s11999'] });
    assert.equal(images(up).length, 12_000);
    assert.equal(images(up)[0]?.id, 'image:p-s0#build');
  });

  it('build SERVICE builds the services it reads first', () => {
    const p = project('p', { app: app({ b: 'service:base' }), base: base(), other: base() });
    const plan = planBuild(p, ['app'], { overrides: {}, push: false, buildInputs: new Map() });
    assert.deepEqual(plan.nodes.map((n) => [n.id, n.dependsOn]), [['image:p-base#build', []], ['image:p-app#build', ['image:p-base#build']]]);
  });
});

describe('build --print', () => {
  it('prints each target as a bake file does; a service: context is another target', () => {
    const p = project('p', {
      app: service({ image: undefined, build: { context: '/work/p/app', args: { A: '1' }, additional_contexts: { b: 'service:base', assets: '/work/p/assets' } } }),
      base: service({ image: undefined, build: { context: '/work/p/base' } }),
    });
    const printed = buildDefinitions(p, ['app', 'base'], {}) as { group: { default: { targets: string[] } }; target: Record<string, Record<string, unknown>> };
    assert.deepEqual(printed.group.default.targets, ['app', 'base']);
    assert.deepEqual(printed.target['app']?.['contexts'], { b: 'target:base', assets: '/work/p/assets' });
    assert.deepEqual(printed.target['app']?.['args'], { A: '1' });
    assert.deepEqual(printed.target['app']?.['tags'], ['p-app']);
  });
});
