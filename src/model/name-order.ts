/** Names in the order people read them: `web-2` before `web-10`. The one order of every listing. */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

/** Sorts things with a name by `compareNames`. */
export function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return compareNames(a.name, b.name);
}
