/**
 * Where each key of a loaded project was written, for errors raised after loading (an engine too
 * old for a key, a secret that cannot be provided). The loader records a lookup per project; a
 * copy made with spread (`{ ...project }`) has none, and errors then name the key path only.
 */
export interface KeyOrigin {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The source line, for the report. */
  readonly sourceLine?: string;
}

export type OriginLookup = (path: readonly (string | number)[]) => KeyOrigin | undefined;

const lookups = new WeakMap<object, OriginLookup>();

export function recordOrigins(project: object, lookup: OriginLookup): void {
  lookups.set(project, lookup);
}

export function originOf(project: object, path: readonly (string | number)[]): KeyOrigin | undefined {
  return lookups.get(project)?.(path);
}
