import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './registry.js';

/**
 * An sshd of our own on a free 127.0.0.1 port, with a host key and a client key made here, whose
 * sessions reach the given engine socket: `DOCKER_HOST=ssh://root@127.0.0.1:PORT` then runs the
 * remote `docker system dial-stdio` against it. The client side is an `ssh` wrapper first on PATH
 * that adds our key and known-hosts file (ssh reads ~/.ssh from the passwd entry, not from HOME).
 */
export interface SshServer {
  readonly host: string;
  /** Put first on PATH: `ssh` with this server's key and options. */
  readonly binDir: string;
  /** Logins sshd has accepted so far (each one a TCP connection, key exchange and authentication). */
  logins(): number;
  stop(): Promise<void>;
}

export function sshMissing(): string | undefined {
  for (const tool of ['sshd', 'ssh', 'ssh-keygen']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`]).status === 0;
    if (!found) return `${tool} is not installed (apt-get install openssh-server openssh-client; scripts/ensure-engine.sh does it)`;
  }
  return undefined;
}

function keygen(path: string): void {
  const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path], { stdio: 'pipe' });
  if (made.status !== 0) throw new Error(`ssh-keygen failed: ${made.stderr.toString()}`);
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `dir` must exist and is removed by the caller; `engineSocket` is what the remote `docker` talks to. */
export async function startSshServer(dir: string, engineSocket: string): Promise<SshServer> {
  const ssh = join(dir, 'ssh');
  mkdirSync(ssh, { recursive: true });
  chmodSync(ssh, 0o700);
  keygen(join(ssh, 'host_key'));
  keygen(join(ssh, 'client_key'));
  writeFileSync(join(ssh, 'authorized_keys'), readFileSync(join(ssh, 'client_key.pub')));
  chmodSync(join(ssh, 'authorized_keys'), 0o600);
  const port = await freePort();
  writeFileSync(join(ssh, 'sshd_config'), [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${join(ssh, 'host_key')}`,
    `AuthorizedKeysFile ${join(ssh, 'authorized_keys')}`,
    `PidFile ${join(ssh, 'sshd.pid')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'MaxStartups 64',
    'MaxSessions 64',
    `SetEnv DOCKER_HOST=unix://${engineSocket}`,
    '',
  ].join('\n'));
  writeFileSync(join(ssh, 'ssh_config'), [
    'Host 127.0.0.1',
    `  IdentityFile ${join(ssh, 'client_key')}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${join(ssh, 'known_hosts')}`,
    '  StrictHostKeyChecking accept-new',
    '  LogLevel ERROR',
    '',
  ].join('\n'));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  const realSsh = spawnSync('sh', ['-c', 'command -v ssh']).stdout.toString().trim();
  writeFileSync(join(binDir, 'ssh'), `#!/bin/sh\nexec ${realSsh} -F ${join(ssh, 'ssh_config')} "$@"\n`);
  chmodSync(join(binDir, 'ssh'), 0o755);
  // sshd wants its privilege-separation directory.
  mkdirSync('/run/sshd', { recursive: true });
  const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(ssh, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let logins = 0;
  let pending = '';
  sshd.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
    const lines = (pending + d.toString()).split('\n');
    pending = lines.pop() ?? '';
    logins += lines.filter((l) => l.includes('Accepted publickey')).length;
  });
  const stop = async (): Promise<void> => {
    if (sshd.exitCode === null && sshd.signalCode === null) {
      const exited = new Promise((resolve) => sshd.once('exit', resolve));
      sshd.kill('SIGTERM');
      await exited;
    }
  };
  for (let i = 0; i < 100 && sshd.exitCode === null; i++) {
    if (await listening(port)) return { host: `127.0.0.1:${port}`, binDir, logins: () => logins, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`sshd did not start on 127.0.0.1:${port}: ${log}`);
}
