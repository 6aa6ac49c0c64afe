/** `HTTP_PROXY`, `http_proxy`, ... → value: what the Docker config's `proxies` gives an engine. */
export type ProxyVariables = Readonly<Record<string, string>>;

/**
 * Proxy variables under what the user set (a service's environment, a build's args): a key set
 * there, even to nothing, keeps its own value. Each spelling stands alone, as in the Docker CLI,
 * unless `eitherSpelling`: for build args, where BuildKit reads `NO_PROXY` and `no_proxy` as one
 * (whichever it meets last wins), the user's `NO_PROXY` also keeps out the config's `no_proxy`.
 */
export function underOwn<T>(
  proxies: ProxyVariables, own: Readonly<Record<string, T>>, options: { readonly eitherSpelling?: boolean } = {},
): Record<string, T | string> {
  const out: Record<string, T | string> = Object.create(null) as Record<string, T | string>;
  const ownLower = new Set(Object.keys(own).map((k) => k.toLowerCase()));
  const isOwn = (k: string): boolean => (options.eitherSpelling === true ? ownLower.has(k.toLowerCase()) : Object.hasOwn(own, k));
  for (const [k, v] of Object.entries(proxies)) if (!isOwn(k)) out[k] = v;
  for (const [k, v] of Object.entries(own)) out[k] = v;
  return out;
}
