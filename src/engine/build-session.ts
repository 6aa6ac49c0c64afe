import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { EngineError } from '../errors.js';
import type { EngineAddress } from './docker-host.js';
import { sessionServices, type SessionNeeds, type SessionService } from './buildkit-services.js';

/** The gRPC server of @grpc/grpc-js, as far as the session uses it. */
interface GrpcServer {
  addService(definition: unknown, implementation: Record<string, unknown>): void;
  createConnectionInjector(credentials: unknown): { injectConnection(socket: Duplex): void };
  forceShutdown(): void;
}

export interface GrpcModule {
  Server: new () => GrpcServer;
  ServerCredentials: { createInsecure(): unknown };
  status: Record<string, number>;
}

/** A protobuf message type, as far as the session and the status decoding use it. */
export interface ProtobufType {
  decode(buffer: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  fromObject(value: Record<string, unknown>): unknown;
  toObject(message: unknown, options?: Record<string, unknown>): Record<string, unknown>;
}

export interface ProtobufModule {
  Root: { fromJSON(json: unknown): { lookupType(name: string): ProtobufType } };
  loadSync(file: string): { lookupType(name: string): ProtobufType };
}

/** dockerode's own copies of the gRPC and protobuf packages: no second copy to install or keep in step. */
export interface SessionModules {
  readonly grpc: GrpcModule;
  readonly protobuf: ProtobufModule;
  /** dockerode's Docker class, to dial the engine the way it does (same host options). */
  readonly Docker: new (options: Record<string, unknown>) => { modem: { dial(options: Record<string, unknown>, callback: (error: Error | null, socket?: Duplex) => void): void } };
  /** Folder of dockerode's .proto files (BuildKit's status messages). */
  readonly protoDir: string;
}

let modules: Promise<SessionModules> | undefined;

/** Loads dockerode and what it brings, once, on the build path only. */
export function sessionModules(): Promise<SessionModules> {
  modules ??= (async () => {
    const { default: Docker } = (await import('dockerode')) as unknown as { default: SessionModules['Docker'] };
    const require = createRequire(import.meta.url);
    const dockerodeMain = require.resolve('dockerode');
    const fromDockerode = createRequire(dockerodeMain);
    return {
      Docker,
      grpc: fromDockerode('@grpc/grpc-js') as GrpcModule,
      protobuf: fromDockerode('protobufjs') as ProtobufModule,
      protoDir: dockerodeMain.replace(/docker\.js$/, 'proto'),
    };
  })();
  return modules;
}

export interface BuildSession {
  readonly id: string;
  close(): void;
}

/**
 * Opens a BuildKit session on the engine: `POST /session` upgraded to h2c, on which we serve gRPC
 * (the engine is the gRPC client). The services answer BuildKit's questions during the build:
 * registry credentials, secrets by id, ssh agent forwarding.
 */
export async function openBuildSession(
  address: EngineAddress,
  needs: SessionNeeds & {
    /** BuildKit keeps what file sync sent under this key and asks only for what changed since. */
    readonly sharedKey?: string;
  },
): Promise<BuildSession> {
  const loaded = await sessionModules();
  const services = await sessionServices(loaded, needs);
  const id = randomUUID();
  const docker = new loaded.Docker(address.kind === 'unix' ? { socketPath: address.socketPath } : { host: address.host, port: address.port, protocol: 'http' });
  const socket = await new Promise<Duplex>((resolve, reject) => {
    docker.modem.dial({
      method: 'POST',
      path: '/session',
      hijack: true,
      headers: {
        Upgrade: 'h2c',
        'X-Docker-Expose-Session-Uuid': id,
        'X-Docker-Expose-Session-Name': 'tscompose',
        'X-Docker-Expose-Session-Sharedkey': needs.sharedKey ?? '',
        'X-Docker-Expose-Session-Grpc-Method': services.flatMap((s) => s.methods),
      },
      statusCodes: { 101: true, 200: true, 400: 'bad request', 404: 'not found', 500: 'server error' },
    }, (error, sock) => {
      if (error !== null || sock === undefined) {
        reject(new EngineError(`the engine refused a BuildKit session: ${error?.message ?? 'no connection'}`, {
          hint: 'this engine may not support BuildKit (Engine API 1.39+); DOCKER_BUILDKIT=0 selects the classic builder',
        }));
      } else resolve(sock);
    });
  });
  const server = new loaded.grpc.Server();
  for (const service of services) addService(server, service);
  server.createConnectionInjector(loaded.grpc.ServerCredentials.createInsecure()).injectConnection(socket);
  return {
    id,
    close() {
      server.forceShutdown();
      socket.end();
      socket.destroy();
      for (const service of services) service.close?.();
    },
  };
}

function addService(server: GrpcServer, service: SessionService): void {
  server.addService(service.definition, service.implementation);
}
