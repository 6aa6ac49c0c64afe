/**
 * A subset of Go's text/template, enough for the `--format` templates that scripts pass to Compose and the docker CLI:
 * actions with pipelines, fields and method-like fields with arguments, `if`/`else if`/`else`, `range`, `with`,
 * `$` and `$name :=` variables, trim markers, comments, and the functions of Go's text/template plus the docker CLI's
 * (json, split, join, title, lower, upper, pad, truncate). docs/cli.md lists what is covered.
 */

export class TemplateError extends Error {}

export type TemplateFunction = (...args: unknown[]) => unknown;
export type TemplateFunctions = Readonly<Record<string, TemplateFunction>>;

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: Pipeline }
  | { readonly kind: 'if' | 'with'; readonly pipe: Pipeline; readonly then: readonly Node[]; readonly otherwise: readonly Node[] }
  | { readonly kind: 'range'; readonly pipe: Pipeline; readonly body: readonly Node[]; readonly otherwise: readonly Node[] };

interface Pipeline {
  readonly declare: readonly string[];
  readonly commands: readonly Command[];
}
type Command = readonly Operand[];
type Operand =
  | { readonly kind: 'field'; readonly base: 'dot' | { readonly variable: string } | { readonly sub: Pipeline }; readonly path: readonly string[] }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'literal'; readonly value: unknown };

// ---- lexing: text and actions -------------------------------------------------------------------------------------

interface RawAction { readonly body: string; readonly at: number }

function splitSource(source: string): (string | RawAction)[] {
  const parts: (string | RawAction)[] = [];
  let at = 0;
  let trimNext = false;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    let text = source.slice(at, open === -1 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open === -1) {
      parts.push(text);
      break;
    }
    let bodyStart = open + 2;
    if (/^- /.test(source.slice(bodyStart, bodyStart + 2)) || source.slice(bodyStart, bodyStart + 2) === '-\t' || source.slice(bodyStart, bodyStart + 2) === '-\n') {
      text = text.replace(/\s+$/, '');
      bodyStart += 1;
    }
    parts.push(text);
    const close = findClose(source, bodyStart);
    if (close === -1) throw new TemplateError(`unclosed action at offset ${open}`);
    let bodyEnd = close;
    if (/[ \t\n]-$/.test(source.slice(close - 2, close))) {
      bodyEnd = close - 1;
      trimNext = true;
    }
    parts.push({ body: source.slice(bodyStart, bodyEnd).trim(), at: open });
    at = close + 2;
  }
  return parts.filter((p) => p !== '');
}

/** The `}}` that ends an action, skipping quoted strings. */
function findClose(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '"') {
      i += 1;
      while (i < source.length && source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
    } else if (ch === '`') {
      i = source.indexOf('`', i + 1);
      if (i === -1) return -1;
    } else if (source.startsWith('}}', i)) {
      return i;
    }
    i += 1;
  }
  return -1;
}

