import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { BuildError, EngineError } from '../errors.js';
import { openBuildSession, sessionModules } from './build-session.js';
import { buildQuery } from './build-query.js';
import { BuildSteps, type StatusMessage } from './buildkit-status.js';
import { cloneGitContext, parseGitContext } from './git-context.js';
import type { BuildRequest, BuildStepUpdate } from './engine.js';
import type { EngineHttpClient } from './http-client.js';
import type { DockerConfig } from './registry-auth.js';

type Decode = (base64: string) => StatusMessage;

let decoder: Promise<Decode> | undefined;

/** BuildKit's status messages, decoded with the .proto dockerode ships for the purpose. */
function statusDecoder(): Promise<Decode> {
  decoder ??= (async () => {
    const { protobuf, protoDir } = await sessionModules();
    const type = protobuf.loadSync(join(protoDir, 'buildkit_status.proto')).lookupType('moby.buildkit.v1.StatusResponse');
    return (base64) => type.toObject(type.decode(Buffer.from(base64, 'base64')), { longs: Number }) as StatusMessage;
  })();
  return decoder;
}

/**
 * A build through the engine's BuildKit: a session for credentials, secrets and ssh, then
 * `POST /build?version=2&session=…` with the context tar (or `remote` for git and tarball URLs).
 */
export async function buildWithBuildKit(
  http: EngineHttpClient,
  dockerConfig: DockerConfig,
  request: BuildRequest,
  onOutput?: (line: string) => void,
  onStep?: (step: BuildStepUpdate) => void,
): Promise<string> {
  const image = request.tags[0] ?? request.remote ?? request.context;
  const git = request.remote === undefined ? undefined : parseGitContext(request.remote);
  if (git?.subdir !== undefined) {
    const clone = await cloneGitContext(git, image);
    const { remote: _remote, ...local } = request;
    try {
      return await buildWithBuildKit(http, dockerConfig, { ...local, context: clone.context }, onOutput, onStep);
    } finally {
      await clone.remove();
    }
  }
  const [decode, session] = await Promise.all([
    statusDecoder(),
    openBuildSession(http.address, {
      secrets: request.secrets ?? [],
      ssh: request.ssh ?? [],
      registryAuth: async (host) => {
        const found = await dockerConfig.credentials(host);
        return found === undefined ? undefined : { username: found.username ?? '', password: found.password ?? '' };
      },
    }),
  ]);
  try {
    let upload: Readable | undefined;
    let dockerfileName = request.dockerfile ?? 'Dockerfile';
    let syntaxLine = false;
    if (request.remote === undefined) {
      const { listContext, packContext, resolveDockerfile, dockerfileText } = await import('./build-context.js');
      const dockerfile = await resolveDockerfile(request);
      dockerfileName = dockerfile.name;
      syntaxLine = /^#\s*syntax\s*=/im.test((await dockerfileText(request.context, dockerfile)).split('\n').find((l) => l.trim() !== '') ?? '');
      upload = await packContext(await listContext(request.context, dockerfile), dockerfile);
    }
    const registryConfig = await dockerConfig.buildHeader();
    let response;
    try {
      response = await http.stream('POST', '/build', {
        query: { version: '2', session: session.id, ...buildQuery(request, dockerfileName) },
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
    return await readBuildKitOutput(response, image, decode, { syntaxLine }, onOutput, onStep);
  } finally {
    session.close();
  }
}

async function readBuildKitOutput(
  response: Readable,
  image: string,
  decode: Decode,
  facts: { readonly syntaxLine: boolean },
  onOutput?: (line: string) => void,
  onStep?: (step: BuildStepUpdate) => void,
): Promise<string> {
  const steps = new BuildSteps();
  let imageId: string | undefined;
  const lines = createInterface({ input: response, crlfDelay: Infinity });
  for await (const raw of lines) {
    if (raw.trim() === '') continue;
    const message = JSON.parse(raw) as { id?: string; aux?: unknown; stream?: string; error?: string };
    if (typeof message.error === 'string') {
      response.destroy();
      throw buildFailure(image, message.error, steps, facts);
    }
    if (message.id === 'moby.buildkit.trace' && typeof message.aux === 'string') {
      for (const update of steps.apply(decode(message.aux))) onStep?.(update);
    } else if (message.id === 'moby.image.id') {
      const id = (message.aux as { ID?: string } | undefined)?.ID;
      if (typeof id === 'string') imageId = id;
    } else if (typeof message.stream === 'string') {
      for (const line of message.stream.split('\n')) if (line.trim() !== '') onOutput?.(line);
    }
  }
  if (imageId === undefined) throw new BuildError(image, 'the engine ended the build without an image ID');
  return imageId;
}

/** The failing step, its command and its last lines; a hint for what is known to fail offline. */
function buildFailure(image: string, reason: string, steps: BuildSteps, facts: { readonly syntaxLine: boolean }): BuildError {
  const failed = steps.failedStep();
  const offlineFrontend = facts.syntaxLine && /(resolve|syntax|frontend|dockerfile:)/i.test(reason) && /(dial|lookup|no such host|pull|unauthorized|not found|timeout|connection)/i.test(reason);
  const hint = offlineFrontend
    ? 'the Dockerfile\'s `# syntax=` line asks the engine to pull a Dockerfile frontend image, which needs a registry: drop the line to use the engine\'s built-in frontend, or make the image available to the engine'
    : undefined;
  return new BuildError(image, reason.trim(), {
    ...(failed === undefined ? {} : { step: failed.name, output: failed.tail }),
    ...(hint === undefined ? {} : { hint }),
  });
}
