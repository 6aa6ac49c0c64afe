import { ConfigError } from '../errors.js';
import { substituteTemplate, TemplateError, type Lookup } from './template.js';
import { findControlCharacter, normalizeLineBreaks } from './text-checks.js';

/**
 * The .env and env_file grammar: `[export ]KEY=VALUE` or `KEY: VALUE`, bare `KEY` (inherited from the
 * lookup), `#` comments, ` #` inline comments on unquoted values, single quotes (literal, multi-line),
 * double quotes (escapes, interpolation, multi-line). Later lines see earlier ones.
 */
export interface DotenvOptions {
  /** Where the file came from, for errors. */
  readonly file: string;
  /** Looked up before this file's own earlier keys (the OS environment, in Compose's order). */
  readonly lookup?: Lookup;
  /** Looked up after this file's own earlier keys. */
  readonly fallback?: Lookup;
  /** `format: raw`: no quotes, no escapes, no interpolation. */
  readonly raw?: boolean;
}

/** Entries in file order; a key given twice keeps its last value. Bare keys with no value anywhere are left out. */
export function parseDotenv(text: string, options: DotenvOptions): Map<string, string> {
  const source = normalizeLineBreaks(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  checkControlCharacters(source, options.file);
  return options.raw === true ? parseRaw(source, options) : new DotenvParser(source, options).parse();
}

/** NUL, ESC, DEL and the other C0 controls but tab, LF and CR have no place in an env file. */
function checkControlCharacters(text: string, file: string): void {
  const control = findControlCharacter(text);
  if (control === undefined) return;
  const { line, column } = control.place;
  const lineText = text.split('\n')[line - 1]?.replace(/\r$/, '');
  const key = /^\s*(?:export\s+)?([A-Za-z0-9_.\-[\]]+)\s*[=:]/.exec(lineText ?? '')?.[1];
  throw new ConfigError(
    `control character ${control.name} at line ${line}, column ${column}${key === undefined ? '' : ` in the value of ${key}`}: not allowed in an env file`,
    {
      position: { file, line, column },
      ...(key === undefined ? {} : { keyPath: key }),
      ...(lineText === undefined ? {} : { sourceLine: lineText }),
      hint: 'remove it; in a double-quoted value, write an escape such as \\t or \\n instead',
    },
  );
}

const KEY_CHAR = /[A-Za-z0-9_.\-[\]]/;
const OCTAL = /^[0-7]{1,3}/;

class DotenvParser {
  private pos = 0;
  private line = 1;
  private readonly values = new Map<string, string>();

  constructor(
    private readonly text: string,
    private readonly options: DotenvOptions,
  ) {}

  parse(): Map<string, string> {
    while (this.skipBlankAndComments()) this.parseEntry();
    return this.values;
  }

  private lookup = (name: string): string | undefined =>
    this.options.lookup?.(name) ?? this.values.get(name) ?? this.options.fallback?.(name);

  /** Moves to the next entry; false at the end of the text. */
  private skipBlankAndComments(): boolean {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (c === '\n') {
        this.line++;
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.pos++;
      } else if (c === '#') {
        this.skipToLineEnd();
      } else return true;
    }
    return false;
  }

  private skipToLineEnd(): void {
    const end = this.text.indexOf('\n', this.pos);
    this.pos = end === -1 ? this.text.length : end;
  }

  private parseEntry(): void {
    const { text } = this;
    if (text.startsWith('export ', this.pos) || text.startsWith('export\t', this.pos)) {
      this.pos += 7;
      while (text[this.pos] === ' ' || text[this.pos] === '\t') this.pos++;
    }
    const keyStart = this.pos;
    while (this.pos < text.length && KEY_CHAR.test(text[this.pos]!)) this.pos++;
    const key = text.slice(keyStart, this.pos);
    while (text[this.pos] === ' ' || text[this.pos] === '\t') this.pos++;
    const c = text[this.pos];
    if (key === '') this.fail(`unexpected character "${c}" where a variable name should start`);
    if (c === undefined || c === '\n' || c === '\r' || c === '#') {
      const inherited = this.options.lookup?.(key) ?? this.options.fallback?.(key);
      if (inherited !== undefined) this.values.set(key, inherited);
      if (c === '#') this.skipToLineEnd();
      return;
    }
    if (c === ':' && (text[this.pos + 1] === ' ' || text[this.pos + 1] === '\t')) this.pos += 2;
    else if (c === '=') this.pos += 1;
    else if (/\s/.test(text[this.pos - 1] ?? '')) this.fail(`variable name "${key}" must not contain spaces`);
    else this.fail(`unexpected character "${c}" in variable name "${key}${c}"`);
    while (text[this.pos] === ' ' || text[this.pos] === '\t') this.pos++;
    this.values.set(key, this.parseValue(key));
  }

  private parseValue(key: string): string {
    const quote = this.text[this.pos];
    if (quote === "'" || quote === '"') return this.parseQuoted(quote, key);
    let end = this.text.indexOf('\n', this.pos);
    if (end === -1) end = this.text.length;
    let raw = this.text.slice(this.pos, end);
    this.pos = end;
    const comment = raw.search(/[ \t]#/);
    if (comment !== -1) raw = raw.slice(0, comment);
    return this.interpolate(raw.trim(), key);
  }

  private parseQuoted(quote: string, key: string): string {
    const { text } = this;
    const startLine = this.line;
    let i = this.pos + 1;
    let body = '';
    for (;;) {
      if (i >= text.length) {
        this.line = startLine;
        this.fail(`unterminated ${quote === '"' ? 'double' : 'single'}-quoted value for ${key}`);
      }
      const c = text[i]!;
      if (c === '\\' && i + 1 < text.length) {
        const next = text[i + 1]!;
        if (quote === "'") {
          if (next === "'") {
            body += "'";
            i += 2;
            continue;
          }
          body += c;
          i++;
          continue;
        }
        i += 2;
        switch (next) {
          case 'n': body += '\n'; break;
          case 't': body += '\t'; break;
          case 'r': body += '\r'; break;
          case '\\': body += '\\'; break;
          case '"': body += '"'; break;
          case '$': body += '$$'; break;
          default: {
            const octal = OCTAL.exec(text.slice(i - 1, i + 2));
            if (octal !== null) {
              body += String.fromCharCode(Number.parseInt(octal[0], 8));
              i += octal[0].length - 1;
            } else body += `\\${next}`;
          }
        }
        continue;
      }
      if (c === quote) break;
      if (c === '\n') this.line++;
      if (quote === "'" && c === '$') body += '$$';
      else body += c;
      i++;
    }
    this.pos = i + 1;
    this.skipToLineEnd();
    return this.interpolate(body, key);
  }

  private interpolate(value: string, key: string): string {
    try {
      return substituteTemplate(value, { lookup: this.lookup });
    } catch (error) {
      if (error instanceof TemplateError) this.fail(`${key}: ${error.message}`);
      throw error;
    }
  }

  private fail(message: string): never {
    const lineText = this.text.split('\n')[this.line - 1]?.replace(/\r$/, '');
    throw new ConfigError(message, {
      position: { file: this.options.file, line: this.line, column: 1 },
      ...(lineText === undefined ? {} : { sourceLine: lineText }),
      hint: 'env files take one KEY=VALUE per line; quote values with spaces or # in them',
    });
  }
}

function parseRaw(text: string, options: DotenvOptions): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq === -1) {
      const key = trimmed.trim();
      const inherited = options.lookup?.(key) ?? options.fallback?.(key);
      if (inherited !== undefined) values.set(key, inherited);
    } else values.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1));
  }
  return values;
}
