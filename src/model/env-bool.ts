/**
 * Boolean environment variables (COMPOSE_REMOVE_ORPHANS, COMPOSE_DISABLE_ENV_FILE, ...), read as Compose
 * reads them: Go's strconv.ParseBool words. Anything else, `on` and `yes` included, is not a boolean.
 */
const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** For messages: the words parseEnvBool reads. */
export const BOOL_WORDS = '1, t, T, TRUE, true, True (on) or 0, f, F, FALSE, false, False (off)';

/** true or false for a boolean word, undefined when the value is unset, empty or not a boolean word. */
export function parseEnvBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const word = value.trim();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** Whether the variable is set to a true word. */
export function envFlag(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  return parseEnvBool(env[name]) === true;
}
