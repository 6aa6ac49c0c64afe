import assert from 'node:assert/strict';
import { parseWaitForFlag, readinessFromProject } from '../../../src/config/readiness.js';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { serviceConfigHash } from '../../../src/model/config-hash.js';
import { describeCheck } from '../../../src/model/readiness.js';
import { project, service } from '../../helpers/project-fixture.js';

describe('readiness checks', () => {
  it('reads x-tscompose.ready and ready_timeout from each service', () => {
    const p = project('p', {
      api: service({ 'x-tscompose': { ready: [{ port: 8080 }, { http: { port: '8080', path: '/health', status: 204 } }, { log: 'listening on' }], ready_timeout: '30s' } }),
      db: service({ 'x-tscompose': { ready: [{ log: { pattern: 'ready', times: 2 } }] } }),
      other: service(),
    });
    assert.deepEqual(readinessFromProject(p), [
      {
        service: 'api',
        checks: [
          { kind: 'port', port: 8080 },
          { kind: 'http', port: 8080, path: '/health', status: 204 },
          { kind: 'log', pattern: 'listening on', times: 1 },
        ],
        timeoutMs: 30_000,
      },
      { service: 'db', checks: [{ kind: 'log', pattern: 'ready', times: 2 }] },
    ]);
  });

  const invalid: [unknown, RegExp][] = [
    [{ ready: [{ port: 0 }] }, /expected a container port \(1-65535\), got 0/],
    [{ ready: [{ port: 80, log: 'x' }] }, /exactly one of port, http or log/],
    [{ ready: [{ http: { port: 80, path: 'health' } }] }, /http.path must start with \//],
    [{ ready: [{ http: { port: 80, status: 42 } }] }, /http.status must be an HTTP status code/],
    [{ ready: [{ log: { pattern: '(' } }] }, /not a valid regular expression/],
    [{ ready: [{ log: { pattern: 'x', times: 0 } }] }, /log.times must be a whole number/],
    [{ ready: { port: 80 } }, /ready must be a sequence/],
    [{ ready: [{ port: 80 }], ready_timeout: 'soon' }, /ready_timeout is not a duration/],
    [{ ready: ['port 80'] }, /expected a mapping with one of port, http or log/],
  ];
  for (const [extension, message] of invalid) {
    it(`rejects ${JSON.stringify(extension)} with a clear message and the key path`, () => {
      const p = project('p', { api: service({ 'x-tscompose': extension }) });
      assert.throws(() => readinessFromProject(p), (e: unknown) =>
        e instanceof ConfigError && message.test(e.message) && e.keyPath === 'services.api.x-tscompose');
    });
  }

  const flags: [string, unknown][] = [
    ['api=port:8080', { service: 'api', check: { kind: 'port', port: 8080 } }],
    ['api=http:8080', { service: 'api', check: { kind: 'http', port: 8080, path: '/' } }],
    ['api=http:8080/health=204', { service: 'api', check: { kind: 'http', port: 8080, path: '/health', status: 204 } }],
    ['db=log:ready to accept=connections', { service: 'db', check: { kind: 'log', pattern: 'ready to accept=connections', times: 1 } }],
  ];
  for (const [text, expected] of flags) {
    it(`parses --wait-for ${text}`, () => assert.deepEqual(parseWaitForFlag(text), expected));
  }

  it('rejects a malformed --wait-for as a usage error with the accepted forms', () => {
    assert.throws(() => parseWaitForFlag('api:8080'), (e: unknown) => e instanceof UsageError && /SERVICE=port:PORT/.test(e.hint ?? ''));
    assert.throws(() => parseWaitForFlag('api=http:x/y'), /expected PORT\/PATH/);
  });

  it('describes checks for progress rows', () => {
    assert.equal(describeCheck({ kind: 'http', port: 80, path: '/h' }), 'GET :80/h answering 2xx');
    assert.equal(describeCheck({ kind: 'log', pattern: 'up', times: 3 }), 'log matching /up/ 3 times');
  });

  it('changing readiness checks does not change the config hash (no recreate)', () => {
    assert.equal(
      serviceConfigHash(service({ 'x-tscompose': { ready: [{ port: 1 }] } })),
      serviceConfigHash(service({ 'x-tscompose': { ready: [{ port: 2 }] } })),
    );
  });
});
