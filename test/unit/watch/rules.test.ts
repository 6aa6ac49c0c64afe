import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import type { WatchTrigger } from '../../../src/model/project.js';
import { planWatchActions, splitSync } from '../../../src/watch/actions.js';
import { defaultIgnores, dockerPatternMatcher } from '../../../src/watch/ignore-rules.js';
import { matchRule, serviceWatchRules, type WatchRule } from '../../../src/watch/rules.js';
import { service } from '../../helpers/project-fixture.js';

function rules(triggers: WatchTrigger[], extra: { build?: boolean; dockerignore?: string[]; name?: string } = {}): WatchRule[] {
  const definition = service({
    develop: { watch: triggers },
    ...(extra.build === true ? { build: { context: '/app' } } : {}),
  });
  const warnings: string[] = [];
  return serviceWatchRules({
    service: extra.name ?? 'web',
    definition,
    ...(extra.dockerignore === undefined ? {} : { dockerignore: extra.dockerignore }),
  }, (m) => warnings.push(m));
}

describe('watch rules: which changed paths a rule covers and where they go', () => {
  it('maps a path below the rule to the target, and the rule path itself to the target', () => {
    const [rule] = rules([{ path: '/app/src', action: 'sync', target: '/srv' }]) as [WatchRule];
    assert.deepEqual(matchRule(rule, '/app/src/a/b.js'), { hostPath: '/app/src/a/b.js', containerPath: '/srv/a/b.js' });
    assert.deepEqual(matchRule(rule, '/app/src'), { hostPath: '/app/src', containerPath: '/srv' });
    assert.equal(matchRule(rule, '/app/srcx/a.js'), undefined);
    assert.equal(matchRule(rule, '/app/other.js'), undefined);
  });

  it('honours ignore (relative to the rule path, parent folders included) and include', () => {
    const [rule] = rules([{ path: '/app', action: 'sync', target: '/srv', ignore: ['node_modules/', '*.log'], include: ['*.js', 'node_modules', 'x.log'] }]) as [WatchRule];
    assert.ok(matchRule(rule, '/app/a.js'));
    assert.equal(matchRule(rule, '/app/a.css'), undefined, 'not included');
    assert.equal(matchRule(rule, '/app/node_modules/x/y.js'), undefined, 'ignored folder');
    assert.equal(matchRule(rule, '/app/x.log'), undefined, 'ignore wins over include');
  });

  it('ignores editor scratch files and .git / .idea folders by default', () => {
    const ignored = defaultIgnores('/app');
    for (const p of ['/app/.git/HEAD', '/app/sub/.git/index', '/app/.idea/x.xml', '/app/.a.js.swp', '/app/a.js~', '/app/.#a.js', '/app/#a.js#', '/app/4913', '/app/a.go___jb_tmp___']) {
      assert.equal(ignored(p), true, p);
    }
    for (const p of ['/app/a.js', '/app/.gitignore', '/app/git/x', '/app/swp.js']) assert.equal(ignored(p), false, p);
    const [rule] = rules([{ path: '/app', action: 'sync', target: '/srv' }]) as [WatchRule];
    assert.equal(matchRule(rule, '/app/.git/HEAD'), undefined);
  });

  it('honours the build context\'s .dockerignore, with ! exceptions', () => {
    const [rule] = rules([{ path: '/app', action: 'sync', target: '/srv' }], { build: true, dockerignore: ['*.md', '!README.md', 'tmp'] }) as [WatchRule];
    assert.equal(matchRule(rule, '/app/NOTES.md'), undefined);
    assert.ok(matchRule(rule, '/app/README.md'));
    assert.equal(matchRule(rule, '/app/tmp/a'), undefined);
    assert.ok(matchRule(rule, '/app/src/NOTES.md'), '*.md is not recursive in Docker\'s rules');
  });

  it('a docker pattern matcher never matches outside its root', () => {
    const m = dockerPatternMatcher('/app', ['*']);
    assert.equal(m('/elsewhere/a'), false);
    assert.equal(m('/app/a'), true);
  });

  it('refuses what Compose refuses, naming the rule', () => {
    assert.throws(() => rules([{ path: '/app', action: 'rebuild' }]), (e: unknown) =>
      e instanceof ConfigError && /no build section/.test(e.message) && e.keyPath === 'services.web.develop.watch[0]');
    assert.throws(() => rules([{ path: '/app', action: 'sync' }]), /needs a target/);
    assert.throws(() => rules([{ path: '/app', action: 'sync', target: 'rel' }]), /absolute/);
    assert.throws(() => rules([{ path: '/app', action: 'sync+exec', target: '/srv' }]), /exec\.command/);
  });

  it('skips (with a warning) a sync rule whose path is bind-mounted into the service', () => {
    const warnings: string[] = [];
    const out = serviceWatchRules({
      service: 'web',
      definition: service({
        develop: { watch: [{ path: '/app/src', action: 'sync', target: '/srv' }, { path: '/app/src', action: 'restart' }] },
        volumes: [{ type: 'bind', source: '/app', target: '/app' }],
      }),
    }, (m) => warnings.push(m));
    assert.deepEqual(out.map((r) => r.action), ['restart']);
    assert.match(warnings[0] ?? '', /bind-mounted/);
  });

  it('splits a string exec command into words and reads initial_sync', () => {
    const [rule] = rules([{ path: '/app', action: 'sync+exec', target: '/srv', exec: { command: 'kill -HUP 1' }, initial_sync: true }]) as [WatchRule];
    assert.deepEqual(rule.exec?.command, ['kill', '-HUP', '1']);
    assert.equal(rule.initialSync, true);
  });
});

