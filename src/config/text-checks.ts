import { ConfigError } from '../errors.js';

/**
 * Checks on the raw text of every file the loader reads (compose files, `.env`, `env_file`):
 * the bytes must be UTF-8, and the text must hold no control character YAML forbids. Compose's
 * parser refuses both; passing them on would put NUL or ESC into container settings.
 */

/** Where in a text something is: 1-based line and column, and the 0-based offset. */
export interface TextPlace {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export type DecodedText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly byte: number; readonly place: TextPlace };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of `bytes`, or the first byte that is not valid UTF-8 and where it stands. */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return { ok: false, byte: bytes[offset] ?? 0, place: byteToPlace(bytes, offset) };
  }
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/** Line and column (in characters) of byte `offset`, counting LF, CRLF and a lone CR as line breaks. */
function byteToPlace(bytes: Uint8Array, offset: number): TextPlace {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  let column = 1;
  for (let i = lineStart; i < offset; i++) if ((bytes[i]! & 0xc0) !== 0x80) column++;
  return { line, column, offset };
}

/** A lone CR (old Mac line ends) is a line break, as in YAML; the text keeps its length. */
export function normalizeLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

// C0 controls other than tab, LF and CR, and DEL.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const CONTROL_NAMES: Readonly<Record<number, string>> = { 0: 'NUL', 0x1b: 'ESC', 0x7f: 'DEL', 0x07: 'BEL', 0x08: 'BS' };

/** The first forbidden control character of `text` and where it stands, if any. */
export function findControlCharacter(text: string): { readonly name: string; readonly place: TextPlace } | undefined {
  const match = CONTROL.exec(text);
  if (match === null) return undefined;
  const code = match[0].charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = CONTROL_NAMES[code] === undefined ? hex : `${hex} (${CONTROL_NAMES[code]})`;
  return { name, place: charToPlace(text, match.index) };
}

export function charToPlace(text: string, offset: number): TextPlace {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1, offset };
}

/** The error for a file that is not UTF-8 text. */
export function invalidUtf8Error(file: string, decoded: Extract<DecodedText, { ok: false }>): ConfigError {
  const { place } = decoded;
  const byte = `0x${decoded.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return new ConfigError(
    `${file} is not valid UTF-8: byte ${byte} at line ${place.line}, column ${place.column} (byte offset ${place.offset})`,
    {
      position: { file, line: place.line, column: place.column },
      hint: 'save the file as UTF-8 (iconv -f LATIN1 -t UTF-8, or your editor\'s "save with encoding")',
    },
  );
}
