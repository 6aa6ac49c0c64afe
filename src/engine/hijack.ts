import type { Duplex } from 'node:stream';
import { EngineError } from '../errors.js';
import type { EngineAddress } from './docker-host.js';
import { openTransport } from './transport.js';

/**
 * POSTs to an endpoint that takes over the connection (attach, exec start) and returns the raw
 * socket once the engine answers 101, paused: the caller resumes it once it listens. (A TLS socket
 * can deliver the whole output in the tick of the upgrade, and a flowing stream drops data that
 * nobody listens to.) Plain node:http: no need for dockerode's import cost.
 */
export async function hijack(address: EngineAddress, path: string, body: unknown): Promise<Duplex> {
  const text = JSON.stringify(body ?? {});
  const transport = await openTransport(address);
  return new Promise((resolve, reject) => {
    const req = transport.request({
      method: 'POST',
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'tcp',
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      },
    }, true);
    req.on('upgrade', (_res, socket, head) => {
      socket.pause();
      if (head.length > 0) socket.unshift(head);
      (socket as Partial<{ setNoDelay(on: boolean): void }>).setNoDelay?.(true);
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
      reject(transport.connectionFailure(error) ??
        new EngineError(`engine request POST ${path} to ${address.display} failed: ${error.message}`, { cause: error }));
    });
    req.end(text);
  });
}
