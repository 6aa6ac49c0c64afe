import { ConfigError } from '../errors.js';
import { formatKeyPath, type KeyPath, type Locator } from './locator.js';

/** A ConfigError placed at `path`: file:line:column, the key path and the source line. */
export function configErrorAt(
  locator: Locator | undefined,
  path: KeyPath,
  message: string,
  hint?: string,
): ConfigError {
  const position = locator?.position(path);
  const sourceLine = position === undefined ? undefined : locator?.line(position.line);
  const details: ConstructorParameters<typeof ConfigError>[1] = { keyPath: formatKeyPath(path) };
  return new ConfigError(message, {
    ...details,
    ...(position === undefined ? {} : { position }),
    ...(sourceLine === undefined ? {} : { sourceLine }),
    ...(hint === undefined ? {} : { hint }),
  });
}
