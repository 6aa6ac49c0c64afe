import { UsageError } from '../errors.js';
import { HEADER_FUNCTIONS, parseGoTemplate, TemplateError } from './go-template.js';
import { tabwrite } from './table.js';

/** How one kind of listing (containers, volumes, stats) is shown: Compose's field names, its headers and its default table. */
export interface ListLayout {
  /** The default, as `table {{.Name}}\t{{.Image}}...`. */
  readonly table: string;
  /** Column header per field, as the docker CLI's header context names them. */
  readonly headers: Readonly<Record<string, string>>;
}

export function isTemplateFormat(format: string): boolean {
  return format !== 'json' && format !== '' && format !== 'table';
}

/**
 * Renders rows as the docker CLI's formatter does: `table` is the layout's table, `json` is `{{json .}}` per row,
 * `table TEMPLATE` gets a header row (the template run on the header names) and aligned columns; any other text is a
 * Go template run once per row. `\t` and `\n` written as two characters are a tab and a newline.
 * Returns the text without its final newline; empty when there is nothing to print.
 */
export function renderList(format: string, rows: readonly object[], layout: ListLayout): string {
  const source = format === '' || format === 'table' ? layout.table : format === 'json' ? '{{json .}}' : format;
  const isTable = source.startsWith('table');
  const body = (isTable ? source.slice('table'.length) : source).replace(/^ +| +$/g, '').replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  let template;
  try {
    template = parseGoTemplate(body);
  } catch (error) {
    throw templateError(error, format);
  }
  let text = '';
  for (const row of rows) {
    try {
      text += `${template.execute(row)}\n`;
    } catch (error) {
      throw templateError(error, format);
    }
  }
  if (isTable) {
    const header = template.executePartial(new Map(Object.entries(layout.headers)), HEADER_FUNCTIONS);
    text = tabwrite(`${header}\n${text}`, { minWidth: 10, padding: 3 });
  }
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function templateError(error: unknown, format: string): unknown {
  return error instanceof TemplateError
    ? new UsageError(`--format ${JSON.stringify(format)}: template parsing error: ${error.message}`, 'use table, json, or a Go template such as \'{{.Name}}\\t{{.Status}}\' (docs/cli.md lists what templates cover)')
    : error;
}
