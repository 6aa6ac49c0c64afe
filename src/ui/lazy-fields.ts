/**
 * A record whose fields are computed when a template or JSON first reads them, then kept: a
 * format that names two fields of 300 rows must not pay for every field of every row.
 */
export function lazyFields<T extends Record<string, () => unknown>>(fields: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, compute] of Object.entries(fields)) {
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = compute();
        Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: false });
        return value;
      },
    });
  }
  return out as { readonly [K in keyof T]: ReturnType<T[K]> };
}
