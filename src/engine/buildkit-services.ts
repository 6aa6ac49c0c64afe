import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BuildError } from '../errors.js';
import type { SessionModules } from './build-session.js';
import type { ContextEntry } from './build-context.js';
import type { BuildSecret, BuildSsh } from './engine.js';
import { goFileMode, requestedEntries, walkOrder, withParents } from './filesync-files.js';

/** One gRPC service the session offers, with the method paths announced to the engine. */
export interface SessionService {
  readonly definition: Record<string, unknown>;
  readonly implementation: Record<string, unknown>;
  readonly methods: readonly string[];
  close?(): void;
}

/** The messages of BuildKit's session protocols (moby/buildkit session/{auth,secrets,sshforward}). */
const MESSAGES = {
  nested: {
    CredentialsRequest: { fields: { Host: { type: 'string', id: 1 } } },
    CredentialsResponse: { fields: { Username: { type: 'string', id: 1 }, Secret: { type: 'string', id: 2 } } },
    GetSecretRequest: { fields: { ID: { type: 'string', id: 1 }, annotations: { keyType: 'string', type: 'string', id: 2 } } },
    GetSecretResponse: { fields: { data: { type: 'bytes', id: 1 } } },
    BytesMessage: { fields: { data: { type: 'bytes', id: 1 } } },
    CheckAgentRequest: { fields: { ID: { type: 'string', id: 1 } } },
    CheckAgentResponse: { fields: {} },
    HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
    HealthCheckResponse: { fields: { status: { type: 'int32', id: 1 } } },
    // tonistiigi/fsutil types: what FileSync/DiffCopy carries, whatever its gRPC signature says.
    Stat: {
      fields: {
        path: { type: 'string', id: 1 }, mode: { type: 'uint32', id: 2 }, uid: { type: 'uint32', id: 3 }, gid: { type: 'uint32', id: 4 },
        size: { type: 'int64', id: 5 }, modTime: { type: 'int64', id: 6 }, linkname: { type: 'string', id: 7 },
        devmajor: { type: 'int64', id: 8 }, devminor: { type: 'int64', id: 9 }, xattrs: { keyType: 'string', type: 'bytes', id: 10 },
      },
    },
    Packet: { fields: { type: { type: 'uint32', id: 1 }, stat: { type: 'Stat', id: 2 }, ID: { type: 'uint32', id: 3 }, data: { type: 'bytes', id: 4 } } },
  },
};

interface Codec {
  decode(buffer: Buffer): Record<string, unknown>;
  encode(value: Record<string, unknown>): Buffer;
}

type Unary = (call: { request: Record<string, unknown> }, callback: (error: { code: number; details: string } | null, value?: Record<string, unknown>) => void) => void;

interface Bidi {
  on(event: 'data', listener: (message: Record<string, unknown>) => void): void;
  on(event: 'end' | 'cancelled' | 'error', listener: () => void): void;
  write(message: Record<string, unknown>): void;
  end(): void;
  metadata: { get(key: string): unknown[] };
}

/** What a session serves: registry credentials always; secrets, ssh agents and folders when the build has them. */
export interface SessionNeeds {
  readonly secrets: readonly BuildSecret[];
  readonly ssh: readonly BuildSsh[];
  readonly registryAuth: (host: string) => Promise<{ username: string; password: string } | undefined>;
  /** Folders by the name BuildKit asks for (`context`, `dockerfile`): the build's files come through the session. */
  readonly files?: ReadonlyMap<string, readonly SyncEntry[]>;
}

