import { closestMatch } from '../model/suggest.js';
import type { KeyPath } from './locator.js';
import {
  annotationAt,
  describeKind,
  describeValue,
  expectedAt,
  joinWords,
  parentPointer,
  schemaNodeAt,
  type SchemaNode,
} from './schema-words.js';

/** One error as ajv reports it (`messages: false`: we word our own). */
export interface SchemaError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The one problem reported to the user, out of ajv's list. */
export interface SchemaProblem {
  /** The node the message is about; the message starts with it. */
  readonly path: KeyPath;
  /** The node to point at in the file (an unknown key itself, a duplicate entry...). */
  readonly positionPath: KeyPath;
  readonly message: string;
  readonly hint: string;
}

interface Located {
  readonly error: SchemaError;
  readonly path: KeyPath;
}

const combinators = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'if']);

/**
 * Reduces ajv's errors to the most specific one: the deepest value wins; within one anyOf, a branch
 * that matched the value's type (and failed deeper or on a detail) wins over branches of another type;
 * when every branch failed on the type, the anyOf as a whole says what was expected.
 */
export function describeSchemaError(errors: readonly SchemaError[], tree: unknown): SchemaProblem {
  const located = errors.map((error) => ({ error, path: toKeyPath(error.instancePath, tree) }));
  const leaves = located.filter((entry) => !combinators.has(entry.error.keyword));
  if (leaves.length === 0) {
    const first = located[0];
    const path = first?.path ?? [];
    return {
      path,
      positionPath: path,
      message: 'does not match the Compose Specification',
      hint: 'check this value against the Compose Specification',
    };
  }
  const depthOf = (entry: Located): number => entry.path.length + (entry.error.keyword === 'additionalProperties' ? 1 : 0);
  const deepest = Math.max(...leaves.map(depthOf));
  const candidates = leaves.filter((entry) => depthOf(entry) === deepest);
  const specific = candidates.filter((entry) => entry.error.keyword !== 'type');

  if (specific.length === 0) {
    const first = candidates[0] as Located;
    // The outermost anyOf over this same value (ajv reports it after its branches) says what was expected.
    const context = [...located]
      .reverse()
      .find((entry) => combinators.has(entry.error.keyword) && entry.error.instancePath === first.error.instancePath);
    const pointer = parentPointer((context ?? first).error.schemaPath);
    return typeProblem(first.path, valueAt(tree, first.path), pointer);
  }
  const required = specific.filter((entry) => entry.error.keyword === 'required');
  if (required.length > 1 && required.length === specific.length) {
    const missing = [...new Set(required.map((entry) => String(entry.error.params.missingProperty)))];
    const path = (required[0] as Located).path;
    return {
      path,
      positionPath: path,
      message: `needs one of the keys ${joinWords(missing.map((key) => `"${key}"`))}`,
      hint: `add ${joinWords(missing.map((key) => `"${key}"`))}`,
    };
  }
  return specificProblem(specific[0] as Located, tree);
}

function specificProblem({ error, path }: Located, tree: unknown): SchemaProblem {
  const value = valueAt(tree, path);
  const node = schemaNodeAt(parentPointer(error.schemaPath));
  switch (error.keyword) {
    case 'additionalProperties':
      return unknownKeyProblem(path, String(error.params.additionalProperty), node, value);
    case 'required':
      return requiredProblem(path, String(error.params.missingProperty), node);
    case 'enum':
      return enumProblem(path, value, (error.params.allowedValues ?? node?.enum ?? []) as readonly unknown[]);
    case 'uniqueItems': {
      // ajv's two algorithms (scalars, deep equality) report the pair in opposite orders.
      const later = Math.max(Number(error.params.i), Number(error.params.j));
      const earlier = Math.min(Number(error.params.i), Number(error.params.j));
      const duplicate = Array.isArray(value) ? value[later] : undefined;
      const shown = typeof duplicate === 'object' && duplicate !== null ? '' : ` (${describeValue(duplicate)})`;
      return {
        path,
        positionPath: [...path, later],
        message: `entries [${earlier}] and [${later}] are the same${shown}`,
        hint: `remove the duplicate entry [${later}]`,
      };
    }
    case 'pattern':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return valueProblem(path, value, error);
    default:
      return {
        path,
        positionPath: path,
        message: `does not match the Compose Specification (${error.keyword})`,
        hint: `expected ${expectedAt(parentPointer(error.schemaPath))}`,
      };
  }
}

function typeProblem(path: KeyPath, value: unknown, pointer: string): SchemaProblem {
  const expected = expectedAt(pointer);
  const got = describeKind(value);
  return {
    path,
    positionPath: path,
    message: `expected ${expected}, got ${got}`,
    hint: annotationAt(pointer, 'hint') ?? typeHint(path, value, expected, pointer),
  };
}

function typeHint(path: KeyPath, value: unknown, expected: string, pointer: string): string {
  const key = path[path.length - 1];
  if (value === null || value === undefined) return `give ${key === undefined ? 'it' : `"${key}"`} a value, or remove it`;
  if (pointer === '#/$defs/service' && typeof value === 'string') {
    return `a service is a mapping of its keys; to run an image, write "image: ${value}" under "${String(key)}:"`;
  }
  if (typeof value === 'string' && expected.startsWith('a sequence')) return `write it as a sequence, e.g. ["${value}"]`;
  if ((typeof value === 'number' || typeof value === 'boolean') && / string|^a path|name/.test(expected)) {
    return `put the value in quotes: "${String(value)}"`;
  }
  return `change the value to ${expected}`;
}

