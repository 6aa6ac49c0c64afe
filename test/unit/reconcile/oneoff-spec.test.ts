import assert from 'node:assert/strict';
import { oneoffContainerSpec } from '../../../src/reconcile/oneoff-spec.js';
import { oneoffService } from '../../../src/reconcile/oneoff-run.js';
import { project, service } from '../../helpers/project-fixture.js';

describe('oneoffContainerSpec', () => {
  const p = project('app', { web: service({ networks: { default: null, back: { aliases: ['api'] } } }) }, {
    networks: { default: { name: 'app_default' }, back: { name: 'app_back' } },
  });
  const slug = 'abcdef0123456789'.repeat(4);

  it('is named <project>-<service>-run-<12 hex> with the oneoff and slug labels and no number', () => {
    const spec = oneoffContainerSpec(p, 'web', p.services['web']!, { slug, useAliases: false });
    assert.equal(spec.name, 'app-web-run-abcdef012345');
    assert.equal(spec.body.Labels['com.docker.compose.oneoff'], 'True');
    assert.equal(spec.body.Labels['com.docker.compose.slug'], slug);
    assert.equal(spec.body.Labels['com.docker.compose.container-number'], undefined);
    assert.equal(spec.body.Labels['com.docker.compose.service'], 'web');
  });

  it('gets no network aliases unless asked (--use-aliases)', () => {
    const aliases = (useAliases: boolean) => {
      const spec = oneoffContainerSpec(p, 'web', p.services['web']!, { slug, useAliases });
      const endpoints = (spec.body['NetworkingConfig'] as { EndpointsConfig: Record<string, { Aliases: string[] }> }).EndpointsConfig;
      return [...Object.values(endpoints).map((e) => e.Aliases), ...spec.extraNetworks.map((e) => e.config['Aliases'])];
    };
    assert.deepEqual(aliases(false), [[], []]);
    assert.deepEqual(aliases(true), [['web', 'api'], ['web']]);
  });

  it('takes a given name (--name)', () => {
    assert.equal(oneoffContainerSpec(p, 'web', p.services['web']!, { slug, useAliases: false, name: 'mine' }).name, 'mine');
  });
});

describe('oneoffService', () => {
  const base = service({
    command: ['serve'], environment: { A: '1' }, labels: { l: 'x' }, restart: 'always',
    ports: [{ target: 80, protocol: 'tcp', mode: 'ingress' }],
  });

  it('drops the restart policy and the ports, keeps the rest unless overridden', () => {
    const s = oneoffService(base, {}, { tty: false, stdin: false });
    assert.equal(s.restart, undefined);
    assert.deepEqual(s.ports, []);
    assert.deepEqual(s.command, ['serve']);
    assert.deepEqual(s.environment, { A: '1' });
  });

  it('an entrypoint drops the command unless one is given', () => {
    assert.equal(oneoffService(base, { entrypoint: ['sh'] }, { tty: false, stdin: false }).command, null);
    assert.deepEqual(oneoffService(base, { entrypoint: ['sh'], command: ['-c', 'x'] }, { tty: false, stdin: false }).command, ['-c', 'x']);
  });

  it('adds environment and labels, publishes the service ports only when asked, and takes the stdio choice', () => {
    const s = oneoffService(base, { env: { B: '2' }, labels: { m: 'y' }, ports: 'service' }, { tty: true, stdin: true });
    assert.deepEqual(s.environment, { A: '1', B: '2' });
    assert.deepEqual(s.labels, { l: 'x', m: 'y' });
    assert.deepEqual(s.ports, base.ports);
    assert.equal(s.tty, true);
    assert.equal(s.stdin_open, true);
  });
});
