import { request as httpRequest, type ClientRequest, type RequestOptions } from 'node:http';
import type { EngineError } from '../errors.js';
import { engineUnavailable, type EngineAddress } from './docker-host.js';

/**
 * How a request reaches the engine. The HTTP client and the hijacked calls only build requests;
 * the transport decides the socket: a unix socket, TCP, TLS, or a `docker system dial-stdio` over ssh.
 */
export interface Transport {
  /** `own`: a connection of its own, never pooled (attach and exec take it over). */
  request(options: RequestOptions, own: boolean): ClientRequest;
  /** The error to show for a failed connection, naming the endpoint; undefined for any other failure. */
  connectionFailure(error: NodeJS.ErrnoException): EngineError | undefined;
}

/**
 * For a TLS socket: the TCP socket under it. Ending a hijacked call's input must half-close the TCP
 * connection (as the Docker CLI does) rather than send TLS close_notify, after which the engine
 * closes both directions and the rest of the output is lost.
 */
const rawSockets = new WeakMap<object, { end(): unknown }>();

export function registerRawSocket(tlsSocket: object, raw: { end(): unknown }): void {
  rawSockets.set(tlsSocket, raw);
}

/** Ends our side of a hijacked connection, leaving the engine's side open for the remaining output. */
export function closeWrite(socket: { end(): unknown }): void {
  (rawSockets.get(socket) ?? socket).end();
}

const CONNECTION_CODES = ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'];

export function isConnectionCode(code: string | undefined): boolean {
  return CONNECTION_CODES.includes(code ?? '');
}

const opened = new WeakMap<EngineAddress, Promise<Transport>>();

/**
 * One transport per address for the whole run, shared by the JSON calls and the hijacked ones: the
 * TLS agent and the ssh connection are made once. Local transports cost nothing to load; TLS and
 * ssh load their modules on first use.
 */
export function openTransport(address: EngineAddress): Promise<Transport> {
  let transport = opened.get(address);
  if (transport === undefined) {
    transport = newTransport(address);
    opened.set(address, transport);
  }
  return transport;
}

async function newTransport(address: EngineAddress): Promise<Transport> {
  if (address.kind === 'ssh') return (await import('./ssh-transport.js')).sshTransport(address);
  if (address.kind === 'tcp' && address.tls !== undefined) return (await import('./tls.js')).tlsTransport(address, address.tls);
  const target = address.kind === 'unix' ? { socketPath: address.socketPath } : { host: address.host, port: address.port };
  return {
    request: (options, own) => httpRequest({ ...options, ...target, ...(own ? { agent: false } : {}) }),
    connectionFailure: (error) => (isConnectionCode(error.code) ? engineUnavailable(address, error) : undefined),
  };
}