export async function sessionServices(
  loaded: SessionModules,
  needs: SessionNeeds,
): Promise<SessionService[]> {
  const root = loaded.protobuf.Root.fromJSON(MESSAGES);
  const codec = (name: string): Codec => {
    const type = root.lookupType(name);
    return {
      decode: (buffer) => type.toObject(type.decode(buffer), { defaults: true }) as Record<string, unknown>,
      encode: (value) => Buffer.from(type.encode(type.fromObject(value)).finish()),
    };
  };
  const method = (service: string, name: string, request: string, response: string, streaming = false) => {
    const req = codec(request);
    const res = codec(response);
    return {
      path: `/${service}/${name}`,
      requestStream: streaming,
      responseStream: streaming,
      requestSerialize: req.encode,
      requestDeserialize: req.decode,
      responseSerialize: res.encode,
      responseDeserialize: res.decode,
    };
  };
  const { grpc } = loaded;
  const services: SessionService[] = [];

  // The engine checks the session's health every second and drops a session that does not answer.
  const health = 'grpc.health.v1.Health';
  const check: Unary = (_call, callback) => callback(null, { status: 1 /* SERVING */ });
  services.push({
    definition: { Check: method(health, 'Check', 'HealthCheckRequest', 'HealthCheckResponse') },
    implementation: { Check: check },
    methods: [`/${health}/Check`],
  });

  const auth = 'moby.filesync.v1.Auth';
  const credentials: Unary = ({ request }, callback) => {
    needs.registryAuth(String(request['Host'] ?? '')).then(
      (found) => callback(null, found === undefined ? {} : { Username: found.username, Secret: found.password }),
      () => callback(null, {}),
    );
  };
  services.push({
    definition: { Credentials: method(auth, 'Credentials', 'CredentialsRequest', 'CredentialsResponse') },
    implementation: { Credentials: credentials },
    methods: [`/${auth}/Credentials`],
  });

  const secretsService = 'moby.buildkit.secrets.v1.Secrets';
  const secrets = new Map(needs.secrets.map((s) => [s.id, s]));
  const getSecret: Unary = ({ request }, callback) => {
    const id = String(request['ID'] ?? '');
    const secret = secrets.get(id);
    if (secret === undefined) {
      callback({ code: grpc.status['NOT_FOUND'] ?? 5, details: `secret ${id} not found` });
      return;
    }
    const read = 'file' in secret.source ? readFile(secret.source.file) : Promise.resolve(Buffer.from(secret.source.value));
    read.then((data) => callback(null, { data }), (error: Error) => callback({ code: grpc.status['NOT_FOUND'] ?? 5, details: `secret ${id}: ${error.message}` }));
  };
  services.push({
    definition: { GetSecret: method(secretsService, 'GetSecret', 'GetSecretRequest', 'GetSecretResponse') },
    implementation: { GetSecret: getSecret },
    methods: [`/${secretsService}/GetSecret`],
  });

  if (needs.ssh.length > 0) services.push(await sshService(loaded, needs.ssh, method));
  if (needs.files !== undefined) services.push(fileSyncService(loaded, needs.files, method));
  return services;
}

/** A file the session's file sync offers: a context entry, or bytes of ours (the Dockerfile). */
export type SyncEntry = ContextEntry & { readonly bytes?: Buffer };

const PACKET = { stat: 0, req: 1, data: 2, fin: 3, err: 4 } as const;
const CHUNK = 32 * 1024;

/**
 * moby.filesync.v1.FileSync/DiffCopy: BuildKit asks for a folder by name (`context`, `dockerfile`)
 * and we send it as fsutil's sender does: a stat packet per entry in walk order (an empty one
 * ends the list), then each regular file the receiver requests by its index, in 32 KiB data
 * packets ended by an empty one; its FIN is answered with ours. Entries were filtered by
 * .dockerignore here, so the engine's exclude patterns are not applied again (as the docker CLI's
 * own excludes win over them).
 */
