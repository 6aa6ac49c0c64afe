import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A socket in front of the engine's that records the request line of every HTTP request the CLI
 * sends (both ways piped untouched, so an upgraded session works through it).
 */
export async function recordingProxy(): Promise<{ socket: string; requests: string[]; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tsct-proxy-'));
  const socket = join(dir, 'engine.sock');
  const requests: string[] = [];
  const upstream = (process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
  const server = createNetServer((client) => {
    const engineSide = connect(upstream);
    client.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString('latin1').matchAll(/^(GET|POST|HEAD|PUT|DELETE) (\S+) HTTP\/1\.1\r$/gm)) {
        requests.push(`${match[1] ?? ''} ${((match[2] ?? '').split('?')[0] ?? '').replace(/^\/v[0-9.]+\//, '/')}`);
      }
    });
    client.pipe(engineSide).pipe(client);
    client.on('error', () => engineSide.destroy());
    engineSide.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    socket,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => {
      rmSync(dir, { recursive: true, force: true });
      resolve();
    })),
  };
}
