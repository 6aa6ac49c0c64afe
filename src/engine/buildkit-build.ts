import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { BuildError } from '../errors.js';
import type { BuildSession } from './build-session.js';
import type { SyncEntry } from './buildkit-services.js';
import { buildQuery, postBuild } from './build-query.js';
import { BuildSteps } from './buildkit-status.js';
import { statusDecoder, type StatusDecoder } from './buildkit-status-proto.js';
import { externalImages } from './dockerfile-images.js';
import { cloneGitContext, parseGitContext } from './git-context.js';
import type { BuildRequest, BuildStepUpdate } from './engine.js';
import type { EngineHttpClient } from './http-client.js';
import type { DockerConfig } from './registry-auth.js';
import type { ProxyVariables } from './proxy-config.js';

/**
 * A build through the engine's BuildKit: `POST /build?version=2` with the context tar (or `remote`
 * for git and tarball URLs), and a session when the build needs one (secrets, ssh, credentials).
 */
export async function buildWithBuildKit(
  http: EngineHttpClient,
  dockerConfig: DockerConfig,
  proxies: ProxyVariables,
  request: BuildRequest,
  onOutput?: (line: string) => void,
  onStep?: (step: BuildStepUpdate) => void,
): Promise<string> {
  const image = request.tags[0] ?? request.remote ?? request.context;
  const git = request.remote === undefined ? undefined : parseGitContext(request.remote);
  // The engine fetches a git context itself, but cannot take `#ref:subdir`; and a Dockerfile given
  // here (inline, or rewritten for named contexts) or a context sent under a folder needs the files here.
  if (git !== undefined &&
    (git.subdir !== undefined || request.dockerfileInline !== undefined || request.contextUnder !== undefined || (request.namedContexts ?? []).length > 0)) {
    const clone = await cloneGitContext(git, image);
    const { remote: _remote, ...fetched } = request;
    try {
      return await buildWithBuildKit(http, dockerConfig, proxies, { ...fetched, context: clone.context }, onOutput, onStep);
    } finally {
      await clone.remove();
    }
  }
  const body = await contextBody(request);
  let session: BuildSession | undefined;
  try {
    session = await openSessionIfNeeded(http, dockerConfig, request, body);
  } catch (error) {
    body.upload?.destroy();
    throw error;
  }
  try {
    const { upload, dockerfileName, syntaxLine } = body;
    const registryConfig = await dockerConfig.buildHeader();
    // Loaded while the request goes out and the engine starts the build.
    const decoding = statusDecoder();
    decoding.catch(() => undefined);
    const query = {
      version: '2',
      ...(session === undefined ? {} : { session: session.id }),
      ...buildQuery(request, dockerfileName, proxies),
      // The engine reads the context and the Dockerfile through the session's file sync.
      ...(body.files === undefined ? {} : { remote: 'client-session' }),
    };
    const response = await postBuild(http, image, query, upload, registryConfig);
    return await readBuildKitOutput(response, image, decoding, { syntaxLine }, onOutput, onStep);
  } finally {
    session?.close();
  }
}

/**
 * Above this, a context goes through the session's file sync rather than a tar: loading gRPC for
 * the session costs about 0.3 s, and sending a tar of this size costs more than that (docs/build.md).
 */
const SYNC_ABOVE_BYTES = 16 * 1024 * 1024;

interface ContextBody {
  readonly upload?: Readable;
  /** Sent through the session instead of a tar: the context, and the Dockerfile apart from it. */
  readonly files?: ReadonlyMap<string, readonly SyncEntry[]>;
  /** The context folder, which names what BuildKit keeps of it between builds. */
  readonly folder?: string;
  readonly dockerfileName: string;
  /** The Dockerfile starts with a `# syntax=` line (for the hint when the frontend cannot be pulled). */
  readonly syntaxLine: boolean;
  /** Its text; undefined for a remote context. */
  readonly dockerfileText?: string;
}

