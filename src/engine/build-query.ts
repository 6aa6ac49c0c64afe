import type { Readable } from 'node:stream';
import { BuildError, EngineError } from '../errors.js';
import type { BuildRequest } from './engine.js';
import type { EngineHttpClient } from './http-client.js';
import { underOwn, type ProxyVariables } from '../model/proxy-variables.js';

/**
 * The `POST /build` query both builders send; BuildKit adds its `version` and `session` to it.
 * The Docker config's proxy variables are build args unless the build sets them itself (in either spelling).
 */
export function buildQuery(request: BuildRequest, dockerfile: string, proxies: ProxyVariables = {}): Record<string, string | boolean | readonly string[] | number | undefined> {
  return {
    t: request.tags,
    dockerfile,
    buildargs: JSON.stringify(underOwn(proxies, request.args, { eitherSpelling: true })),
    labels: JSON.stringify(request.labels),
    target: request.target,
    networkmode: request.network,
    extrahosts: request.extraHosts,
    shmsize: request.shmSize,
    nocache: request.noCache,
    pull: request.pull ? '1' : undefined,
    cachefrom: request.cacheFrom.length === 0 ? undefined : JSON.stringify(request.cacheFrom),
    remote: request.remote,
    platform: request.platform,
    isolation: request.isolation,
    ulimits: request.ulimits === undefined || request.ulimits.length === 0
      ? undefined
      : JSON.stringify(request.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }))),
    rm: true,
    forcerm: true,
  };
}

/**
 * `POST /build` as both builders send it: the context tar (none for a remote context) and the
 * registry credentials; a request the engine refuses is the build's error, naming the image.
 */
export async function postBuild(
  http: EngineHttpClient,
  image: string,
  query: Record<string, string | boolean | readonly string[] | number | undefined>,
  upload: Readable | undefined,
  registryConfig: string | undefined,
): Promise<Readable> {
  try {
    return await http.stream('POST', '/build', {
      query,
      ...(upload === undefined ? {} : { upload }),
      headers: {
        'Content-Type': 'application/x-tar',
        ...(registryConfig === undefined ? {} : { 'X-Registry-Config': registryConfig }),
      },
    });
  } catch (error) {
    if (error instanceof EngineError && error.statusCode !== undefined) throw new BuildError(image, error.message);
    throw error;
  }
}
