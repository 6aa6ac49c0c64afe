import { UsageError } from '../errors.js';
import { BOOL_WORDS, parseEnvBool } from '../model/env-bool.js';
import { closestMatch } from '../model/suggest.js';
import type { FlagSpec, FlagValue } from './command.js';

export interface ParsedArgs {
  readonly flags: Record<string, FlagValue>;
  readonly positionals: string[];
}

/**
 * Parses flags the way Docker's CLI does: `--name value`, `--name=value`, `-n value`, `-nvalue`,
 * bundled short booleans (`-dV`), `--` ends the flags. With `stopAtFirstPositional`, everything
 * from the first positional on is kept as is (exec SERVICE COMMAND --its-own-flags).
 */
export function parseArgs(
  argv: readonly string[],
  specs: readonly FlagSpec[],
  options: { readonly stopAtFirstPositional?: boolean; readonly command?: string } = {},
): ParsedArgs {
  // The first spec with a name wins: callers list a command's own flags before the global ones,
  // so `logs -f` is --follow and `rm -f` is --force, not the global `-f FILE`.
  const byName = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const s of specs) {
    if (!byName.has(s.name)) byName.set(s.name, s);
    for (const alias of s.aliases ?? []) if (!byName.has(alias)) byName.set(alias, s);
    if (s.short !== undefined && !byShort.has(s.short)) byShort.set(s.short, s);
  }
  const flags: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  const where = options.command === undefined ? '' : ` for "${options.command}"`;

  const set = (spec: FlagSpec, raw: string | undefined, shown: string): void => {
    let value: string | number | boolean;
    if (spec.type === 'boolean') {
      // `--detach=false`, `-f=0`: the values Go's flag package reads as booleans.
      const parsed = raw === undefined ? true : parseEnvBool(raw);
      if (parsed === undefined) throw new UsageError(`invalid boolean "${raw}" for ${shown}`, `use ${shown}, or ${shown}=VALUE with ${BOOL_WORDS}`);
      value = parsed;
    } else if (raw === undefined) {
      throw new UsageError(`flag ${shown} needs a value`, spec.valueName === undefined ? undefined : `${shown} ${spec.valueName}`);
    } else if (spec.type === 'number') {
      value = Number(raw);
      if (!Number.isFinite(value)) throw new UsageError(`flag ${shown} needs a number (got "${raw}")`);
    } else value = raw;
    if (spec.repeat === true) flags[spec.name] = [...((flags[spec.name] as string[] | undefined) ?? []), String(value)];
    else flags[spec.name] = value;
  };

  const unknown = (shown: string): UsageError => {
    const names = specs.filter((s) => s.hidden !== true).flatMap((s) => [`--${s.name}`, ...(s.short === undefined ? [] : [`-${s.short}`])]);
    const guess = closestMatch(shown, names);
    return new UsageError(
      `unknown flag ${shown}${where}`,
      guess === undefined ? `see: tscompose ${options.command ?? ''} --help`.replace(/\s+--/, ' --') : `did you mean ${guess}?`,
    );
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const spec = byName.get(name);
      if (spec === undefined) throw unknown(`--${name}`);
      let raw = eq === -1 ? undefined : arg.slice(eq + 1);
      if (raw === undefined && spec.type !== 'boolean') raw = argv[++i];
      set(spec, raw, `--${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] as string;
        const spec = byShort.get(letter);
        if (spec === undefined) throw unknown(`-${letter}`);
        if (spec.type === 'boolean') {
          if (arg[j + 1] === '=') {
            set(spec, arg.slice(j + 2), `-${letter}`);
            break;
          }
          set(spec, undefined, `-${letter}`);
          continue;
        }
        const rest = arg.slice(j + 1).replace(/^=/, '');
        set(spec, rest !== '' ? rest : argv[++i], `-${letter}`);
        break;
      }
      continue;
    }
    if (options.stopAtFirstPositional === true) {
      positionals.push(...argv.slice(i));
      break;
    }
    positionals.push(arg);
  }
  return { flags, positionals };
}
