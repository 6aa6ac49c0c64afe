import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { NamedContextRequest } from '../engine/engine.js';
import { parseGitContext } from '../model/git-url.js';
import { serviceImage } from '../model/naming.js';
import type { Project, Service } from '../model/project.js';

/** Where one of a service's `additional_contexts` comes from. */
type NamedContextSource =
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 'git'; readonly url: string }
  | { readonly kind: 'image'; readonly image: string }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'unsupported'; readonly value: string; readonly reason: string };

interface NamedContext {
  readonly name: string;
  readonly source: NamedContextSource;
}

const SERVICE_PREFIX = 'service:';
const IMAGE_PREFIX = 'docker-image://';

/** One `additional_contexts` value, classified (paths are absolute after loading). */
function classifyContext(value: string): NamedContextSource {
  if (value.startsWith(SERVICE_PREFIX)) return { kind: 'service', service: value.slice(SERVICE_PREFIX.length) };
  if (value.startsWith(IMAGE_PREFIX)) return { kind: 'image', image: value.slice(IMAGE_PREFIX.length) };
  if (parseGitContext(value) !== undefined) return { kind: 'git', url: value };
  if (value.startsWith('oci-layout://')) return { kind: 'unsupported', value, reason: 'an OCI layout cannot be read by the engine\'s image store' };
  if (/^https?:\/\//.test(value)) return { kind: 'unsupported', value, reason: 'a tarball URL is fetched only by BuildKit\'s named-context support, which this engine lacks' };
  if (isAbsolute(value)) return { kind: 'folder', path: value };
  return { kind: 'unsupported', value, reason: 'it is neither a folder, a git URL, docker-image://IMAGE nor service:NAME' };
}

/** A service's named contexts, in name order. */
export function namedContexts(service: Service | undefined): NamedContext[] {
  const contexts = service?.build?.additional_contexts ?? {};
  return Object.keys(contexts).sort().map((name) => ({ name, source: classifyContext(contexts[name] as string) }));
}

/** The services whose images a service's build reads through `service:` contexts (built first). */
export function contextServices(service: Service | undefined): string[] {
  return namedContexts(service).flatMap((c) => (c.source.kind === 'service' ? [c.source.service] : []));
}

/**
 * The image that stands in for a folder or git context while the build runs: made from the folder
 * just before, removed just after. Named per project, service and context, so a leftover (a killed
 * run) is replaced by the next build rather than piling up.
 */
function contextImageName(project: string, service: string, name: string): string {
  const words = `${project}-${service}-${name}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  const hash = createHash('sha256').update(`${project}\0${service}\0${name}`).digest('hex').slice(0, 12);
  return `tscompose-context/${words || 'context'}:${hash}`;
}

/** What the engine's build is told about the contexts: the image each name stands for, and how to make it. */
export function namedContextRequests(project: Project, serviceName: string): NamedContextRequest[] {
  return namedContexts(project.services[serviceName]).flatMap((c): NamedContextRequest[] => {
    const source = c.source;
    switch (source.kind) {
      case 'image':
        return [{ name: c.name, image: source.image }];
      case 'service':
        return [{ name: c.name, image: serviceImage(project, source.service) }];
      case 'folder':
        return [{ name: c.name, image: contextImageName(project.name, serviceName, c.name), from: { folder: source.path } }];
      case 'git':
        return [{ name: c.name, image: contextImageName(project.name, serviceName, c.name), from: { git: source.url } }];
      case 'unsupported':
        return [];
    }
  });
}

/**
 * The images a build reads, once its Dockerfile's context names are resolved: a folder or git
 * context reads no image (its content is digested apart), an image or service context reads that
 * image. Names are compared case-insensitively, as the rewrite does.
 */
export function imagesThroughContexts(images: readonly string[], requests: readonly NamedContextRequest[]): string[] {
  const byName = new Map(requests.map((r) => [r.name.toLowerCase(), r]));
  const out = new Set<string>();
  for (const image of images) {
    const context = byName.get(image.toLowerCase());
    if (context === undefined) out.add(image);
    else if (context.from === undefined) out.add(context.image);
  }
  return [...out];
}

/**
 * The given services and, transitively, those their builds read through `service:` contexts, each
 * after the ones it reads: depth first from the given services in their order, as they were given
 * otherwise. `follows` says whose contexts count (a service that is not built reads none). A loop,
 * not recursion: a chain is as long as the user makes it.
 */
export function contextOrder(project: Project, services: readonly string[], follows: (name: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const reads = (name: string): string[] =>
    (follows(name) ? contextServices(project.services[name]).filter((dep) => Object.hasOwn(project.services, dep)) : []);
  for (const root of services) {
    if (seen.has(root) || !Object.hasOwn(project.services, root)) continue;
    seen.add(root);
    const stack = [{ name: root, deps: reads(root), next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { name: string; deps: string[]; next: number };
      const dep = top.deps[top.next++];
      if (dep === undefined) {
        out.push(top.name);
        stack.pop();
      } else if (!seen.has(dep)) {
        seen.add(dep);
        stack.push({ name: dep, deps: reads(dep), next: 0 });
      }
    }
  }
  return out;
}
