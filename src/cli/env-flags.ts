/**
 * `-e KEY=VALUE` as given; a bare `-e KEY` takes its value from the environment, and is left out
 * when the environment has none (as Docker does).
 */
export function resolveEnvFlags(values: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (value.includes('=')) out.push(value);
    else if (env[value] !== undefined) out.push(`${value}=${env[value] as string}`);
  }
  return out;
}
