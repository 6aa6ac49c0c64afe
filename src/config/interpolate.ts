import { formatKeyPath, type KeyPath, type Locator } from './locator.js';
import { configErrorAt } from './config-error.js';
import { stepPatterns, valueOf, type PatternNode } from './path-pattern.js';
import { substituteTemplate, TemplateError, type Lookup } from './template.js';
import { CAST_PATTERNS, castValue, type CastKind } from './type-casts.js';
import { isMapping, type Mapping } from './tree.js';

export interface InterpolateOptions {
  readonly lookup: Lookup;
  readonly locator?: Locator;
  /** False for `config --no-interpolate`: values are only cast, and `${...}` text is kept. */
  readonly substitute?: boolean;
  /** Variables already warned about, shared across files so each is reported once. */
  readonly unset?: Set<string>;
  readonly warnings?: string[];
}

/**
 * Substitutes variables in every value (never in keys) of one file's tree, then casts known paths
 * to numbers and booleans. Returns a new tree.
 */
export function interpolateTree(tree: Mapping, options: InterpolateOptions): Mapping {
  const walker = new Walker(options);
  return walker.walk(tree, [], [CAST_PATTERNS]) as Mapping;
}

class Walker {
  private readonly substitute: boolean;
  private readonly unset: Set<string>;

  constructor(private readonly options: InterpolateOptions) {
    this.substitute = options.substitute ?? true;
    this.unset = options.unset ?? new Set();
  }

  walk(value: unknown, path: (string | number)[], patterns: PatternNode<CastKind>[]): unknown {
    if (typeof value === 'string') return this.leaf(value, path, patterns);
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        out[i] = this.walk(value[i], path, patterns.length === 0 ? patterns : stepPatterns(patterns, i));
        path.pop();
      }
      return out;
    }
    if (isMapping(value)) {
      const out: Mapping = {};
      for (const key of Object.keys(value)) {
        path.push(key);
        out[key] = this.walk(value[key], path, patterns.length === 0 ? patterns : stepPatterns(patterns, key));
        path.pop();
      }
      return out;
    }
    return value;
  }

  private leaf(value: string, path: KeyPath, patterns: PatternNode<CastKind>[]): unknown {
    let text = value;
    if (this.substitute && text.includes('$')) {
      try {
        text = substituteTemplate(text, {
          lookup: this.options.lookup,
          onUnset: (name) => {
            if (this.unset.has(name)) return;
            this.unset.add(name);
            this.options.warnings?.push(`The "${name}" variable is not set: an empty string is used (${formatKeyPath(path)})`);
          },
        });
      } catch (error) {
        if (error instanceof TemplateError) {
          throw configErrorAt(
            this.options.locator,
            path,
            `${formatKeyPath(path)}: ${error.message}`,
            error.kind === 'required'
              ? 'set the variable in the environment or an env file (.env, --env-file)'
              : 'write $$ for a literal dollar sign',
          );
        }
        throw error;
      }
    }
    const kind = patterns.length === 0 ? undefined : valueOf(patterns);
    if (kind === undefined) return text;
    if (!this.substitute && text.includes('$')) return text;
    const cast = castValue(text, kind);
    if (!cast.ok) {
      throw configErrorAt(
        this.options.locator,
        path,
        `${formatKeyPath(path)} must be ${cast.expected}, not "${text}"`,
      );
    }
    if (cast.warning !== undefined) this.options.warnings?.push(`${formatKeyPath(path)}: ${cast.warning}`);
    return cast.value;
  }
}
