/** Left-aligned columns separated by three spaces, as `docker compose ps` prints them. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/**
 * Aligns tab-separated cells as Go's text/tabwriter does with the docker CLI's settings: each tab-terminated cell is
 * padded to its column's widest cell plus `padding`, never narrower than `minWidth`; the text after a line's last tab
 * is not a column and is left as it is.
 */
export function tabwrite(text: string, options: { readonly minWidth: number; readonly padding: number }): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const cells of lines) {
    cells.slice(0, -1).forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, Math.max([...c].length + options.padding, options.minWidth));
    });
  }
  return lines
    .map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - [...c].length))).join(''))
    .join('\n');
}