function valueProblem(path: KeyPath, value: unknown, error: SchemaError): SchemaProblem {
  const pointer = parentPointer(error.schemaPath);
  let expected = annotationAt(pointer, 'expected');
  if (expected === undefined) {
    if (error.keyword === 'pattern') expected = `a string matching ${String(error.params.pattern)}`;
    else expected = `a number ${String(error.params.comparison)} ${String(error.params.limit)}`;
  }
  return {
    path,
    positionPath: path,
    message: `expected ${expected}, got ${describeValue(value)}`,
    hint: annotationAt(pointer, 'hint') ?? `change the value to ${expected}`,
  };
}

function enumProblem(path: KeyPath, value: unknown, allowed: readonly unknown[]): SchemaProblem {
  const words = allowed.map(describeValue);
  const suggestion = typeof value === 'string' ? closestMatch(value, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
  return {
    path,
    positionPath: path,
    message: `expected ${words.length === 1 ? words[0] : `one of ${joinWords(words)}`}, got ${describeValue(value)}${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`,
    hint: suggestion === undefined ? `use ${words.length === 1 ? words[0] : `one of ${joinWords(words)}`}` : `change it to "${suggestion}"`,
  };
}

function requiredProblem(path: KeyPath, missing: string, node: SchemaNode | undefined): SchemaProblem {
  const properties = node?.properties as Record<string, SchemaNode> | undefined;
  const property = properties?.[missing];
  const choices = Array.isArray(property?.enum) ? ` (${joinWords(property.enum.map(describeValue))})` : '';
  return {
    path,
    positionPath: path,
    message: `missing required key "${missing}"`,
    hint: `add "${missing}"${choices}`,
  };
}

const namePatternWords: Readonly<Record<string, string>> = {
  '^[a-zA-Z0-9._-]+$': 'names may only contain letters, digits, ".", "_" and "-"',
  '^[a-z]+$': 'names are lowercase letters only, such as nofile or nproc',
};

// Service keys that users often write one level too high.
const nestedHomes = ['deploy', 'build', 'healthcheck', 'logging'] as const;

function unknownKeyProblem(path: KeyPath, key: string, node: SchemaNode | undefined, value: unknown): SchemaProblem {
  const properties = (node?.properties ?? {}) as Record<string, SchemaNode>;
  const known = Object.keys(properties);
  const positionPath = [...path, key];
  if (known.length === 0 && typeof node?.nameOf === 'string') {
    const patterns = Object.keys((node.patternProperties ?? {}) as object);
    const rule = patterns.map((pattern) => namePatternWords[pattern]).find((words) => words !== undefined);
    return {
      path,
      positionPath,
      message: `"${key}" is not a valid ${node.nameOf} name`,
      hint: rule ?? `rename "${key}"`,
    };
  }
  const suggestion = closestMatch(key, known);
  const message = `${path.length === 0 ? 'unknown top-level key' : 'unknown key'} "${key}"${
    suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`
  }`;
  return { path, positionPath, message, hint: unknownKeyHint(path, key, suggestion, known, node, value) };
}

function unknownKeyHint(
  path: KeyPath,
  key: string,
  suggestion: string | undefined,
  known: readonly string[],
  node: SchemaNode | undefined,
  value: unknown,
): string {
  if (suggestion !== undefined) return `rename "${key}" to "${suggestion}"`;
  const parentValue = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  if (path.length === 0 && isMapping(parentValue) && ('image' in parentValue || 'build' in parentValue)) {
    return `"${key}" looks like a service: move it under "services:"`;
  }
  if (node === schemaNodeAt('#/$defs/service')) {
    for (const home of nestedHomes) {
      const homeNode = schemaNodeAt(`#/$defs/${home}`);
      const homeProperties = (homeNode?.properties ?? (homeNode?.anyOf as SchemaNode[] | undefined)?.[1]?.properties) as
        | Record<string, unknown>
        | undefined;
      if (homeProperties !== undefined && key in homeProperties) return `"${key}" belongs under "${home}:" (${home}.${key})`;
    }
  }
  const extension = 'keys that start with "x-" are allowed for extensions';
  if (known.length > 0 && known.length <= 16) return `remove it; allowed keys here are ${joinWords(known, 'and')}; ${extension}`;
  return `remove it, or check its spelling against the Compose Specification; ${extension}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `/services/web/ports/0` → ['services', 'web', 'ports', 0]: array indexes become numbers. */
export function toKeyPath(instancePath: string, tree: unknown): KeyPath {
  if (instancePath === '') return [];
  const path: (string | number)[] = [];
  let node: unknown = tree;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(segment);
      path.push(index);
      node = node[index];
    } else {
      path.push(segment);
      node = isMapping(node) ? node[segment] : undefined;
    }
  }
  return path;
}

function valueAt(tree: unknown, path: KeyPath): unknown {
  let node: unknown = tree;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part];
    else if (isMapping(node)) node = node[String(part)];
    else return undefined;
  }
  return node;
}
