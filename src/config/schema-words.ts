import { composeSchemaText } from './generated/compose-schema-source.js';

/** A node of our JSON schema, read only to word error messages. */
export type SchemaNode = { readonly [keyword: string]: unknown };

let root: SchemaNode | undefined;

// Parsed on the first invalid file only: valid files never pay for it.
function schemaRoot(): SchemaNode {
  root ??= JSON.parse(composeSchemaText) as SchemaNode;
  return root;
}

function pointerSegments(pointer: string): string[] {
  const body = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (body === '' || body === '/') return [];
  return body
    .slice(1)
    .split('/')
    .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function pointerOf(segments: readonly string[]): string {
  return `#${segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`;
}

/** The node at an ajv schemaPath such as `#/$defs/service/properties/ports`. */
export function schemaNodeAt(pointer: string): SchemaNode | undefined {
  let node: unknown = schemaRoot();
  for (const segment of pointerSegments(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node !== null && typeof node === 'object' ? (node as SchemaNode) : undefined;
}

/** `#/a/b/type` → `#/a/b`: the schema that holds a failing keyword. */
export function parentPointer(pointer: string): string {
  return pointerOf(pointerSegments(pointer).slice(0, -1));
}

/**
 * An annotation (`expected`, `hint`) on the node or on an enclosing node that applies to the same
 * value: climbing through anyOf/oneOf/allOf branches, never past properties or items.
 */
export function annotationAt(pointer: string, keyword: 'expected' | 'hint'): string | undefined {
  const segments = pointerSegments(pointer);
  for (;;) {
    const value = schemaNodeAt(pointerOf(segments))?.[keyword];
    if (typeof value === 'string') return value;
    const last = segments[segments.length - 1];
    const beforeLast = segments[segments.length - 2];
    if (last !== undefined && /^[0-9]+$/.test(last) && beforeLast !== undefined && /^(anyOf|oneOf|allOf)$/.test(beforeLast)) {
      segments.splice(-2, 2);
    } else if (last !== undefined && /^(if|then|else|not)$/.test(last)) {
      segments.splice(-1, 1);
    } else {
      return undefined;
    }
  }
}

/** What the node at `pointer` accepts, in plain words: its `expected` annotation, or words from its types. */
export function expectedAt(pointer: string): string {
  const annotated = annotationAt(pointer, 'expected');
  if (annotated !== undefined) return annotated;
  const node = schemaNodeAt(pointer);
  return node === undefined ? 'a valid value' : phraseOf(node);
}

const typeWords: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a sequence',
  null: 'an empty value',
};

export function phraseOf(node: SchemaNode, depth = 0): string {
  if (typeof node.expected === 'string') return node.expected;
  if (depth > 8) return 'a valid value';
  if (typeof node.$ref === 'string') {
    const target = schemaNodeAt(node.$ref);
    if (target !== undefined) return phraseOf(target, depth + 1);
  }
  const branches = (node.anyOf ?? node.oneOf) as SchemaNode[] | undefined;
  if (Array.isArray(branches)) return joinWords(unique(branches.map((branch) => phraseOf(branch, depth + 1))));
  if (Array.isArray(node.enum)) return `one of ${joinWords(node.enum.map(describeValue))}`;
  const types = typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? (node.type as string[]) : [];
  if (types.length > 0) {
    return joinWords(
      types.map((type) => {
        const items = node.items as SchemaNode | undefined;
        if (type === 'array' && items?.type === 'string') return 'a sequence of strings';
        return typeWords[type] ?? type;
      }),
    );
  }
  return 'a valid value';
}

/** The kind of a parsed YAML value, in YAML words. */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a sequence';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** A short rendering of a scalar value for a message: `"sometimes"`, `2000`, `true`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeKind(value);
}

/** ['a', 'b', 'c'] → `a, b or c`. */
export function joinWords(words: readonly string[], conjunction = 'or'): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

function unique(words: readonly string[]): string[] {
  return [...new Set(words)];
}
