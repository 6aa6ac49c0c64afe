import assert from 'node:assert/strict';
import { buildQuery } from '../../../src/engine/build-query.js';
import type { BuildRequest } from '../../../src/engine/engine.js';
import { proxyVariables } from '../../../src/engine/proxy-config.js';
import { EngineError } from '../../../src/errors.js';
import { underOwn } from '../../../src/model/proxy-variables.js';
import { buildContainerSpec } from '../../../src/reconcile/container-spec.js';
import { project, service } from '../../helpers/project-fixture.js';

const CONFIG = '/home/u/.docker/config.json';
const LOCAL = 'unix:///var/run/docker.sock';

describe('proxies from the Docker config (the CLI\'s ParseProxyConfig)', () => {
  const proxies = {
    default: { httpProxy: 'http://proxy:3128', httpsProxy: 'http://proxy:3129', noProxy: 'localhost,.internal', ftpProxy: 'ftp://p:21', allProxy: 'socks5://p:1080' },
    'tcp://10.0.0.9:2376': { httpProxy: 'http://remote-proxy:3128' },
  };

  it('gives every set key in upper and lower case, from default', () => {
    assert.deepEqual(proxyVariables(proxies, LOCAL, CONFIG), {
      HTTP_PROXY: 'http://proxy:3128', http_proxy: 'http://proxy:3128',
      HTTPS_PROXY: 'http://proxy:3129', https_proxy: 'http://proxy:3129',
      NO_PROXY: 'localhost,.internal', no_proxy: 'localhost,.internal',
      FTP_PROXY: 'ftp://p:21', ftp_proxy: 'ftp://p:21',
      ALL_PROXY: 'socks5://p:1080', all_proxy: 'socks5://p:1080',
    });
  });

  it('takes the entry of the engine\'s address instead of default, not merged with it', () => {
    assert.deepEqual(proxyVariables(proxies, 'tcp://10.0.0.9:2376', CONFIG), { HTTP_PROXY: 'http://remote-proxy:3128', http_proxy: 'http://remote-proxy:3128' });
  });

  it('gives nothing without proxies, without a matching entry, or for empty values', () => {
    assert.deepEqual(proxyVariables(undefined, LOCAL, CONFIG), {});
    assert.deepEqual(proxyVariables({ 'tcp://other:2376': { httpProxy: 'http://x' } }, LOCAL, CONFIG), {});
    assert.deepEqual(proxyVariables({ default: { httpProxy: '', noProxy: 'a' } }, LOCAL, CONFIG), { NO_PROXY: 'a', no_proxy: 'a' });
  });

  it('does not take an inherited key for the engine\'s address', () => {
    assert.deepEqual(proxyVariables({ default: { httpProxy: 'http://d' } }, 'toString', CONFIG), { HTTP_PROXY: 'http://d', http_proxy: 'http://d' });
  });

  it('refuses a proxies of the wrong shape, naming the file and the key', () => {
    assert.throws(() => proxyVariables(['x'], LOCAL, CONFIG), (e: unknown) => e instanceof EngineError && e.message === `${CONFIG}: proxies must be an object keyed by engine address or "default"`);
    assert.throws(() => proxyVariables({ default: 'http://p' }, LOCAL, CONFIG), /proxies\["default"\] must be an object/);
    assert.throws(() => proxyVariables({ default: { httpProxy: 3128 } }, LOCAL, CONFIG), /proxies\["default"\]\.httpProxy must be a string/);
  });

  it('leaves a key the user sets (even to nothing) to the user, each spelling on its own', () => {
    const merged = underOwn({ HTTP_PROXY: 'http://p', http_proxy: 'http://p', NO_PROXY: 'x', no_proxy: 'x' }, { HTTP_PROXY: 'http://mine', NO_PROXY: null, A: '1' });
    assert.deepEqual({ ...merged }, { HTTP_PROXY: 'http://mine', http_proxy: 'http://p', NO_PROXY: null, no_proxy: 'x', A: '1' });
  });

  it('puts them in a created container\'s environment under the service\'s own, outside the config hash', () => {
    const p = project('app', { web: service({ environment: { http_proxy: 'http://mine', A: '1' } }) });
    const input = { project: p, service: 'web', number: 1, name: 'app-web-1', imageId: undefined, serviceContainer: (x: string) => `app-${x}-1` };
    const plain = buildContainerSpec(input);
    const proxied = buildContainerSpec({ ...input, proxyEnvironment: { HTTP_PROXY: 'http://p', http_proxy: 'http://p' } });
    assert.deepEqual(proxied.body['Env'], ['A=1', 'HTTP_PROXY=http://p', 'http_proxy=http://mine']);
    assert.deepEqual(plain.body['Env'], ['A=1', 'http_proxy=http://mine']);
    assert.equal(proxied.body.Labels['com.docker.compose.config-hash'], plain.body.Labels['com.docker.compose.config-hash']);
  });

  it('makes them build args under the build\'s own, in either spelling (BuildKit reads both as one)', () => {
    const request = { args: { HTTPS_PROXY: 'http://mine', V: '1' }, tags: [], labels: {}, cacheFrom: [] } as unknown as BuildRequest;
    const query = buildQuery(request, 'Dockerfile', { HTTPS_PROXY: 'http://p', https_proxy: 'http://p', NO_PROXY: 'n', no_proxy: 'n' });
    assert.deepEqual(JSON.parse(query['buildargs'] as string), { HTTPS_PROXY: 'http://mine', NO_PROXY: 'n', no_proxy: 'n', V: '1' });
    assert.deepEqual(JSON.parse(buildQuery(request, 'Dockerfile')['buildargs'] as string), { HTTPS_PROXY: 'http://mine', V: '1' });
  });
});
