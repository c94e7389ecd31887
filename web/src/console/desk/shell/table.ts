/** Tables with a caption and header cells, and their CSV export (RFC 4180, `;`-free). */
import { h, type Child } from '../../../app/dom.js';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => Child;
  /** The text of the cell in the CSV file; the column is left out of it when absent. */
  csv?: (row: Row) => string;
}

export function table<Row>(caption: string, columns: Column<Row>[], rows: Row[]): HTMLElement {
  return h(
    'table',
    { class: 'tableau' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { scope: 'col' }, c.header)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          columns.map((c) => h('td', {}, c.cell(row))),
        ),
      ),
    ),
  );
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv<Row>(columns: Column<Row>[], rows: Row[]): string {
  const exported = columns.filter((c) => c.csv);
  const lines = [exported.map((c) => csvField(c.header))];
  for (const row of rows) lines.push(exported.map((c) => csvField(c.csv!(row))));
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

/** A link that downloads the CSV of a table (made in the page: nothing more is asked). */
export function csvLink<Row>(
  label: string,
  fileName: string,
  columns: Column<Row>[],
  rows: Row[],
): HTMLAnchorElement {
  // The BOM lets spreadsheet programs read the accents as UTF-8.
  const blob = new Blob(['\ufeff', toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' });
  return h('a', { class: 'bouton', href: URL.createObjectURL(blob), download: fileName }, label);
}
