import * as path from 'node:path';
import { isMapping, type Mapping } from './tree.js';

export interface ResolvePathsOptions {
  /** Relative paths in services and resources resolve against this (the project directory). */
  readonly baseDir: string;
  /** `extends.file` and `include` paths resolve against the directory of the file that names them. */
  readonly fileDir: string;
  /** For `~` in bind mounts. */
  readonly home?: string | undefined;
  /** `--no-path-resolution`: only `extends.file` and `include`, which the loader must open. */
  readonly onlyReferences?: boolean;
}

const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;

export function isRemoteContext(context: string): boolean {
  return REMOTE.test(context);
}

/** Makes relative host paths absolute in a canonical tree. Returns a new tree. */
export function resolveTreePaths(tree: Mapping, options: ResolvePathsOptions): Mapping {
  const out: Mapping = { ...tree };
  const only = options.onlyReferences === true;
  // Files the loader opens itself resolve always; host paths handed to the engine not under --no-path-resolution.
  const referencePath = (p: string, base = options.baseDir): string => resolveHostPath(p, base, options.home);
  const hostPath = (p: string, base = options.baseDir): string => (only ? p : referencePath(p, base));
  if (isMapping(tree['services'])) {
    const services: Mapping = {};
    for (const [name, service] of Object.entries(tree['services'])) {
      services[name] = isMapping(service) ? resolveServicePaths(service, hostPath, referencePath, options) : service;
    }
    out['services'] = services;
  }
  for (const section of ['secrets', 'configs'] as const) {
    const resources = tree[section];
    if (!isMapping(resources)) continue;
    const copy: Mapping = {};
    for (const [key, value] of Object.entries(resources)) {
      copy[key] = isMapping(value) && typeof value['file'] === 'string' ? { ...value, file: hostPath(value['file']) } : value;
    }
    out[section] = copy;
  }
  if (Array.isArray(tree['include'])) {
    out['include'] = tree['include'].map((entry: unknown) => {
      if (!isMapping(entry)) return entry;
      const copy: Mapping = { ...entry };
      if (Array.isArray(copy['path'])) copy['path'] = copy['path'].map((p) => (typeof p === 'string' ? referencePath(p, options.fileDir) : p));
      if (typeof copy['project_directory'] === 'string') copy['project_directory'] = referencePath(copy['project_directory'], options.fileDir);
      if (Array.isArray(copy['env_file'])) copy['env_file'] = copy['env_file'].map((p) => (typeof p === 'string' ? referencePath(p, options.fileDir) : p));
      return copy;
    });
  }
  return out;
}

function resolveServicePaths(
  service: Mapping,
  hostPath: (p: string, base?: string) => string,
  referencePath: (p: string, base?: string) => string,
  options: ResolvePathsOptions,
): Mapping {
  const out: Mapping = { ...service };
  const build = service['build'];
  if (isMapping(build)) {
    const copy: Mapping = { ...build };
    if (typeof copy['context'] === 'string' && !isRemoteContext(copy['context'])) copy['context'] = hostPath(copy['context']);
    if (isMapping(copy['additional_contexts'])) {
      const contexts: Mapping = {};
      for (const [k, v] of Object.entries(copy['additional_contexts'])) {
        // service:NAME, docker-image://…, git and other URLs stay as written; anything else is a folder.
        contexts[k] = typeof v === 'string' && !v.startsWith('service:') && !v.includes('://') && !isRemoteContext(v) ? hostPath(v) : v;
      }
      copy['additional_contexts'] = contexts;
    }
    out['build'] = copy;
  }
  if (Array.isArray(service['volumes'])) {
    out['volumes'] = service['volumes'].map((v: unknown) =>
      isMapping(v) && v['type'] === 'bind' && typeof v['source'] === 'string' ? { ...v, source: hostPath(v['source']) } : v,
    );
  }
  if (Array.isArray(service['env_file'])) {
    out['env_file'] = service['env_file'].map((e: unknown) =>
      isMapping(e) && typeof e['path'] === 'string' ? { ...e, path: hostPath(e['path']) } : e,
    );
  }
  if (Array.isArray(service['label_file'])) {
    out['label_file'] = service['label_file'].map((p: unknown) => (typeof p === 'string' ? hostPath(p) : p));
  }
  const develop = service['develop'];
  if (isMapping(develop) && Array.isArray(develop['watch'])) {
    out['develop'] = {
      ...develop,
      watch: develop['watch'].map((w: unknown) => (isMapping(w) && typeof w['path'] === 'string' ? { ...w, path: referencePath(w['path']) } : w)),
    };
  }
  const extendsRef = service['extends'];
  if (isMapping(extendsRef) && typeof extendsRef['file'] === 'string') {
    out['extends'] = { ...extendsRef, file: referencePath(extendsRef['file'], options.fileDir) };
  }
  return out;
}

/** `~` is the home directory; anything else relative is taken from `base`. Windows paths stay as written. */
export function resolveHostPath(p: string, base: string, home: string | undefined): string {
  if (p === '~' && home !== undefined) return home;
  if (p.startsWith('~/') && home !== undefined) return path.join(home, p.slice(2));
  if (/^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\')) return p;
  return path.resolve(base, p);
}