function fileSyncService(loaded: SessionModules, dirs: ReadonlyMap<string, readonly SyncEntry[]>, method: MethodFactory): SessionService {
  const service = 'moby.filesync.v1.FileSync';
  const { grpc } = loaded;
  // grpc-js joins a key's values with ", " when the engine sent them as one header.
  const strings = (values: unknown[]): string[] => values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const diffCopy = (call: Bidi & { emit(event: 'error', error: { code: number; details: string }): void; once(event: 'drain', listener: () => void): void }): void => {
    const name = strings(call.metadata.get('dir-name'))[0] ?? '';
    const all = dirs.get(name);
    if (all === undefined) {
      call.emit('error', { code: grpc.status['NOT_FOUND'] ?? 5, details: `no access allowed to dir "${name}"` });
      return;
    }
    const folder = (path: string): SyncEntry => ({ path, absolute: '', type: 'directory', mode: 0o755, size: 0, mtime: new Date(0) });
    const entries = walkOrder(requestedEntries(withParents(all, folder), {
      followPaths: strings(call.metadata.get('followpaths')),
      includePatterns: strings(call.metadata.get('include-patterns')),
    }));
    let chain: Promise<void> = Promise.resolve();
    let closed = false;
    // Each packet waits while gRPC's buffer is full, so a big context is not held in memory whole.
    const send = async (packet: Record<string, unknown>): Promise<void> => {
      if (closed) return;
      if (!(call.write(packet) as unknown as boolean)) await new Promise<void>((resolve) => call.once('drain', resolve));
    };
    const end = (): void => {
      closed = true;
      call.end();
    };
    const later = (task: () => Promise<void>): void => {
      chain = chain.then(task).catch(async (error: Error) => {
        await send({ type: PACKET.err, data: Buffer.from(error.message) });
        end();
      });
    };
    const sendFile = async (id: number): Promise<void> => {
      const entry = entries[id];
      if (entry === undefined || entry.type !== 'file') throw new Error(`invalid file request ${id}`);
      if (entry.bytes !== undefined) {
        for (let at = 0; at < entry.bytes.length; at += CHUNK) await send({ type: PACKET.data, ID: id, data: entry.bytes.subarray(at, at + CHUNK) });
      } else {
        for await (const chunk of createReadStream(entry.absolute, { highWaterMark: CHUNK })) await send({ type: PACKET.data, ID: id, data: chunk as Buffer });
      }
      await send({ type: PACKET.data, ID: id });
    };
    later(async () => {
      for (const entry of entries) {
        await send({
          type: PACKET.stat,
          stat: {
            path: entry.path, mode: goFileMode(entry.type, entry.mode), uid: 0, gid: 0,
            size: String(entry.type === 'file' ? entry.size : 0),
            modTime: (BigInt(entry.mtime.getTime()) * 1_000_000n).toString(),
            linkname: entry.linkname ?? '',
          },
        });
      }
      await send({ type: PACKET.stat });
    });
    call.on('data', (packet) => {
      const type = Number(packet['type'] ?? 0);
      if (type === PACKET.req) later(() => sendFile(Number(packet['ID'] ?? 0)));
      else if (type === PACKET.fin) later(async () => {
        await send({ type: PACKET.fin });
        end();
      });
      else if (type === PACKET.err) end();
    });
    // The engine ends the stream when the build ends or is cancelled: nothing more to send.
    call.on('cancelled', () => {
      closed = true;
    });
    call.on('error', () => {
      closed = true;
    });
  };
  return {
    definition: { DiffCopy: method(service, 'DiffCopy', 'Packet', 'Packet', true) },
    implementation: { DiffCopy: diffCopy },
    methods: [`/${service}/DiffCopy`],
  };
}

type MethodFactory = (service: string, name: string, request: string, response: string, streaming?: boolean) => Record<string, unknown>;

