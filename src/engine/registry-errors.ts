import { RegistryError } from '../errors.js';
import { withTag } from './registry-auth.js';

/**
 * Turns the engine's registry messages into one a user can act on:
 * `manifest for x:1 not found: manifest unknown` → `image x:1 not found in registry R`.
 */
export function registryFailure(
  action: 'pull' | 'push',
  reference: string,
  registry: string,
  message: string,
  context: { readonly configPath: string; readonly hasCredentials: boolean },
): RegistryError {
  const image = withTag(reference);
  if (/manifest unknown|not found: manifest|repository .* not found|does not exist|name unknown|No such image/i.test(message)) {
    return new RegistryError(
      action === 'pull' ? `image ${image} not found in registry ${registry}` : `image ${image} does not exist locally, so it cannot be pushed`,
      {
        hint: action === 'pull'
          ? 'check the name and tag (a typo, or an image that was never pushed there)'
          : 'build it first (tscompose build), or check the image name',
      },
    );
  }
  if (/unauthorized|authentication required|no basic auth credentials|denied|forbidden|incorrect username or password|401/i.test(message)) {
    return new RegistryError(`registry ${registry} refused the login to ${action} ${image}: ${message}`, {
      hint: context.hasCredentials
        ? `the credentials for ${registry} in ${context.configPath} were refused: log in again (docker login ${registry})`
        : `no credentials for ${registry} in ${context.configPath}: log in first (docker login ${registry})`,
    });
  }
  if (/connection refused|no such host|i\/o timeout|dial tcp|server gave HTTP response to HTTPS client|network is unreachable/i.test(message)) {
    return new RegistryError(`registry ${registry} cannot be reached to ${action} ${image}: ${message}`, {
      hint: registry.startsWith('127.') || registry.startsWith('localhost')
        ? 'start the registry, or check its port'
        : 'check the network, or mark the registry as insecure in the engine\'s daemon.json if it speaks plain HTTP',
    });
  }
  return new RegistryError(`${action} ${image} ${action === 'pull' ? 'from' : 'to'} ${registry} failed: ${message}`);
}
