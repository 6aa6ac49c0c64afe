import { createHash } from 'node:crypto';
import { mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { InterruptedError } from '../errors.js';

/** Held while one run reads, plans and applies a project; released by `release()` or by the process ending. */
export interface ProjectLock {
  release(): Promise<void>;
}

export interface LockWaitOptions {
  readonly signal?: AbortSignal;
  /** Called once when another process holds the lock, with its PID when it said. */
  readonly onWait?: (holderPid: number | undefined) => void;
}

/**
 * Serialises the runs of one project against one engine on this machine.
 *
 * The lock is a listening Unix socket: the kernel lets one process listen on a name at a time and
 * closes the socket when that process ends, however it ends (SIGKILL included), so no stale lock
 * outlives its holder and no PID is ever guessed at. On Linux the socket is in the abstract
 * namespace (no file at all); elsewhere it is a file in a per-user folder, and a file nobody
 * listens on any more is a dead holder's, removed and taken over.
 * A waiter connects to the holder, which tells its PID; the holder closing that connection (on
 * release, or by dying) is the waiter's cue to try again: no polling.
 */
export async function lockProject(endpoint: string, project: string, options: LockWaitOptions = {}): Promise<ProjectLock> {
  const address = lockAddress(endpoint, project);
  let told = false;
  for (;;) {
    if (options.signal?.aborted === true) throw interrupted(project);
    const server = await tryListen(address);
    if (server !== undefined) return holding(server);
    const outcome = await waitForHolder(address, options.signal, (pid) => {
      if (told) return;
      told = true;
      options.onWait?.(pid);
    });
    if (outcome === 'aborted') throw interrupted(project);
    if (outcome === 'stale') removeStale(address);
  }
}

function interrupted(project: string): InterruptedError {
  return new InterruptedError(`interrupted while waiting for another run of project ${project} to finish`);
}

/** One name per engine and project; the hash keeps any endpoint or project name a valid socket name. */
export function lockAddress(endpoint: string, project: string): string {
  const key = createHash('sha256').update(`${endpoint}\n${project}`).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0tscompose-lock-${key}`;
  const dir = join(tmpdir(), `tscompose-locks-${userInfo().uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `${key}.sock`);
}

function tryListen(address: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else reject(error);
    });
    server.listen(address, () => resolve(server));
  });
}

function holding(server: Server): ProjectLock {
  const waiters = new Set<Socket>();
  server.on('connection', (socket) => {
    waiters.add(socket);
    socket.on('close', () => waiters.delete(socket));
    socket.on('error', () => undefined);
    socket.unref();
    socket.write(`${process.pid}\n`);
  });
  // The lock never keeps the process alive on its own.
  server.unref();
  let released: Promise<void> | undefined;
  return {
    release(): Promise<void> {
      released ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of waiters) socket.destroy();
      });
      return released;
    },
  };
}

type WaitOutcome = 'released' | 'stale' | 'aborted';

/**
 * Connects to the holder and waits for it to hang up ('released'); 'stale' when nobody listens.
 * `onHeld` gets the PID the holder tells.
 */
function waitForHolder(address: string, signal: AbortSignal | undefined, onHeld: (pid: number | undefined) => void): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    const socket = createConnection(address);
    let text = '';
    let settled = false;
    const settle = (outcome: WaitOutcome): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => settle('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk) => {
      if (text.includes('\n')) return;
      text += chunk.toString('utf8');
      if (!text.includes('\n')) return;
      const pid = Number(text.split('\n')[0]);
      onHeld(Number.isInteger(pid) && pid > 0 ? pid : undefined);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      settle(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'stale' : 'released');
    });
    socket.on('close', () => settle('released'));
  });
}

function removeStale(address: string): void {
  if (address.startsWith('\0')) return;
  try {
    unlinkSync(address);
  } catch {
    // Someone else removed it first.
  }
}
