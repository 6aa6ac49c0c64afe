// One collator for the process: `localeCompare` with options builds a new one per call (about 1 ms
// each; sorting 300 names took 0.3 s).
const collator = new Intl.Collator(undefined, { numeric: true });

/** Names in the order people read them: `web-2` before `web-10`. The one order of every listing. */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}

/** Sorts things with a name by `compareNames`. */
export function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return compareNames(a.name, b.name);
}
