import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { freePort } from './registry.js';

/**
 * A second dockerd for the transport and fault tests, all of it made here and removed by stop():
 * its own network namespace (so its bridges and addresses never meet the main engine's),
 * data root, exec root and pid file; a unix socket, and TLS on 127.0.0.1:2376 inside the
 * namespace, forwarded to a free 127.0.0.1 port of ours. Certificates come from openssl here.
 */
export interface SecondEngine {
  readonly dir: string;
  /** The plain unix socket (for setup and checks, not what the tests exercise). */
  readonly socket: string;
  /** `tcp://127.0.0.1:PORT`: TLS, client certificates required. */
  readonly tlsHost: string;
  /** ca.pem, cert.pem, key.pem a client needs (DOCKER_CERT_PATH). */
  readonly certDir: string;
  /** The same file names, from a CA the engine does not know: a wrong certificate. */
  readonly wrongCertDir: string;
  /** `docker` against the unix socket. */
  docker(args: readonly string[], input?: Buffer): SpawnSyncReturns<Buffer>;
  /** Stops dockerd with `signal` and starts it again on the same data root (the fault suite's engine restart). */
  restart(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  stop(): Promise<void>;
}

const run = (command: string, args: readonly string[], options: { cwd?: string; input?: Buffer } = {}): SpawnSyncReturns<Buffer> =>
  spawnSync(command, args, { ...options, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });

/** Why this machine cannot run a second engine, or undefined when it can. */
export function secondEngineMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'a second dockerd in its own network namespace needs root';
  for (const tool of ['dockerd', 'nsenter', 'ip', 'openssl', 'docker']) {
    if (run('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as `docker` expects them. */
export function makeCertificates(dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  const ssl = (...args: string[]): void => {
    const result = run('openssl', args, { cwd: dir });
    if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.toString()}`);
  };
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}-ca`);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'server-cert.pem', '-days', '2', '-extfile', 'server.ext');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'client.csr', '-subj', `/CN=${name}-client`);
  ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'client.ext');
}

