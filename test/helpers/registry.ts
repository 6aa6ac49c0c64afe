import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real registry (Debian's docker-registry) on a free loopback port; dockerd trusts 127.0.0.0/8 over plain HTTP. */
export interface LocalRegistry {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
    server.on('error', reject);
  });
}

function answers(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port: Number(host.split(':')[1]), path: '/v2/', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 || res.statusCode === 401);
    }).on('error', () => resolve(false));
  });
}

/** Installs docker-registry when it is missing and we may (root with apt-get). */
function ensureInstalled(): void {
  if (spawnSync('sh', ['-c', 'command -v docker-registry']).status === 0) return;
  const install = spawnSync('sh', ['-c', 'apt-get install -y -qq --no-install-recommends docker-registry || (apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-registry)'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: 'ignore',
  });
  if (install.status !== 0) throw new Error('docker-registry is not installed and could not be installed (apt-get install docker-registry)');
}

/** Starts a registry; `htpasswd` (a bcrypt line) turns on basic auth. */
export async function startRegistry(options: { readonly htpasswd?: string } = {}): Promise<LocalRegistry> {
  ensureInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'tscompose-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const auth = options.htpasswd === undefined
    ? ''
    : `auth:\n  htpasswd:\n    realm: tscompose-test\n    path: ${join(dir, 'htpasswd')}\n`;
  if (options.htpasswd !== undefined) writeFileSync(join(dir, 'htpasswd'), `${options.htpasswd}\n`);
  writeFileSync(join(dir, 'config.yml'), [
    'version: 0.1',
    'log:',
    '  level: error',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    'http:',
    `  addr: ${host}`,
    auth,
  ].join('\n'));
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (await answers(host)) return { host, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`docker-registry did not start on ${host}: ${stderr}`);
}
