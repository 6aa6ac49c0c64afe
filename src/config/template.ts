/**
 * The `${...}` grammar of compose files and .env files: `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:?e}`,
 * `${V?e}`, `${V:+a}`, `${V+a}` and `$$`. Defaults and messages are themselves templates, evaluated
 * only when used, and nested braces are found by counting.
 */

export type Lookup = (name: string) => string | undefined;

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'required',
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface SubstituteOptions {
  readonly lookup: Lookup;
  /** Called for each `$V`/`${V}` whose variable is unset. */
  readonly onUnset?: (name: string) => void;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

export function substituteTemplate(text: string, options: SubstituteOptions): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = findClosingBrace(text, dollar + 2);
      if (close === -1) throw invalid(text, 'missing closing brace');
      out += evaluateBraced(text.slice(dollar + 2, close), text, options);
      i = close + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 2;
      while (end < text.length && NAME_PART.test(text[end]!)) end++;
      out += valueOrUnset(text.slice(dollar + 1, end), options);
      i = end;
    } else {
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function evaluateBraced(body: string, whole: string, options: SubstituteOptions): string {
  let end = 0;
  if (end < body.length && NAME_START.test(body[0]!)) {
    end = 1;
    while (end < body.length && NAME_PART.test(body[end]!)) end++;
  }
  if (end === 0) throw invalid(whole, body === '' ? 'empty variable name' : `"${body}" is not a variable name`);
  const name = body.slice(0, end);
  const rest = body.slice(end);
  if (rest === '') return valueOrUnset(name, options);
  const colon = rest[0] === ':';
  const operator = colon ? rest[1] : rest[0];
  const argument = rest.slice(colon ? 2 : 1);
  const value = options.lookup(name);
  const unsetOrEmpty = value === undefined || (colon && value === '');
  switch (operator) {
    case '-':
      return unsetOrEmpty ? substituteTemplate(argument, options) : value!;
    case '?':
      if (unsetOrEmpty) {
        const message = substituteTemplate(argument, options);
        throw new TemplateError(
          `required variable ${name} is missing a value${message === '' ? '' : `: ${message}`}`,
          'required',
        );
      }
      return value!;
    case '+':
      return unsetOrEmpty ? '' : substituteTemplate(argument, options);
    default:
      throw invalid(whole, `unsupported operator in \${${body}}`);
  }
}

function valueOrUnset(name: string, options: SubstituteOptions): string {
  const value = options.lookup(name);
  if (value !== undefined) return value;
  options.onUnset?.(name);
  return '';
}

function invalid(text: string, reason: string): TemplateError {
  return new TemplateError(`invalid interpolation in "${text}": ${reason}`, 'invalid');
}

/** A variable a template refers to, for `config --variables`. */
export interface TemplateVariable {
  readonly name: string;
  readonly required: boolean;
  readonly defaultValue?: string;
  readonly alternateValue?: string;
}

/** Every variable named in `text`, in order, including those inside defaults. Invalid parts are skipped. */
export function extractTemplateVariables(text: string): TemplateVariable[] {
  const out: TemplateVariable[] = [];
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) break;
    const next = text[dollar + 1];
    if (next === '$') {
      i = dollar + 2;
    } else if (next === '{') {
      const close = findClosingBrace(text, dollar + 2);
      if (close === -1) break;
      const body = text.slice(dollar + 2, close);
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([\s\S]*))?$/.exec(body);
      if (match !== null) {
        const [, name, , operator, argument = ''] = match;
        out.push({
          name: name!,
          required: operator === '?',
          ...(operator === '-' ? { defaultValue: argument } : {}),
          ...(operator === '+' ? { alternateValue: argument } : {}),
        });
        if (operator !== undefined) out.push(...extractTemplateVariables(argument));
      }
      i = close + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 2;
      while (end < text.length && NAME_PART.test(text[end]!)) end++;
      out.push({ name: text.slice(dollar + 1, end), required: false });
      i = end;
    } else {
      i = dollar + 1;
    }
  }
  return out;
}
