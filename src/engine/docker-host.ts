import { EngineUnavailableError, UsageError } from '../errors.js';

export type EngineAddress =
  | { readonly kind: 'unix'; readonly socketPath: string; readonly display: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly display: string };

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Where to reach the engine: DOCKER_HOST, else the default socket. */
export function resolveEngineAddress(env: Readonly<Record<string, string | undefined>>): EngineAddress {
  const raw = env['DOCKER_HOST']?.trim();
  if (raw === undefined || raw === '') {
    return { kind: 'unix', socketPath: DEFAULT_SOCKET, display: `unix://${DEFAULT_SOCKET}` };
  }
  if (raw.startsWith('unix://')) {
    return { kind: 'unix', socketPath: raw.slice('unix://'.length), display: raw };
  }
  if (raw.startsWith('tcp://') || raw.startsWith('http://')) {
    if (env['DOCKER_TLS_VERIFY'] !== undefined && env['DOCKER_TLS_VERIFY'] !== '' && env['DOCKER_TLS_VERIFY'] !== '0') {
      throw new UsageError(
        `DOCKER_HOST=${raw} with DOCKER_TLS_VERIFY: TLS connections to the engine are not supported yet`,
        'use the engine\'s unix socket, or an SSH tunnel to it',
      );
    }
    const url = new URL(raw.replace(/^tcp:/, 'http:'));
    return { kind: 'tcp', host: url.hostname, port: url.port === '' ? 2375 : Number(url.port), display: raw };
  }
  throw new UsageError(
    `DOCKER_HOST=${raw}: unsupported address`,
    'use unix:///path/to/docker.sock or tcp://host:port',
  );
}

export function engineUnavailable(address: EngineAddress, cause: unknown): EngineUnavailableError {
  const where = address.kind === 'unix' ? `the socket ${address.socketPath}` : address.display;
  const how =
    'start one: `npm run engine` (as root on Debian it installs and starts dockerd), `sudo systemctl start docker`, ' +
    'or Docker Desktop; or point DOCKER_HOST at an engine that is running';
  return new EngineUnavailableError(`no Docker engine answers at ${address.display} (${where})`, { hint: how, cause });
}