type Token =
  | { readonly t: 'field'; readonly path: readonly string[] }
  | { readonly t: 'var'; readonly name: string; readonly path: readonly string[] }
  | { readonly t: 'ident'; readonly name: string }
  | { readonly t: 'literal'; readonly value: unknown }
  | { readonly t: '(' | ')' | '|' | ':=' | ',' }
  | { readonly t: 'chain'; readonly path: readonly string[] };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fieldPath = (): string[] => {
    const path: string[] = [];
    while (body[i] === '.') {
      const name = IDENT.exec(body.slice(i + 1))?.[0];
      if (name === undefined) break;
      path.push(name);
      i += 1 + name.length;
    }
    return path;
  };
  while (i < body.length) {
    const ch = body[i] as string;
    const rest = body.slice(i);
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === '|' || ch === ',') {
      tokens.push({ t: ch });
      i += 1;
      if (ch === ')' && body[i] === '.') tokens.push({ t: 'chain', path: fieldPath() });
    } else if (rest.startsWith(':=')) {
      tokens.push({ t: ':=' });
      i += 2;
    } else if (ch === '.') {
      const path = fieldPath();
      if (path.length === 0) i += 1;
      tokens.push({ t: 'field', path });
    } else if (ch === '$') {
      const name = IDENT.exec(body.slice(i + 1))?.[0] ?? '';
      i += 1 + name.length;
      tokens.push({ t: 'var', name: `$${name}`, path: fieldPath() });
    } else if (ch === '"') {
      let j = i + 1;
      while (j < body.length && body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
      if (j >= body.length) throw new TemplateError(`unterminated quoted string in "${body}"`);
      tokens.push({ t: 'literal', value: JSON.parse(body.slice(i, j + 1)) as string });
      i = j + 1;
    } else if (ch === '`') {
      const j = body.indexOf('`', i + 1);
      if (j === -1) throw new TemplateError(`unterminated raw string in "${body}"`);
      tokens.push({ t: 'literal', value: body.slice(i + 1, j) });
      i = j + 1;
    } else if (ch === '\'') {
      const match = /^'(\\.|[^'\\])'/.exec(rest);
      if (match === null) throw new TemplateError(`bad character constant in "${body}"`);
      const inner = match[1] as string;
      tokens.push({ t: 'literal', value: (inner.startsWith('\\') ? JSON.parse(`"${inner}"`) as string : inner).codePointAt(0) });
      i += match[0].length;
    } else if (/[-+0-9]/.test(ch)) {
      const match = /^[-+]?(0x[0-9a-fA-F]+|\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+)/.exec(rest);
      if (match === null) throw new TemplateError(`bad number in "${body}"`);
      tokens.push({ t: 'literal', value: Number(match[0]) });
      i += match[0].length;
    } else {
      const name = IDENT.exec(rest)?.[0];
      if (name === undefined) throw new TemplateError(`unexpected "${ch}" in "${body}"`);
      i += name.length;
      if (name === 'true' || name === 'false') tokens.push({ t: 'literal', value: name === 'true' });
      else if (name === 'nil') tokens.push({ t: 'literal', value: null });
      else tokens.push({ t: 'ident', name });
    }
  }
  return tokens;
}

// ---- parsing ------------------------------------------------------------------------------------------------------

class PipelineParser {
  private at = 0;
  constructor(private readonly tokens: readonly Token[], private readonly functions: TemplateFunctions, private readonly source: string) {}

  parse(): Pipeline {
    const pipe = this.pipeline();
    if (this.at < this.tokens.length) throw new TemplateError(`unexpected ${this.describe(this.tokens[this.at])} in "${this.source}"`);
    return pipe;
  }

  private describe(token: Token | undefined): string {
    return token === undefined ? 'end' : `"${token.t}"`;
  }

  private pipeline(): Pipeline {
    const declare: string[] = [];
    const first = this.tokens[this.at];
    const second = this.tokens[this.at + 1];
    if (first?.t === 'var' && first.path.length === 0 && (second?.t === ':=' || second?.t === ',')) {
      declare.push(first.name);
      this.at += 1;
      if (second.t === ',') {
        const next = this.tokens[this.at + 1];
        if (next?.t !== 'var') throw new TemplateError(`expected a variable after "," in "${this.source}"`);
        declare.push(next.name);
        this.at += 2;
      }
      if (this.tokens[this.at]?.t !== ':=') throw new TemplateError(`expected ":=" in "${this.source}"`);
      this.at += 1;
    }
    const commands: Command[] = [this.command()];
    while (this.tokens[this.at]?.t === '|') {
      this.at += 1;
      commands.push(this.command());
    }
    return { declare, commands };
  }

  private command(): Command {
    const operands: Operand[] = [];
    for (;;) {
      const token = this.tokens[this.at];
      if (token === undefined || token.t === '|' || token.t === ')') break;
      operands.push(this.operand());
    }
    if (operands.length === 0) throw new TemplateError(`missing value for command in "${this.source}"`);
    return operands;
  }