/** One agent socket per ssh id: the user's agent, or an agent of ours holding the given keys. */
async function sshService(loaded: SessionModules, entries: readonly BuildSsh[], method: MethodFactory): Promise<SessionService> {
  const service = 'moby.sshforward.v1.SSH';
  const agents = new Map<string, string>();
  const started: { child: ChildProcess; dir: string }[] = [];
  const close = (): void => {
    for (const agent of started) {
      agent.child.kill();
      rmSync(agent.dir, { recursive: true, force: true });
    }
  };
  try {
    for (const entry of entries) agents.set(entry.id, await agentFor(entry, started));
  } catch (error) {
    close();
    throw error;
  }
  const { grpc } = loaded;
  const checkAgent: Unary = ({ request }, callback) => {
    const id = String(request['ID'] ?? '') || 'default';
    if (agents.has(id)) callback(null, {});
    else callback({ code: grpc.status['NOT_FOUND'] ?? 5, details: `no ssh agent for id ${id} (build.ssh)` });
  };
  const forwardAgent = (call: Bidi): void => {
    const id = String(call.metadata.get('buildkit.ssh.id')[0] ?? '') || 'default';
    const path = agents.get(id);
    if (path === undefined) {
      call.end();
      return;
    }
    const socket = connect(path);
    socket.on('data', (data: Buffer) => call.write({ data }));
    socket.on('end', () => call.end());
    socket.on('error', () => call.end());
    call.on('data', (message) => socket.write(message['data'] as Uint8Array));
    call.on('end', () => socket.end());
    call.on('cancelled', () => socket.destroy());
    call.on('error', () => socket.destroy());
  };
  return {
    definition: {
      CheckAgent: method(service, 'CheckAgent', 'CheckAgentRequest', 'CheckAgentResponse'),
      ForwardAgent: method(service, 'ForwardAgent', 'BytesMessage', 'BytesMessage', true),
    },
    implementation: { CheckAgent: checkAgent, ForwardAgent: forwardAgent },
    methods: [`/${service}/CheckAgent`, `/${service}/ForwardAgent`],
    close,
  };
}

async function agentFor(entry: BuildSsh, started: { child: ChildProcess; dir: string }[]): Promise<string> {
  const fail = (reason: string, hint: string): never => {
    throw new BuildError(`ssh ${entry.id}`, reason, { hint });
  };
  if (entry.paths.length === 0) {
    const sock = process.env['SSH_AUTH_SOCK'];
    if (sock === undefined || sock === '') {
      return fail('build.ssh asks for the default ssh agent, but SSH_AUTH_SOCK is not set', 'start an agent (`eval $(ssh-agent)`, `ssh-add`) or give key paths: `ssh: [default=~/.ssh/id_ed25519]`');
    }
    return sock;
  }
  const kinds = await Promise.all(entry.paths.map(async (p) => {
    try {
      return (await stat(p)).isSocket() ? 'socket' : 'key';
    } catch {
      return fail(`ssh ${entry.id}: ${p} does not exist`, 'give an agent socket or a private key file');
    }
  }));
  if (kinds.length === 1 && kinds[0] === 'socket') return entry.paths[0] as string;
  if (kinds.includes('socket')) return fail(`ssh ${entry.id}: mixes an agent socket with key files`, 'give either one agent socket or key files');
  // Keys are loaded into an agent of ours, started for this build and stopped after it.
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-ssh-'));
  const sock = join(dir, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  started.push({ child, dir });
  await new Promise<void>((resolve, reject) => {
    child.once('error', () => reject(new BuildError(`ssh ${entry.id}`, 'build.ssh key paths need ssh-agent, which could not be started', { hint: 'install OpenSSH\'s client tools, or point build.ssh at a running agent' })));
    const poll = (tries: number): void => {
      stat(sock).then(() => resolve(), () => (tries > 200 ? reject(new BuildError(`ssh ${entry.id}`, 'ssh-agent did not start')) : setTimeout(() => poll(tries + 1), 10)));
    };
    poll(0);
  });
  try {
    await promisify(execFile)('ssh-add', [...entry.paths], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
  } catch (error) {
    return fail(`ssh ${entry.id}: ssh-add refused the key (${((error as { stderr?: string }).stderr ?? '').trim()})`, 'the key must be unencrypted, or load it into your own agent and use `ssh: [default]`');
  }
  return sock;
}