/** The context tar (after .dockerignore) and the Dockerfile's name in it; nothing for a remote context. */
async function contextBody(request: BuildRequest): Promise<ContextBody> {
  if (request.remote !== undefined) {
    if ((request.namedContexts ?? []).length > 0) {
      throw new BuildError(request.tags[0] ?? request.remote, `additional_contexts cannot be used with the remote context ${request.remote}: its Dockerfile is read by the engine`, {
        hint: 'use a folder or a git URL as the build context',
      });
    }
    return { dockerfileName: request.dockerfile ?? 'Dockerfile', syntaxLine: false };
  }
  const { listContext, packContext, resolveDockerfile, syncEntries } = await import('./build-context.js');
  const dockerfile = await resolveDockerfile(request);
  const original = dockerfile.text;
  const contexts = request.namedContexts ?? [];
  const text = contexts.length === 0
    ? original
    : (await import('./dockerfile-contexts.js')).substituteNamedContexts(original, new Map(contexts.map((c) => [c.name, c.image])), request.args);
  const firstLine = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const syntaxLine = /^#\s*syntax\s*=/i.test(firstLine);
  // A Dockerfile that is not the context's own file (inline, outside the context, rewritten) would
  // be one more file of a tar, which this BuildKit copies with `COPY .` (it ignores a tar's
  // .dockerignore): through file sync it stays apart, as with the docker CLI. A big context goes
  // that way too: BuildKit then asks only for the files changed since the last build.
  const entries = await listContext(request.context, dockerfile);
  const big = entries.reduce((sum, e) => sum + e.size, 0) > SYNC_ABOVE_BYTES;
  const apart = request.contextUnder === undefined && (dockerfile.extra !== undefined || text !== original);
  if (apart || big) {
    const now = new Date();
    const bytes = Buffer.from(text);
    // The Dockerfile's folder holds just that file, by its base name (as the docker CLI sends it).
    const dockerfileName = posix.basename(dockerfile.name);
    const dockerfileEntry: SyncEntry = { path: dockerfileName, absolute: '', type: 'file', mode: 0o644, size: bytes.length, mtime: now, bytes };
    const under = request.contextUnder;
    const synced = syncEntries(entries, request.context, dockerfile);
    const context: SyncEntry[] = under === undefined
      ? synced
      : [{ path: under, absolute: request.context, type: 'directory', mode: 0o755, size: 0, mtime: new Date(0) }, ...synced.map((e) => ({ ...e, path: `${under}/${e.path}` }))];
    return {
      dockerfileText: text,
      files: new Map([['context', context], ['dockerfile', [dockerfileEntry]]]),
      folder: request.context,
      dockerfileName,
      syntaxLine,
    };
  }
  return {
    dockerfileText: text,
    upload: await packContext(entries, dockerfile, {
      context: request.context,
      ...(request.contextUnder === undefined ? {} : { under: request.contextUnder }),
    }),
    dockerfileName: dockerfile.name,
    syntaxLine,
  };
}

async function readBuildKitOutput(
  response: Readable,
  image: string,
  decoding: Promise<StatusDecoder>,
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
      const decode = await decoding;
      for (const update of steps.apply(decode(Buffer.from(message.aux, 'base64')))) onStep?.(update);
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

/**
 * The engine's BuildKit reads the context from the request body; it asks the session only for
 * secrets, ssh agents and registry credentials, and it needs one as soon as it talks to a registry
 * (even anonymously: "no active sessions" otherwise). So a build whose images are all in the
 * engine already, with no secrets, ssh, pull, cache import, platform or remote context, opens
 * none: loading dockerode and gRPC for it would be most of a cached build's time.
 */
async function openSessionIfNeeded(http: EngineHttpClient, dockerConfig: DockerConfig, request: BuildRequest, body: ContextBody): Promise<BuildSession | undefined> {
  const secrets = request.secrets ?? [];
  const ssh = request.ssh ?? [];
  if (body.files === undefined && secrets.length === 0 && ssh.length === 0 && await allLocal(http, request, body.dockerfileText)) return undefined;
  const { openBuildSession } = await import('./build-session.js');
  return openBuildSession(http.address, {
    secrets,
    ssh,
    ...(body.files === undefined ? {} : { files: body.files }),
    ...(body.folder === undefined ? {} : { sharedKey: createHash('sha256').update(`tscompose:${body.folder}`).digest('hex') }),
    registryAuth: async (host) => {
      const found = await dockerConfig.credentials(host);
      return found === undefined ? undefined : { username: found.username ?? '', password: found.password ?? '' };
    },
  });
}

/** Whether the build can run without any registry: every image the Dockerfile names is in the engine. */
async function allLocal(http: EngineHttpClient, request: BuildRequest, dockerfile: string | undefined): Promise<boolean> {
  if (dockerfile === undefined || request.remote !== undefined || request.pull || request.cacheFrom.length > 0 || request.platform !== undefined) return false;
  // Read with the build's inputs moments ago (the IDs in the build-inputs label): not asked twice.
  if (request.basesInEngine === true) return true;
  const images = externalImages(dockerfile);
  if (images === undefined) return false;
  const present = await Promise.all(images.map(async (image) => {
    try {
      await http.json('GET', `/images/${encodeURIComponent(image)}/json`);
      return true;
    } catch {
      return false;
    }
  }));
  return present.every(Boolean);
}
