import { request } from 'node:http';
import { resolveEngineAddress } from '../../src/engine/docker-host.js';

/** `docker inspect` of a container as the engine holds it: the raw JSON, every field. */
export async function rawInspect(container: string): Promise<Record<string, any>> {
  const address = resolveEngineAddress(process.env);
  if (address.kind !== 'unix') throw new Error('rawInspect needs the engine on a unix socket');
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: address.socketPath, path: `/containers/${encodeURIComponent(container)}/json`, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`inspect ${container}: ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}
