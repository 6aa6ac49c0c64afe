import { createInterface } from 'node:readline';
import { EngineError } from '../errors.js';
import type { BuildInputsDigest, BuildRequest, BuildStepUpdate, EngineImages, ImageDetails, ImageSummary } from './engine.js';
import { buildQuery, postBuild } from './build-query.js';
import { isStatus, type EngineHttpClient } from './http-client.js';
import { labelsOf, num, seg, str, type Json } from './json-fields.js';
import { registryOf, type DockerConfig } from './registry-auth.js';
import { registryFailure } from './registry-errors.js';
import type { ProxyVariables } from './proxy-config.js';

/** /images/* and /build: local images, registry pulls and pushes, builds (BuildKit in buildkit-build.ts). */
export class DockerImages implements EngineImages {
  constructor(
    private readonly http: EngineHttpClient,
    private readonly dockerConfig: DockerConfig,
    private readonly proxies: () => Promise<ProxyVariables> = async () => ({}),
    /** Where context digests are kept between runs (engine/digest-cache.ts); none: every digest reads all. */
    private readonly digestCacheDir?: string,
  ) {}

  async list(options: { labels?: readonly string[]; reference?: string }): Promise<ImageSummary[]> {
    const filters: Record<string, readonly string[]> = {};
    if (options.labels !== undefined) filters['label'] = options.labels;
    if (options.reference !== undefined) filters['reference'] = [options.reference];
    const list = await this.http.json<Json[]>('GET', '/images/json', { query: { filters: JSON.stringify(filters) } });
    return list.map((i) => ({
      id: str(i['Id']),
      repoTags: (i['RepoTags'] as string[] | null) ?? [],
      labels: labelsOf(i['Labels']),
      created: num(i['Created']),
      size: num(i['Size']),
    }));
  }

  async inspect(name: string): Promise<ImageDetails | undefined> {
    try {
      const image = await this.http.json<Json>('GET', `/images/${seg(name)}/json`);
      return {
        id: str(image['Id']),
        labels: labelsOf((image['Config'] as Json | undefined)?.['Labels']),
        lastTagTime: str((image['Metadata'] as Json | undefined)?.['LastTagTime']),
        size: num(image['Size']),
        repoDigests: (image['RepoDigests'] as string[] | null | undefined) ?? [],
        os: str(image['Os']),
        architecture: str(image['Architecture']),
        variant: str(image['Variant']),
      };
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async remove(name: string, force = false): Promise<void> {
    await this.http.json('DELETE', `/images/${seg(name)}`, { query: { force } });
  }

  async pull(reference: string, onProgress?: (status: string) => void, platform?: string): Promise<void> {
    const { name, tag } = splitReference(reference);
    await this.registryStream('pull', reference, 'POST', '/images/create', { fromImage: name, tag, platform }, onProgress);
  }

  async push(reference: string, onProgress?: (status: string) => void): Promise<void> {
    const { name, tag } = splitReference(reference);
    await this.registryStream('push', reference, 'POST', `/images/${seg(name)}/push`, { tag }, onProgress);
  }

  /** A pull or push: credentials in, JSON status lines out, registry failures made readable. */
  private async registryStream(
    action: 'pull' | 'push',
    reference: string,
    method: string,
    path: string,
    query: Record<string, string | undefined>,
    onProgress?: (status: string) => void,
  ): Promise<void> {
    const registry = registryOf(reference);
    const fail = async (message: string) => registryFailure(action, reference, registry, message, {
      configPath: this.dockerConfig.path,
      hasCredentials: (await this.dockerConfig.credentials(registry)) !== undefined,
    });
    let response;
    try {
      response = await this.http.stream(method, path, {
        query,
        headers: { 'X-Registry-Auth': await this.dockerConfig.authHeader(registry) },
      });
    } catch (error) {
      if (error instanceof EngineError && error.statusCode !== undefined) throw await fail(error.message);
      throw error;
    }
    const lines = createInterface({ input: response, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const message = JSON.parse(line) as Json;
      if (typeof message['error'] === 'string') {
        response.destroy();
        throw await fail(message['error']);
      }
      const status = [message['id'], message['status'], message['progress']].filter((p) => typeof p === 'string').join(' ');
      if (status !== '') onProgress?.(status);
    }
  }

  async build(request: BuildRequest, onOutput?: (line: string) => void, onStep?: (step: BuildStepUpdate) => void): Promise<string> {
    if (request.builder !== 'classic') {
      const { buildWithBuildKit } = await import('./buildkit-build.js');
      const proxies = await this.proxies();
      if (!(request.namedContexts ?? []).some((c) => c.from !== undefined)) {
        return buildWithBuildKit(this.http, this.dockerConfig, proxies, request, onOutput, onStep);
      }
      const { buildWithContextImages } = await import('./context-images.js');
      return buildWithContextImages(
        request,
        (one, output, step) => buildWithBuildKit(this.http, this.dockerConfig, proxies, one, output, step),
        (image) => this.remove(image),
        onOutput,
        onStep,
      );
    }
    const { listContext, packContext, resolveDockerfile } = await import('./build-context.js');
    const { readBuildOutput } = await import('./build-output.js');
    // A remote context is fetched by the engine, with the Dockerfile in it.
    const dockerfile = request.remote === undefined ? await resolveDockerfile(request) : undefined;
    const upload = dockerfile === undefined
      ? undefined
      : await packContext(await listContext(request.context, dockerfile), dockerfile, { context: request.context, hideAddedDockerfile: true });
    const registryConfig = await this.dockerConfig.buildHeader();
    const proxies = await this.proxies();
    const image = request.tags[0] ?? request.context;
    const response = await postBuild(this.http, image, buildQuery(request, dockerfile?.name ?? request.dockerfile ?? 'Dockerfile', proxies), upload, registryConfig);
    return readBuildOutput(response, image, onOutput);
  }

  async digestBuildInputs(request: Pick<BuildRequest, 'context' | 'dockerfile' | 'dockerfileInline'>): Promise<BuildInputsDigest> {
    const { digestBuildInputs } = await import('./build-context.js');
    return digestBuildInputs(request, this.digestCacheDir);
  }
}

/** `registry:5000/a/b:tag` → name and tag; a digest stays in the name. */
function splitReference(reference: string): { name: string; tag: string | undefined } {
  if (reference.includes('@')) return { name: reference, tag: undefined };
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.indexOf(':', lastSlash + 1);
  return colon === -1 ? { name: reference, tag: 'latest' } : { name: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}