  private operand(): Operand {
    const token = this.tokens[this.at] as Token;
    this.at += 1;
    switch (token.t) {
      case 'field': return { kind: 'field', base: 'dot', path: token.path };
      case 'var': return { kind: 'field', base: { variable: token.name }, path: token.path };
      case 'literal': return { kind: 'literal', value: token.value };
      case 'ident':
        if (!Object.hasOwn(this.functions, token.name)) throw new TemplateError(`function "${token.name}" not defined`);
        return { kind: 'function', name: token.name };
      case '(': {
        const sub = this.pipeline();
        if (this.tokens[this.at]?.t !== ')') throw new TemplateError(`unclosed left paren in "${this.source}"`);
        this.at += 1;
        const chain = this.tokens[this.at];
        const path = chain?.t === 'chain' ? chain.path : [];
        if (chain?.t === 'chain') this.at += 1;
        return { kind: 'field', base: { sub }, path };
      }
      default: throw new TemplateError(`unexpected "${token.t}" in "${this.source}"`);
    }
  }
}

function parseNodes(parts: readonly (string | RawAction)[], functions: TemplateFunctions): Node[] {
  let at = 0;
  const parsePipe = (text: string): Pipeline => new PipelineParser(tokenize(text), functions, text).parse();

  /** Parses until `end` or `else`; returns the nodes and the keyword that stopped it. */
  const list = (inBlock: boolean): { nodes: Node[]; stop: 'end' | 'else' | 'eof'; elseRest?: string } => {
    const nodes: Node[] = [];
    while (at < parts.length) {
      const part = parts[at] as string | RawAction;
      at += 1;
      if (typeof part === 'string') {
        nodes.push({ kind: 'text', text: part });
        continue;
      }
      const body = part.body;
      if (body.startsWith('/*')) {
        if (!body.endsWith('*/')) throw new TemplateError(`unclosed comment at offset ${part.at}`);
        continue;
      }
      const keyword = /^(if|else|end|range|with|define|template|block|break|continue)\b\s*/.exec(body);
      const word = keyword?.[1];
      const rest = keyword === null ? body : body.slice(keyword[0].length);
      if (word === 'end' || word === 'else') {
        if (!inBlock) throw new TemplateError(`unexpected {{${word}}} at offset ${part.at}`);
        return { nodes, stop: word, ...(word === 'else' ? { elseRest: rest } : {}) };
      }
      if (word === 'if' || word === 'with' || word === 'range') {
        nodes.push(block(word, rest, part.at));
      } else if (word !== undefined) {
        throw new TemplateError(`{{${word}}} is not supported`);
      } else {
        nodes.push({ kind: 'action', pipe: parsePipe(body) });
      }
    }
    if (inBlock) throw new TemplateError('unexpected end of template: missing {{end}}');
    return { nodes, stop: 'eof' };
  };

  const block = (word: 'if' | 'with' | 'range', text: string, offset: number): Node => {
    if (text === '') throw new TemplateError(`missing value for ${word} at offset ${offset}`);
    const pipe = parsePipe(text);
    const body = list(true);
    let otherwise: Node[] = [];
    if (body.stop === 'else') {
      const elseRest = body.elseRest ?? '';
      const chained = /^(if|with)\b\s*/.exec(elseRest);
      if (chained !== null) {
        // `else if X` is an `if` nested in the else branch; it shares the outer `end`.
        otherwise = [block(chained[1] as 'if' | 'with', elseRest.slice(chained[0].length), offset)];
      } else {
        const tail = list(true);
        if (tail.stop !== 'end') throw new TemplateError(`expected {{end}} after {{else}} at offset ${offset}`);
        otherwise = tail.nodes;
      }
    }
    return word === 'range'
      ? { kind: 'range', pipe, body: body.nodes, otherwise }
      : { kind: word, pipe, then: body.nodes, otherwise };
  };

  return list(false).nodes;
}

// ---- values, as Go prints and tests them --------------------------------------------------------------------------

/** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
export function isTrue(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** A value as fmt's %v prints it. */
export function printValue(value: unknown): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatFloat(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (value instanceof Map) return `map[${[...value.entries()].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([k, v]) => `${String(k)}:${printValue(v)}`).join(' ')}]`;
  if (typeof value === 'function') return '<func>';
  return `map[${Object.keys(value).sort().map((k) => `${k}:${printValue((value as Record<string, unknown>)[k])}`).join(' ')}]`;
}

function formatFloat(value: number): string {
  const text = String(value);
  return /e/.test(text) ? value.toExponential().replace(/e([+-])(\d)$/, 'e$10$2') : text;
}

function sprint(args: readonly unknown[]): string {
  // Go's Sprint puts a space between operands when neither side is a string.
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += printValue(a);
  });
  return out;
}

function sprintf(format: unknown, args: readonly unknown[]): string {
  let next = 0;
  return String(format).replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([%vsdqfxXtTeg])/g, (_m, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[next];
    next += 1;
    let text: string;
    switch (verb) {
      case 'd': text = typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(${printValue(arg)})`; break;
      case 'f': case 'e': case 'g': text = typeof arg === 'number' ? (verb === 'f' ? arg.toFixed(precision === undefined ? 6 : Number(precision)) : String(arg)) : `%!${verb}(${printValue(arg)})`; break;
      case 'q': text = JSON.stringify(printValue(arg)); break;
      case 'x': case 'X': text = typeof arg === 'number' ? arg.toString(16) : Buffer.from(printValue(arg)).toString('hex'); if (verb === 'X') text = text.toUpperCase(); break;
      case 't': text = String(Boolean(arg)); break;
      case 'T': text = arg === null ? '<nil>' : typeof arg === 'number' ? (Number.isInteger(arg) ? 'int' : 'float64') : Array.isArray(arg) ? '[]interface {}' : typeof arg === 'object' ? 'map[string]interface {}' : typeof arg; break;
      default: text = printValue(arg); if (precision !== undefined && verb === 's') text = text.slice(0, Number(precision));
    }
    const w = width === undefined ? 0 : Number(width);
    return flags.includes('-') ? text.padEnd(w) : text.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
  });
}

function compare(a: unknown, b: unknown, name: string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new TemplateError(`error calling ${name}: incompatible types for comparison`);
}

function length(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map) return value.size;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  throw new TemplateError(`error calling len: len of type ${typeof value}`);
}

function indexInto(value: unknown, keys: readonly unknown[]): unknown {
  let current = value;
  for (const key of keys) {
    if (Array.isArray(current) || typeof current === 'string') {
      if (typeof key !== 'number' || key < 0 || key >= current.length) throw new TemplateError(`error calling index: index out of range: ${printValue(key)}`);
      current = typeof current === 'string' ? current.charCodeAt(key) : current[key];
    } else if (current instanceof Map) {
      current = current.get(key);
    } else if (current !== null && typeof current === 'object') {
      current = Object.hasOwn(current, String(key)) ? (current as Record<string, unknown>)[String(key)] : undefined;
    } else {
      throw new TemplateError(`error calling index: cannot index ${printValue(current)}`);
    }
  }
  return current;
}

/** Go's strings.Title: the first letter of each word upper-cased. */
function title(text: string): string {
  return text.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

/** Go's json.Marshal as the docker CLI calls it (no HTML escaping). */
export function goJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v)) ?? 'null';
}

const str = (value: unknown): string => {
  if (typeof value === 'string') return value;
  throw new TemplateError(`wrong type for value; expected string; got ${value === undefined ? 'nothing' : typeof value}`);
};
const int = (value: unknown): number => {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new TemplateError(`wrong type for value; expected int; got ${printValue(value)}`);
};

/** text/template's own functions, and the docker CLI's (templates.go); `and`/`or` are handled lazily in the executor. */
export const GO_FUNCTIONS: TemplateFunctions = {
  and: () => undefined,
  or: () => undefined,
  not: (v) => !isTrue(v),
  eq: (a, ...rest) => rest.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: (a, b) => compare(a, b, 'lt') < 0,
  le: (a, b) => compare(a, b, 'le') <= 0,
  gt: (a, b) => compare(a, b, 'gt') > 0,
  ge: (a, b) => compare(a, b, 'ge') >= 0,
  len: (v) => length(v),
  index: (v, ...keys) => indexInto(v, keys),
  slice: (v, from, to) => {
    if (typeof v !== 'string' && !Array.isArray(v)) throw new TemplateError('error calling slice: cannot slice this value');
    return v.slice(from === undefined ? 0 : int(from), to === undefined ? undefined : int(to));
  },
  print: (...args) => sprint(args),
  printf: (format, ...args) => sprintf(format, args),
  println: (...args) => `${args.map(printValue).join(' ')}\n`,
  urlquery: (...args) => encodeURIComponent(sprint(args)),
  html: (...args) => sprint(args).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\'': '&#39;' })[c] as string),
  json: (v) => goJson(v),
  split: (s, sep) => str(s).split(str(sep)),
  join: (list, sep) => {
    if (!Array.isArray(list)) throw new TemplateError(`error calling join: wrong type for value; expected []string; got ${printValue(list)}`);
    return list.map((v) => str(v)).join(str(sep));
  },
  title: (s) => title(str(s)),
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  pad: (s, prefix, suffix) => (str(s) === '' ? '' : `${' '.repeat(int(prefix))}${str(s)}${' '.repeat(int(suffix))}`),
  truncate: (s, n) => {
    const bytes = Buffer.from(str(s));
    return bytes.length < int(n) ? str(s) : bytes.subarray(0, int(n)).toString();
  },
};

/** The docker CLI's header functions: a table's header row keeps the column names as they are. */
export const HEADER_FUNCTIONS: TemplateFunctions = {
  json: (v) => v,
  split: (v) => v,
  join: (v) => v,
  title: (v) => v,
  lower: (v) => v,
  upper: (v) => v,
  truncate: (v) => v,
};

// ---- execution ----------------------------------------------------------------------------------------------------

type Scope = Map<string, unknown>;

class Executor {
  readonly out: string[] = [];
  constructor(private readonly functions: TemplateFunctions) {}

  run(nodes: readonly Node[], dot: unknown, scope: Scope): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text': this.out.push(node.text); break;
        case 'action': {
          const value = this.pipeline(node.pipe, dot, scope);
          if (node.pipe.declare.length === 0) this.out.push(printValue(value));
          break;
        }
        case 'if': case 'with': {
          const inner = new Map(scope);
          const value = this.pipeline(node.pipe, dot, inner);
          if (isTrue(value)) this.run(node.then, node.kind === 'with' ? value : dot, inner);
          else this.run(node.otherwise, dot, inner);
          break;
        }
        case 'range': {
          const inner = new Map(scope);
          const value = this.evaluate(node.pipe, dot, inner);
          const entries: [unknown, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v])
            : value instanceof Map ? [...value.entries()]
            : typeof value === 'number' ? Array.from({ length: value }, (_v, i) => [i, i])
            : value !== null && typeof value === 'object' ? Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]])
            : value === undefined || value === null ? []
            : (() => { throw new TemplateError(`range can't iterate over ${printValue(value)}`); })();
          if (entries.length === 0) this.run(node.otherwise, dot, inner);
          for (const [key, item] of entries) {
            const [first, second] = node.pipe.declare;
            if (second !== undefined) {
              inner.set(first as string, key);
              inner.set(second, item);
            } else if (first !== undefined) {
              inner.set(first, item);
            }
            this.run(node.body, item, inner);
          }
          break;
        }
      }
    }
  }

  /** A pipeline's value without binding its declared variables (range binds them per item). */
  private evaluate(pipe: Pipeline, dot: unknown, scope: Scope): unknown {
    let value: unknown;
    let piped = false;
    for (const command of pipe.commands) {
      value = this.command(command, dot, scope, piped ? { value } : undefined);
      piped = true;
    }
    return value;
  }

  private pipeline(pipe: Pipeline, dot: unknown, scope: Scope): unknown {
    const value = this.evaluate(pipe, dot, scope);
    for (const name of pipe.declare) scope.set(name, value);
    return value;
  }

  private command(command: Command, dot: unknown, scope: Scope, piped: { value: unknown } | undefined): unknown {
    const [head, ...rest] = command as [Operand, ...Operand[]];
    if (head.kind === 'function') {
      const fn = this.functions[head.name] as TemplateFunction;
      const argNodes = rest;
      if (head.name === 'and' || head.name === 'or') {
        const values = [...argNodes.map((a) => () => this.operand(a, dot, scope)), ...(piped ? [() => piped.value] : [])];
        if (values.length === 0) throw new TemplateError(`wrong number of args for ${head.name}: want at least 1 got 0`);
        let last: unknown;
        for (const get of values) {
          last = get();
          if (head.name === 'and' ? !isTrue(last) : isTrue(last)) return last;
        }
        return last;
      }
      const args = argNodes.map((a) => this.operand(a, dot, scope));
      if (piped) args.push(piped.value);
      return fn(...args);
    }
    if (head.kind === 'literal') {
      if (rest.length > 0 || piped) throw new TemplateError(`can't give argument to non-function ${printValue(head.value)}`);
      return head.value;
    }
    const args = rest.map((a) => this.operand(a, dot, scope));
    if (piped) args.push(piped.value);
    return this.field(head, dot, scope, args);
  }

  private operand(operand: Operand, dot: unknown, scope: Scope): unknown {
    if (operand.kind === 'literal') return operand.value;
    if (operand.kind === 'function') return this.command([operand], dot, scope, undefined);
    return this.field(operand, dot, scope, []);
  }

  private field(operand: Extract<Operand, { kind: 'field' }>, dot: unknown, scope: Scope, args: readonly unknown[]): unknown {
    let value: unknown;
    if (operand.base === 'dot') value = dot;
    else if ('variable' in operand.base) {
      if (!scope.has(operand.base.variable)) throw new TemplateError(`undefined variable "${operand.base.variable}"`);
      value = scope.get(operand.base.variable);
    } else value = this.evaluate(operand.base.sub, dot, scope);
    if (operand.path.length === 0 && args.length > 0) throw new TemplateError(`can't give argument to non-function ${printValue(value)}`);
    operand.path.forEach((name, i) => {
      const last = i === operand.path.length - 1;
      value = lookup(value, name, last ? args : []);
    });
    return value;
  }
}

