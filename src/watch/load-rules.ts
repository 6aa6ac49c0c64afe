import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Project, Service } from '../model/project.js';
import { dockerignorePatterns } from './ignore-rules.js';
import { serviceWatchRules, watchedServices, type WatchRule } from './rules.js';

/** The build context's ignore file as Compose reads it: `<Dockerfile>.dockerignore` first, else `.dockerignore`. */
async function readDockerignore(service: Service): Promise<string[] | undefined> {
  const context = service.build?.context;
  if (context === undefined) return undefined;
  const candidates = [`${service.build?.dockerfile ?? 'Dockerfile'}.dockerignore`, '.dockerignore'];
  for (const name of candidates) {
    const text = await readFile(resolve(context, name), 'utf8').catch(() => undefined);
    if (text !== undefined) return dockerignorePatterns(text);
  }
  return undefined;
}

/** Every watch rule of the selected services (all when none are named); refuses a project with none. */
export async function loadWatchRules(project: Project, selected: readonly string[], warn: (message: string) => void): Promise<WatchRule[]> {
  const services = watchedServices(project, selected);
  if (services.length === 0) {
    throw new ConfigError('none of the selected services is configured for watch', {
      keyPath: 'services.*.develop.watch',
      hint: 'add a develop.watch section to a service (path, action, target), see docs/watch.md',
    });
  }
  const rules: WatchRule[] = [];
  for (const service of services) {
    const definition = project.services[service] as Service;
    const dockerignore = await readDockerignore(definition);
    rules.push(...serviceWatchRules({ service, definition, ...(dockerignore === undefined ? {} : { dockerignore }) }, warn));
  }
  return rules;
}
