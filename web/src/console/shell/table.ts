/**
 * Tables of figures and their CSV: one description of the columns makes both, so the table a
 * person reads and the file they download never disagree.
 */
import { h, type Child } from '../../app/dom.js';

export interface Column<Row> {
  label: string;
  /** The cell as shown. */
  cell: (row: Row) => Child;
  /** The cell in the CSV; the shown text when absent. */
  csv?: (row: Row) => string | number;
  /** Numbers are right-aligned. */
  numeric?: boolean;
}

export function dataTable<Row>(
  caption: string,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  footer?: Child[],
  empty = 'Aucune donnée pour cette période.',
): HTMLElement {
  return h(
    'div',
    { class: 'table-defilante', role: 'region', 'aria-label': caption, tabindex: 0 },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) =>
            h('th', { scope: 'col', class: c.numeric ? 'nombre' : null }, c.label),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        rows.length === 0
          ? h('tr', {}, h('td', { colspan: columns.length }, empty))
          : rows.map((row) =>
              h(
                'tr',
                {},
                columns.map((c) => h('td', { class: c.numeric ? 'nombre' : null }, c.cell(row))),
              ),
            ),
      ),
      footer
        ? h(
            'tfoot',
            {},
            h(
              'tr',
              {},
              footer.map((cell) => h('td', {}, cell)),
            ),
          )
        : null,
    ),
  );
}

function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV (CRLF), cells from each column's `csv` or its shown text. */
export function csvOf<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const text = (child: Child): string =>
    child instanceof Node
      ? (child.textContent ?? '')
      : Array.isArray(child)
        ? child.map(text).join('')
        : child == null || child === false
          ? ''
          : String(child);
  const lines = [
    columns.map((c) => csvField(c.label)),
    ...rows.map((row) => columns.map((c) => csvField(c.csv ? c.csv(row) : text(c.cell(row))))),
  ];
  return lines.map((cells) => cells.join(',') + '\r\n').join('');
}

/** A link that downloads `text` as a file (a Blob URL, nothing sent anywhere). */
export function downloadLink(
  label: string,
  filename: string,
  text: string,
  type = 'text/csv',
): HTMLAnchorElement {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  return h('a', { href: url, download: filename, class: 'bouton' }, label);
}
