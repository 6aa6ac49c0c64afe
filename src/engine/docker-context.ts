import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Docker CLI's name for the endpoint given by -H, DOCKER_HOST and the default socket. */
export const DEFAULT_CONTEXT = 'default';

/** One context of the Docker CLI's store: its docker endpoint and the TLS files kept beside it. */
export interface StoredContext {
  readonly name: string;
  readonly host: string;
  readonly skipTlsVerify: boolean;
  /** `contexts/tls/<id>/docker/`: ca.pem, cert.pem and key.pem when the context was made with TLS. */
  readonly tlsDirectory: string;
  readonly metaPath: string;
}

/** The store keys a context by the sha256 of its name, so any name is a safe directory name. */
export function contextId(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

interface MetaFile {
  readonly Name?: unknown;
  readonly Endpoints?: { readonly docker?: { readonly Host?: unknown; readonly SkipTLSVerify?: unknown } };
}

export type ContextLookup =
  | { readonly found: true; readonly context: StoredContext }
  | { readonly found: false; readonly reason: 'missing' | 'no-docker-endpoint' | 'unreadable'; readonly metaPath: string; readonly detail?: string };

/** Reads `contexts/meta/<id>/meta.json` under the Docker config directory. */
export function readContext(configDir: string, name: string): ContextLookup {
  const id = contextId(name);
  const metaPath = join(configDir, 'contexts', 'meta', id, 'meta.json');
  let meta: MetaFile;
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as MetaFile;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { found: false, reason: 'missing', metaPath };
    return { found: false, reason: 'unreadable', metaPath, detail: (error as Error).message };
  }
  const docker = meta.Endpoints?.docker;
  if (docker === undefined || typeof docker.Host !== 'string' || docker.Host === '') {
    return { found: false, reason: 'no-docker-endpoint', metaPath };
  }
  return {
    found: true,
    context: {
      name,
      host: docker.Host,
      skipTlsVerify: docker.SkipTLSVerify === true,
      tlsDirectory: join(configDir, 'contexts', 'tls', id, 'docker'),
      metaPath,
    },
  };
}

/** The names of the stored contexts, for the hint of an unknown one. */
export function contextNames(configDir: string): string[] {
  const root = join(configDir, 'contexts', 'meta');
  let ids: string[];
  try {
    ids = readdirSync(root);
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const id of ids) {
    try {
      const meta = JSON.parse(readFileSync(join(root, id, 'meta.json'), 'utf8')) as MetaFile;
      if (typeof meta.Name === 'string') names.push(meta.Name);
    } catch {
      // a broken entry is the CLI's to report; it is only left out of the hint
    }
  }
  return names.sort();
}
