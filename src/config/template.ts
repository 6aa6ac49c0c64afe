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

/**
 * One template being evaluated: a span of the whole text, what it gave so far, and what its result
 * is for (the whole value, a default, an alternative, or a `?` message).
 */
interface Frame {
  readonly start: number;
  readonly end: number;
  pos: number;
  out: string;
  readonly role: 'value' | 'default' | 'alternative' | 'message';
  /** For a message: the variable that was required. */
  readonly name?: string;
}

/**
 * Evaluates with an explicit stack rather than recursion, and finds every closing brace in one
 * pass: `${A:-${B:-...}}` nested ten thousand deep is the user's depth, not the call stack's.
 */
export function substituteTemplate(text: string, options: SubstituteOptions): string {
  if (!text.includes('$')) return text;
  const closing = matchBraces(text);
  const stack: Frame[] = [{ start: 0, end: text.length, pos: 0, out: '', role: 'value' }];
  for (;;) {
    const frame = stack[stack.length - 1]!;
    const dollar = text.indexOf('$', frame.pos);
    if (dollar === -1 || dollar >= frame.end) {
      frame.out += text.slice(frame.pos, frame.end);
      stack.pop();
      const parent = stack[stack.length - 1];
      if (frame.role === 'message') {
        throw new TemplateError(
          `required variable ${frame.name!} is missing a value${frame.out === '' ? '' : `: ${frame.out}`}`,
          'required',
        );
      }
      if (parent === undefined) return frame.out;
      parent.out += frame.out;
      continue;
    }
    frame.out += text.slice(frame.pos, dollar);
    const next = dollar + 1 < frame.end ? text[dollar + 1] : undefined;
    if (next === '$') {
      frame.out += '$';
      frame.pos = dollar + 2;
    } else if (next === '{') {
      const close = closing[dollar + 1]!;
      const whole = (): string => text.slice(frame.start, frame.end);
      if (close === -1 || close >= frame.end) throw invalid(whole(), 'missing closing brace');
      frame.pos = close + 1;
      const step = evaluateBraced(text, dollar + 2, close, whole, options);
      if (typeof step === 'string') frame.out += step;
      else stack.push({ start: step.start, end: close, pos: step.start, out: '', role: step.role, ...(step.name === undefined ? {} : { name: step.name }) });
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 2;
      while (end < frame.end && NAME_PART.test(text[end]!)) end++;
      frame.out += valueOrUnset(text.slice(dollar + 1, end), options);
      frame.pos = end;
    } else {
      frame.out += '$';
      frame.pos = dollar + 1;
    }
  }
}

/** For each `{`, the index of the `}` that closes it (braces counted), or -1. */
function matchBraces(text: string): Int32Array {
  const closing = new Int32Array(text.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) open.push(i);
    else if (c === 0x7d && open.length > 0) closing[open.pop()!] = i;
  }
  return closing;
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

/** A braced expression's value, or the span of its argument when that must be evaluated next. */
function evaluateBraced(
  text: string,
  from: number,
  close: number,
  whole: () => string,
  options: SubstituteOptions,
): string | { readonly start: number; readonly role: Frame['role']; readonly name?: string } {
  let end = from;
  if (end < close && NAME_START.test(text[end]!)) {
    end++;
    while (end < close && NAME_PART.test(text[end]!)) end++;
  }
  const body = (): string => text.slice(from, close);
  if (end === from) throw invalid(whole(), from === close ? 'empty variable name' : `"${body()}" is not a variable name`);
  const name = text.slice(from, end);
  if (end === close) return valueOrUnset(name, options);
  const colon = text[end] === ':';
  const operator = colon ? text[end + 1] : text[end];
  const argument = end + (colon ? 2 : 1);
  const value = options.lookup(name);
  const unsetOrEmpty = value === undefined || (colon && value === '');
  switch (argument > close ? undefined : operator) {
    case '-':
      return unsetOrEmpty ? { start: argument, role: 'default' } : value!;
    case '?':
      return unsetOrEmpty ? { start: argument, role: 'message', name } : value!;
    case '+':
      return unsetOrEmpty ? '' : { start: argument, role: 'alternative' };
    default:
      throw invalid(whole(), `unsupported operator in \${${body()}}`);
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
  // Texts still to scan, innermost last: a default is scanned before what follows its variable.
  const stack: { text: string; i: number }[] = [{ text, i: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { text: t } = frame;
    const dollar = t.indexOf('$', frame.i);
    if (dollar === -1) {
      stack.pop();
      continue;
    }
    const next = t[dollar + 1];
    if (next === '$') {
      frame.i = dollar + 2;
    } else if (next === '{') {
      const close = findClosingBrace(t, dollar + 2);
      if (close === -1) {
        stack.pop();
        continue;
      }
      frame.i = close + 1;
      const body = t.slice(dollar + 2, close);
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([\s\S]*))?$/.exec(body);
      if (match !== null) {
        const [, name, , operator, argument = ''] = match;
        out.push({
          name: name!,
          required: operator === '?',
          ...(operator === '-' ? { defaultValue: argument } : {}),
          ...(operator === '+' ? { alternateValue: argument } : {}),
        });
        if (operator !== undefined) stack.push({ text: argument, i: 0 });
      }
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 2;
      while (end < t.length && NAME_PART.test(t[end]!)) end++;
      out.push({ name: t.slice(dollar + 1, end), required: false });
      frame.i = end;
    } else {
      frame.i = dollar + 1;
    }
  }
  return out;
}
