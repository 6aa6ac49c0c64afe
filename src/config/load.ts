import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { parseEnvBool } from '../model/env-bool.js';
import { readNamedFile } from './config-reader.js';
import { lookupIn } from './environment.js';
import type { LoadOptions, LoadResult } from './load-options.js';
import { nodeConfigReader } from './node-reader.js';
import {
  PARSED_TREE_FORMAT, parseComposeText, restoreParsedDocuments, toParsedDocumentData, type ComposeParser, type ParsedDocumentData,
} from './parse.js';
import { runPipeline } from './pipeline.js';
import { resolveProjectContext } from './project-context.js';
import { resolveProjectName } from './project-name.js';
import { extractTemplateVariables, substituteTemplate, type TemplateVariable } from './template.js';

export type { LoadOptions, LoadResult } from './load-options.js';

/**
 * Parsing YAML is most of what loading a large file costs (about 0.1 s for 200 services). Parsed
 * trees are kept as JSON under the user's cache folder, keyed by the file's content, so a file
 * that did not change is read back instead of parsed. Off with TSCOMPOSE_PARSE_CACHE=0; any
 * failure to read or write the cache just means parsing.
 */
export function cachingParser(env: Readonly<Record<string, string | undefined>>): ComposeParser {
  const base = env['TSCOMPOSE_CACHE_DIR'] ?? (env['XDG_CACHE_HOME'] ?? (env['HOME'] === undefined ? undefined : join(env['HOME'], '.cache')));
  if (parseEnvBool(env['TSCOMPOSE_PARSE_CACHE']) === false || base === undefined) return parseComposeText;
  const folder = join(base, 'tscompose', `parsed-v${PARSED_TREE_FORMAT}`);
  return (text, file) => {
    const key = createHash('sha256').update(text).digest('hex');
    const cached = join(folder, `${key}.json`);
    try {
      return restoreParsedDocuments(JSON.parse(fs.readFileSync(cached, 'utf8')) as ParsedDocumentData[], text, file);
    } catch {
      // not cached yet (or unreadable): parse
    }
    const docs = parseComposeText(text, file);
    try {
      const json = JSON.stringify(toParsedDocumentData(docs), (_key, value: unknown) => {
        // JSON has no Infinity or NaN: such a file is simply not cached.
        if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('not JSON');
        return value;
      });
      fs.mkdirSync(folder, { recursive: true });
      const temporary = `${cached}.${randomBytes(4).toString("hex")}.tmp`;
      fs.writeFileSync(temporary, json);
      fs.renameSync(temporary, cached);
    } catch {
      // a read-only home or a full disk: no cache, same result
    }
    return docs;
  };
}

export async function loadProject(options: LoadOptions): Promise<LoadResult> {
  return runPipeline(options, { reader: nodeConfigReader, parse: cachingParser(options.env) });
}

/**
 * The project name alone, for commands that can work from labels when no compose file is at hand
 * (`down -p x`, `ps -p x`): -p, COMPOSE_PROJECT_NAME, then the files' `name:` or folder if found.
 */
export async function loadProjectName(options: LoadOptions): Promise<string> {
  if (options.projectName !== undefined && options.projectName !== '') {
    return resolveProjectName({ flag: options.projectName, projectDirectory: options.cwd }).name;
  }
  const context = resolveProjectContext(options, nodeConfigReader);
  let fromFiles: string | undefined;
  for (const file of context.files) {
    const text = file === '-' ? await options.readStdin?.() : readNamedFile(nodeConfigReader, file, 'compose file');
    if (text === undefined) continue;
    for (const doc of cachingParser(options.env)(text, file)) {
      const raw = doc.tree['name'];
      if (raw !== undefined && raw !== null) fromFiles = substituteTemplate(String(raw), { lookup: lookupIn(context.environment) });
    }
  }
  return resolveProjectName({
    env: context.environment['COMPOSE_PROJECT_NAME'],
    fromFiles,
    projectDirectory: context.projectDirectory,
  }).name;
}

export interface ProjectVariable extends TemplateVariable {
  /** The value the environment gives it, if any. */
  readonly value?: string;
}

/** Every variable the compose files refer to, sorted by name (`config --variables`). */
export async function loadProjectVariables(options: LoadOptions): Promise<ProjectVariable[]> {
  const context = resolveProjectContext(options, nodeConfigReader);
  const found = new Map<string, ProjectVariable>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const variable of extractTemplateVariables(value)) {
        if (found.has(variable.name)) continue;
        const current = lookupIn(context.environment)(variable.name);
        found.set(variable.name, { ...variable, ...(current === undefined ? {} : { value: current }) });
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  for (const file of context.files) {
    const text = file === '-' ? await options.readStdin?.() : readNamedFile(nodeConfigReader, file, 'compose file');
    if (text !== undefined) for (const doc of parseComposeText(text, file)) visit(doc.tree);
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
