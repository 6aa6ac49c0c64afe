import type { ScalarTag } from 'yaml';

/**
 * YAML 1.1's octal integers (`0440`, `01777`), which Compose's YAML reader still honours: the
 * 1.2 core schema would read them as decimal 440 and 1777, and a secret's `mode: 0440` would
 * become rw-rwx---. Only unquoted digits 0-7 after a leading zero; `0o440` stays core YAML.
 */
export const legacyOctalTag: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^0[0-7]+$/,
  resolve: (text: string) => Number.parseInt(text, 8),
};
