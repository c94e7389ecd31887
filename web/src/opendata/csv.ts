/** CSV as RFC 4180 says: comma-separated, fields quoted when needed, CRLF line ends. */

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): string {
  const line = (values: string[]) => values.map(quote).join(',');
  return [
    line([...columns]),
    ...rows.map((row) =>
      line(columns.map((c) => (row[c] === undefined || row[c] === null ? '' : String(row[c])))),
    ),
  ]
    .map((l) => `${l}\r\n`)
    .join('');
}

export class CsvError extends Error {
  readonly code = 'MALFORMED_CSV';
}

/**
 * Rows of a CSV text as objects keyed by the header, each with the line it starts on. A BOM,
 * LF or CRLF line ends and quoted fields holding commas, quotes or line breaks are read.
 */
export function parseCsv(text: string): { line: number; values: Record<string, string> }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += char;
  }
  if (quoted) throw new CsvError(`a quoted field opened on line ${recordLine} is never closed`);
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  const [header, ...body] = records.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  if (!header) return [];
  return body.map((r) => ({
    line: r.line,
    values: Object.fromEntries(header.fields.map((name, i) => [name.trim(), r.fields[i] ?? ''])),
  }));
}
