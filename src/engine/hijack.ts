import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { EngineError } from '../errors.js';
import { engineUnavailable, type EngineAddress } from './docker-host.js';

/**
 * POSTs to an endpoint that takes over the connection (attach, exec start) and returns the raw
 * socket once the engine answers 101. Plain node:http: no need for dockerode's import cost.
 */
export function hijack(address: EngineAddress, path: string, body: unknown): Promise<Socket> {
  const text = JSON.stringify(body ?? {});
  const target = address.kind === 'unix' ? { socketPath: address.socketPath } : { host: address.host, port: address.port };
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      ...target,
      method: 'POST',
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'tcp',
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      },
    });
    req.on('upgrade', (_res, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      socket.setNoDelay(true);
      resolve(socket);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let message = raw.trim();
        try {
          message = (JSON.parse(raw) as { message?: string }).message ?? message;
        } catch {
          // not JSON
        }
        reject(new EngineError(message === '' ? `engine answered ${res.statusCode ?? 0} to POST ${path}` : message, {
          statusCode: res.statusCode ?? 0,
        }));
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (['ENOENT', 'ECONNREFUSED', 'EACCES'].includes(error.code ?? '')) reject(engineUnavailable(address, error));
      else reject(new EngineError(`engine request POST ${path} failed: ${error.message}`, { cause: error }));
    });
    req.end(text);
  });
}
