/**
 * Named build contexts (`additional_contexts`) for a Dockerfile frontend that predates them: each
 * reference to a context name becomes a reference to an image that stands in for the context.
 * It follows BuildKit's lookup: a `FROM` base, a `COPY --from=` or a `RUN --mount=…,from=` names a
 * context when it is not an earlier stage; a stage named like a context is replaced by the context
 * (its instructions are not run). Names are compared case-insensitively, after build-arg expansion.
 * Line numbers are kept, so the engine's errors still point at the user's lines.
 */
export function substituteNamedContexts(
  text: string,
  images: ReadonlyMap<string, string>,
  buildArgs: Readonly<Record<string, string>>,
): string {
  const lookup = new Map([...images].map(([name, image]) => [name.toLowerCase(), image]));
  const lines = text.split('\n');
  const escape = escapeDirective(lines);
  const metaArgs = new Map<string, string>();
  const stages = new Set<string>();
  let seenFrom = false;
  let dropping = false;
  const expand = (value: string): string => expandArgs(value, metaArgs, escape);
  const contextImage = (reference: string): string | undefined => {
    const name = expand(reference).toLowerCase();
    return stages.has(name) || /^\d+$/.test(name) ? undefined : lookup.get(name);
  };

  for (const instruction of logicalInstructions(lines, escape)) {
    const words = instruction.text.trim().split(/\s+/);
    const keyword = (words[0] ?? '').toUpperCase();
    let replacement: string | undefined;
    if (keyword === 'FROM') {
      seenFrom = true;
      const flags = words.slice(1).filter((w) => w.startsWith('--'));
      const rest = words.slice(1).filter((w) => !w.startsWith('--'));
      const base = rest[0] ?? '';
      const stage = (rest[1] ?? '').toUpperCase() === 'AS' ? rest[2]?.toLowerCase() : undefined;
      const override = stage === undefined ? undefined : lookup.get(stage);
      const image = override ?? contextImage(base);
      dropping = override !== undefined;
      if (image !== undefined) {
        replacement = ['FROM', ...flags, image, ...(stage === undefined ? [] : ['AS', stage])].join(' ');
      }
      if (stage !== undefined) stages.add(stage);
    } else if (dropping) {
      replacement = '';
    } else if (keyword === 'ARG' && !seenFrom) {
      for (const word of words.slice(1)) {
        const eq = word.indexOf('=');
        const name = eq === -1 ? word : word.slice(0, eq);
        const given = Object.hasOwn(buildArgs, name) ? buildArgs[name] : undefined;
        const value = given ?? (eq === -1 ? undefined : expand(unquote(word.slice(eq + 1))));
        if (value !== undefined) metaArgs.set(name, value);
      }
    } else if (keyword === 'COPY' || keyword === 'ADD' || keyword === 'RUN') {
      const rewritten = replaceFromFlags(instruction.text, contextImage);
      if (rewritten !== instruction.text) replacement = rewritten;
    }
    if (replacement === undefined) continue;
    instruction.lines.forEach((index, i) => {
      lines[index] = i === 0 ? replacement : '';
    });
  }
  return lines.join('\n');
}

/** `--from=X` and `--mount=…from=X…` flags whose X names a context, pointed at its image. */
function replaceFromFlags(text: string, contextImage: (reference: string) => string | undefined): string {
  const parts = /^(\s*\S+)((?:\s+--\S+)*)([\s\S]*)$/.exec(text);
  if (parts === null || parts[2] === '') return text;
  return `${parts[1] ?? ''}${replaceInFlags(parts[2] ?? '', contextImage)}${parts[3] ?? ''}`;
}

function replaceInFlags(flags: string, contextImage: (reference: string) => string | undefined): string {
  return flags
    .replace(/(\s--from=)(\S+)/g, (whole, flag: string, reference: string) => {
      const image = contextImage(unquote(reference));
      return image === undefined ? whole : `${flag}${image}`;
    })
    .replace(/(\s--mount=)(\S+)/g, (whole, flag: string, spec: string) => {
      const fields = spec.split(',').map((field) => {
        const eq = field.indexOf('=');
        if (eq === -1 || field.slice(0, eq).toLowerCase() !== 'from') return field;
        const image = contextImage(unquote(field.slice(eq + 1)));
        return image === undefined ? field : `from=${image}`;
      });
      const out = fields.join(',');
      return out === spec ? whole : `${flag}${out}`;
    });
}

interface Instruction {
  /** The instruction with its continuations joined. */
  readonly text: string;
  /** Indexes of the physical lines it spans (comment lines inside it included). */
  readonly lines: readonly number[];
}

/** Instructions as the Dockerfile parser sees them: continuation lines joined, comments skipped. */
function logicalInstructions(lines: readonly string[], escape: string): Instruction[] {
  const out: Instruction[] = [];
  const continues = new RegExp(`${escape === '`' ? '`' : '\\\\'}[ \\t]*\\r?$`);
  let text = '';
  let span: number[] = [];
  lines.forEach((raw, index) => {
    const comment = /^\s*#/.test(raw);
    if (span.length === 0 && (comment || raw.trim() === '')) return;
    span.push(index);
    if (comment) return;
    const match = continues.exec(raw);
    if (match !== null) {
      text += raw.slice(0, match.index);
      return;
    }
    out.push({ text: text + raw.replace(/\r$/, ''), lines: span });
    text = '';
    span = [];
  });
  if (span.length > 0) out.push({ text, lines: span });
  return out;
}

/** The `# escape=` parser directive (backslash unless it says a backtick). */
function escapeDirective(lines: readonly string[]): string {
  for (const line of lines) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line.trim());
    if (directive === null) return '\\';
    if (directive[1]?.toLowerCase() === 'escape') return directive[2] === '`' ? '`' : '\\';
  }
  return '\\';
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` from the ARGs before the first FROM. */
function expandArgs(value: string, args: ReadonlyMap<string, string>, escape: string): string {
  if (!value.includes('$')) return value;
  return value.replace(/(.?)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, before: string, braced?: string, op?: string, word?: string, bare?: string) => {
      if (before === escape) return whole.slice(1);
      const name = (braced ?? bare) as string;
      const current = args.get(name);
      if (op === ':-') return before + (current === undefined || current === '' ? (word ?? '') : current);
      if (op === ':+') return before + (current === undefined || current === '' ? '' : (word ?? ''));
      return before + (current ?? '');
    });
}
