import type { Engine, EngineProvider } from './engine.js';
import { digestCacheDir, dockerConfigDir, resolveEngineAddress, type EngineTarget } from './docker-host.js';

/**
 * An engine provider that resolves the endpoint and builds the client on first use, and checks once
 * that something answers, so a missing engine or an unknown context fails with one clear message
 * before any work starts.
 */
export function createEngineProvider(env: Readonly<Record<string, string | undefined>>, target: EngineTarget = {}): EngineProvider {
  let connecting: Promise<Engine> | undefined;
  return () => {
    connecting ??= (async () => {
      const address = resolveEngineAddress(env, target);
      const { DockerEngine } = await import('./docker-engine.js');
      const engine = new DockerEngine(address, { dockerConfigDir: dockerConfigDir(env), digestCacheDir: digestCacheDir(env) });
      await engine.system.ping();
      return engine;
    })();
    return connecting;
  };
}