describe('planWatchActions: a batch of changes becomes each service\'s actions', () => {
  const all = [
    ...rules([
      { path: '/app/src', action: 'sync', target: '/srv' },
      { path: '/app/conf', action: 'sync+restart', target: '/etc/app' },
      { path: '/app/hooks', action: 'sync+exec', target: '/h', exec: { command: ['reload'] } },
      { path: '/app/package.json', action: 'rebuild' },
    ], { build: true }),
    ...rules([{ path: '/app/src', action: 'restart' }], { name: 'worker' }),
  ];

  it('groups syncs per service, one entry per container path, sorted', () => {
    const actions = planWatchActions(['/app/src/b.js', '/app/src/a.js', '/app/src/a.js', '/app/README'], all);
    assert.deepEqual(actions.map((a) => a.service), ['web', 'worker']);
    assert.deepEqual(actions[0]?.sync.map((m) => m.containerPath), ['/srv/a.js', '/srv/b.js']);
    assert.equal(actions[0]?.restart, false);
    assert.equal(actions[1]?.restart, true);
    assert.deepEqual(actions[1]?.sync, []);
  });

  it('a path no rule covers does nothing', () => {
    assert.deepEqual(planWatchActions(['/app/README', '/elsewhere/x'], all), []);
  });

  it('sync+restart restarts, sync+exec runs its command once however many files changed', () => {
    const [web] = planWatchActions(['/app/conf/a', '/app/hooks/x', '/app/hooks/y'], all);
    assert.equal(web?.restart, true);
    assert.deepEqual(web?.exec.map((h) => h.command), [['reload']]);
    assert.equal(web?.sync.length, 3);
  });

  it('a rebuild drops the restart (its containers are new) but keeps the sync', () => {
    const [web] = planWatchActions(['/app/package.json', '/app/conf/a'], all);
    assert.equal(web?.rebuild, true);
    assert.equal(web?.restart, false);
    assert.deepEqual(web?.sync.map((m) => m.containerPath), ['/etc/app/a']);
  });
});

describe('splitSync: copy what exists, delete what is gone', () => {
  it('lists a deleted folder once, not its children', () => {
    const gone = new Set(['/h/dir', '/h/dir/a', '/h/old.txt']);
    const plan = splitSync([
      { hostPath: '/h/dir/a', containerPath: '/c/dir/a' },
      { hostPath: '/h/dir', containerPath: '/c/dir' },
      { hostPath: '/h/new.txt', containerPath: '/c/new.txt' },
      { hostPath: '/h/old.txt', containerPath: '/c/old.txt' },
    ], (p) => !gone.has(p));
    assert.deepEqual(plan.remove, ['/c/dir', '/c/old.txt']);
    assert.deepEqual(plan.copy.map((m) => m.containerPath), ['/c/new.txt']);
  });
});
