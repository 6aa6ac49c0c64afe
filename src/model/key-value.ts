/** `KEY=VALUE` split at the first `=`; a bare `KEY` has no value (each caller says what that means). */
export function splitKeyValue(text: string): { readonly key: string; readonly value: string | undefined } {
  const eq = text.indexOf('=');
  return eq === -1 ? { key: text, value: undefined } : { key: text.slice(0, eq), value: text.slice(eq + 1) };
}
