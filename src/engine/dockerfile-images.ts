/**
 * The images a Dockerfile reads from outside the build: `FROM` bases and `--from=` sources
 * (`COPY --from`, `RUN --mount=…,from=`) that are not its own stages. `undefined` when that cannot be
 * known without evaluating the file (a variable in an image reference, a `# syntax=` frontend).
 */
export function externalImages(dockerfile: string): string[] | undefined {
  const lines = joinContinuations(dockerfile);
  const firstCode = dockerfile.split('\n').find((l) => l.trim() !== '') ?? '';
  if (/^#\s*syntax\s*=/i.test(firstCode.trim())) return undefined;
  const stages = new Set<string>();
  const images = new Set<string>();
  const add = (reference: string): boolean => {
    if (reference.includes('$')) return false;
    const lower = reference.toLowerCase();
    if (lower === 'scratch' || stages.has(lower) || /^\d+$/.test(reference)) return true;
    images.add(reference);
    return true;
  };
  for (const line of lines) {
    const words = line.trim().split(/\s+/);
    const instruction = (words[0] ?? '').toUpperCase();
    if (instruction === 'FROM') {
      const rest = words.slice(1).filter((w) => !w.startsWith('--'));
      if (rest[0] === undefined || !add(rest[0])) return undefined;
      if ((rest[1] ?? '').toUpperCase() === 'AS' && rest[2] !== undefined) stages.add(rest[2].toLowerCase());
    } else if (instruction === 'COPY' || instruction === 'RUN' || instruction === 'ONBUILD') {
      for (const match of line.matchAll(/--(?:from=|mount=\S*?\bfrom=)([^\s,]+)/g)) {
        if (!add(match[1] ?? '')) return undefined;
      }
    }
  }
  return [...images];
}

/** An `ADD` of a URL or a git repository: BuildKit fetches it (and checks it) at each build. */
export function fetchesRemote(dockerfile: string): boolean {
  return joinContinuations(dockerfile).some((line) => {
    const words = line.trim().split(/\s+/);
    return (words[0] ?? '').toUpperCase() === 'ADD' && words.slice(1).some((w) => !w.startsWith('--') && /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i.test(w));
  });
}

/** Lines with `\` continuations joined and comments dropped (enough to find instructions and flags). */
function joinContinuations(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*#/.test(raw)) continue;
    if (raw.endsWith('\\')) {
      current += `${raw.slice(0, -1)} `;
      continue;
    }
    out.push(current + raw);
    current = '';
  }
  if (current !== '') out.push(current);
  return out;
}
