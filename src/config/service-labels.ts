import type { KeyPath, Locator } from './locator.js';
import { configErrorAt } from './config-error.js';
import { parseDotenv } from './dotenv.js';
import { isMapping, type Mapping } from './tree.js';

/**
 * `label_file`: KEY=VALUE files read in order (a later file wins, a variable refers to labels read
 * before it), then `labels:` on top; a missing file is an error. As compose-go does, the files are
 * folded into `labels` and `label_file` leaves the model. Empty when the service has none.
 */
export function resolveLabelFiles(
  service: Mapping,
  servicePath: KeyPath,
  options: { readonly readFile: (path: string) => string | undefined; readonly locator?: Locator },
): Mapping {
  const files = Array.isArray(service['label_file']) ? service['label_file'] : [];
  if (service['label_file'] === undefined) return {};
  const labels = new Map<string, string>();
  files.forEach((file: unknown, index) => {
    if (typeof file !== 'string') return;
    const text = options.readFile(file);
    if (text === undefined) {
      throw configErrorAt(options.locator, [...servicePath, 'label_file', index], `label file ${file} not found`, 'create the file or fix the path');
    }
    for (const [key, value] of parseDotenv(text, { file, fallback: (name) => labels.get(name) })) labels.set(key, value);
  });
  const declared = isMapping(service['labels']) ? service['labels'] : {};
  return { labels: { ...Object.fromEntries(labels), ...declared }, label_file: undefined };
}