/** PIDs of the processes whose command line names `marker` (a path inside this engine's own folder). */
function ownProcesses(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Mount points inside `dir`, deepest first. */
function ownMounts(dir: string): string[] {
  return readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`)).sort().reverse();
}

/** Waits up to `graceMs` for these processes to end by themselves, then SIGKILLs those left, by PID. */
async function endProcesses(pids: readonly number[], graceMs = 0): Promise<void> {
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
}

function pingSocket(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

function waitExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// Runs inside the namespace: joins a unix socket (reachable from ours) to the engine's TLS port there.
const NAMESPACE_FORWARDER = `
const net = require('node:net');
const [socketPath, port] = process.argv.slice(1);
net.createServer({ allowHalfOpen: true }, (c) => { const t = net.connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true }); c.pipe(t).pipe(c); c.on('error', () => t.destroy()); t.on('error', () => c.destroy()); })
  .listen(socketPath, () => process.stdout.write('ready\\n'));`;

export async function startSecondEngine(options: { image?: string } = {}): Promise<SecondEngine> {
  const dir = mkdtempSync('/tmp/tsct-eng-');
  const namespace = `tsct-${dir.slice(-6)}`;
  const socket = join(dir, 'docker.sock');
  const certDir = join(dir, 'client');
  const wrongCertDir = join(dir, 'wrong');
  const children: ChildProcess[] = [];
  let server: Server | undefined;
  let namespaceMade = false;
  let dockerd: ChildProcess | undefined;
  let restart: SecondEngine['restart'] = () => Promise.reject(new Error('not started'));

  const stop = async (): Promise<void> => {
    server?.close();
    if (dockerd !== undefined) {
      dockerd.kill('SIGTERM');
      await waitExit(dockerd, 20_000);
    }
    // A shim outlives a killed dockerd and containerd: this engine's own (by its exec root) end here.
    const shims = ownProcesses(join(dir, 'exec', 'containerd', 'containerd.sock'));
    await endProcesses([...shims.flatMap(childrenOf), ...shims]);
    for (const child of children) {
      child.kill('SIGTERM');
      await waitExit(child, 5_000);
    }
    if (namespaceMade) run('ip', ['netns', 'del', namespace]);
    // A dockerd that did not shut down cleanly leaves its mounts (data root, sandbox namespaces) behind.
    for (const mount of ownMounts(dir)) run('umount', ['-l', mount]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const engineCerts = join(dir, 'engine');
    makeCertificates(engineCerts, 'tsct-engine');
    mkdirSync(certDir);
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certDir, f), readFileSync(join(engineCerts, f)));
    makeCertificates(wrongCertDir, 'tsct-stranger');
    writeFileSync(join(dir, 'daemon.json'), '{}\n');

    const made = run('ip', ['netns', 'add', namespace]);
    if (made.status !== 0) throw new Error(`ip netns add ${namespace} failed: ${made.stderr.toString()}`);
    namespaceMade = true;
    run('ip', ['netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up']);

    // nsenter joins only the network namespace; `ip netns exec` would also remount /sys and hide the cgroups.
    const startDockerd = async (waitMs: number): Promise<void> => {
      const started = spawn('nsenter', [
        `--net=/run/netns/${namespace}`, 'dockerd',
        '--config-file', join(dir, 'daemon.json'),
        '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'docker.pid'),
        '-H', `unix://${socket}`, '-H', 'tcp://127.0.0.1:2376',
        '--tlsverify', '--tlscacert', join(engineCerts, 'ca.pem'),
        '--tlscert', join(engineCerts, 'server-cert.pem'), '--tlskey', join(engineCerts, 'server-key.pem'),
        '--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-masq=false', '--storage-driver=vfs',
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
      dockerd = started;
      let log = '';
      started.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline && started.exitCode === null) {
        if (existsSync(socket) && (await pingSocket(socket))) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the second dockerd did not start within ${waitMs / 1000} s:\n${log}`);
    };
    await startDockerd(30_000);
    // Stops the engine (SIGTERM: as `systemctl restart` does; SIGKILL: a crash) and starts it again on the same data.
    restart = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
      if (dockerd !== undefined) {
        dockerd.kill(signal);
        await waitExit(dockerd, 20_000);
      }
      // After a SIGKILL its containerd dies with it (parent-death signal) but may take a moment. Its
      // shims would stay: they go too, as in a crash of the whole engine, so nothing of it outlives
      // the test. The new dockerd cleans up each dead task (and stops what still runs) before it answers.
      await endProcesses(ownProcesses(join(dir, 'exec', 'containerd', 'containerd.toml')), 10_000);
      if (signal === 'SIGKILL') {
        const shims = ownProcesses(join(dir, 'exec', 'containerd', 'containerd.sock'));
        await endProcesses([...shims.flatMap(childrenOf), ...shims]); // a container's first process, then its shim
        // The dead engine's pid files stay. If another process has since been given the PID in
        // containerd.pid (PIDs wrap quickly on a busy machine), dockerd takes it for a running
        // containerd, starts none and times out dialling its socket.
        rmSync(join(dir, 'exec', 'containerd', 'containerd.pid'), { force: true });
        rmSync(join(dir, 'docker.pid'), { force: true });
      }
      await startDockerd(signal === 'SIGKILL' ? 120_000 : 30_000);
    };

    const forwarderSocket = join(dir, 'tls-forward.sock');
    const forwarder = spawn('nsenter', [`--net=/run/netns/${namespace}`, process.execPath, '-e', NAMESPACE_FORWARDER, forwarderSocket, '2376'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(forwarder);
    await new Promise<void>((resolve, reject) => {
      forwarder.stdout?.once('data', () => resolve());
      forwarder.once('exit', (code) => reject(new Error(`the namespace forwarder exited (${code})`)));
    });
    const port = await freePort();
    // Half-open both ways: a hijacked call half-closes its input and still reads the output.
    server = createServer({ allowHalfOpen: true }, (c) => {
      const t = connect({ path: forwarderSocket, allowHalfOpen: true });
      c.pipe(t).pipe(c);
      c.on('error', () => t.destroy());
      t.on('error', () => c.destroy());
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));

    const docker = (args: readonly string[], input?: Buffer): SpawnSyncReturns<Buffer> =>
      run('docker', ['-H', `unix://${socket}`, ...args], input === undefined ? {} : { input });
    const image = options.image ?? 'tscompose/busybox:1';
    const saved = spawnSync('docker', ['-H', 'unix:///var/run/docker.sock', 'save', image], { maxBuffer: 1 << 28 });
    if (saved.status !== 0) throw new Error(`docker save ${image} failed: ${saved.stderr.toString()}`);
    const loaded = docker(['load', '-q'], saved.stdout);
    if (loaded.status !== 0) throw new Error(`docker load into the second engine failed: ${loaded.stderr.toString()}`);
    return { dir, socket, tlsHost: `tcp://127.0.0.1:${port}`, certDir, wrongCertDir, docker, restart: (signal) => restart(signal), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
