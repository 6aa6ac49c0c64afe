import type { Engine, EngineProvider } from './engine.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveEngineAddress } from './docker-host.js';

/**
 * An engine provider that builds the client on first use and checks once that something answers,
 * so a missing engine fails with one clear message before any work starts.
 */
export function createEngineProvider(env: Readonly<Record<string, string | undefined>>): EngineProvider {
  let connecting: Promise<Engine> | undefined;
  return () => {
    connecting ??= (async () => {
      const address = resolveEngineAddress(env);
      const { DockerEngine } = await import('./docker-engine.js');
      const configDir = env['DOCKER_CONFIG'] ?? join(env['HOME'] ?? homedir(), '.docker');
      const engine = new DockerEngine(address, { dockerConfigDir: configDir });
      await engine.system.ping();
      return engine;
    })();
    return connecting;
  };
}
