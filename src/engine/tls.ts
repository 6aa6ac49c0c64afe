import { Agent, request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { EngineError } from '../errors.js';
import type { EngineAddress, TlsMaterial } from './docker-host.js';
import { engineUnavailable } from './docker-host.js';
import { isConnectionCode, registerRawSocket, type Transport } from './transport.js';

type TcpAddress = Extract<EngineAddress, { kind: 'tcp' }>;

/** The engine's certificate was not trusted by us (or ours by it): named, with what to check. */
const SERVER_NOT_TRUSTED = [
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
];

/** Every call over TLS, pooled ones through one keep-alive agent, hijacked ones on a connection of their own. */
export function tlsTransport(address: TcpAddress, tls: TlsMaterial): Transport {
  const secure = {
    host: address.host,
    port: address.port,
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    rejectUnauthorized: tls.verify,
  };
  const agent = new Agent({ keepAlive: true, ...secure });
  // A hijacked call's TLS runs over a TCP socket of ours, so its input can be half-closed below TLS.
  const ownConnection = () => {
    const raw = netConnect({ host: address.host, port: address.port, allowHalfOpen: true });
    const socket = tlsConnect({ ...secure, socket: raw });
    registerRawSocket(socket, raw);
    return socket;
  };
  return {
    request: (options, own) => httpsRequest(own
      ? { ...options, ...secure, agent: false, createConnection: ownConnection }
      : { ...options, ...secure, agent }),
    connectionFailure: (error) => tlsFailure(address, tls, error),
  };
}

export function tlsFailure(address: TcpAddress, tls: TlsMaterial, error: NodeJS.ErrnoException): EngineError | undefined {
  const code = error.code ?? '';
  const files = tls.directory === '' ? 'no TLS files' : `the TLS files in ${tls.directory}`;
  if (SERVER_NOT_TRUSTED.includes(code)) {
    return new EngineError(
      `the engine at ${address.display} presented a certificate that is not trusted: ${error.message} (${code})`,
      {
        hint: code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? `the engine's certificate is not made out for ${address.host}; reach it by a name the certificate lists`
          : `check that ${files} hold the CA (ca.pem) that signed the engine's certificate (chosen by ${address.source})`,
        cause: error,
      },
    );
  }
  if (/alert|certificate required|bad certificate|unknown ca|handshake failure/i.test(error.message) || code.startsWith('ERR_SSL')) {
    return new EngineError(`the engine at ${address.display} refused our TLS client certificate: ${error.message}`, {
      hint: `check that ${files} hold a cert.pem and key.pem signed by the CA the engine trusts (chosen by ${address.source})`,
      cause: error,
    });
  }
  if (/wrong version number|packet length too long|EPROTO/i.test(`${error.message} ${code}`)) {
    return new EngineError(`the engine at ${address.display} does not speak TLS: ${error.message}`, {
      hint: 'unset DOCKER_TLS_VERIFY and DOCKER_TLS for a plain-HTTP engine (port 2375), or check the port',
      cause: error,
    });
  }
  return isConnectionCode(code) ? engineUnavailable(address, error) : undefined;
}