function lookup(receiver: unknown, name: string, args: readonly unknown[]): unknown {
  if (receiver instanceof Map) {
    const value: unknown = receiver.get(name);
    if (args.length > 0) throw new TemplateError(`${name} is not a method but has arguments`);
    return value;
  }
  if (receiver === null || receiver === undefined || typeof receiver !== 'object' || !Object.hasOwn(receiver, name)) {
    throw new TemplateError(`can't evaluate field ${name} in type ${receiver === undefined || receiver === null ? 'nil' : typeof receiver}`);
  }
  const value = (receiver as Record<string, unknown>)[name];
  if (typeof value === 'function') return (value as TemplateFunction)(...args);
  if (args.length > 0) throw new TemplateError(`${name} has arguments but cannot be invoked as function`);
  return value;
}

export interface GoTemplate {
  /** Runs the template on `data`; throws TemplateError on the first error. */
  execute(data: unknown): string;
  /** Runs with other functions in place (the header functions); stops quietly at an error with what was written. */
  executePartial(data: unknown, overrides: TemplateFunctions): string;
}

export function parseGoTemplate(source: string, functions: TemplateFunctions = {}): GoTemplate {
  const all: TemplateFunctions = { ...GO_FUNCTIONS, ...functions };
  const nodes = parseNodes(splitSource(source), all);
  return {
    execute(data) {
      const executor = new Executor(all);
      executor.run(nodes, data, new Map([['$', data]]));
      return executor.out.join('');
    },
    executePartial(data, overrides) {
      const executor = new Executor({ ...all, ...overrides });
      try {
        executor.run(nodes, data, new Map([['$', data]]));
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
      }
      return executor.out.join('');
    },
  };
}
