/** Settlement: what each seller owes each host over a period, the CSV, and the flows as a matrix. */
import { h, replace } from '../../app/dom.js';
import { price } from '../../app/format.js';
import { request } from '../../graphql/client.js';
import { failure, periodForm, periodOf } from '../shell/forms.js';
import { dataTable, downloadLink, type Column } from '../shell/table.js';
import { SETTLEMENT } from './operations.js';

export async function settlementPage(body: HTMLElement, url: URL): Promise<string> {
  const period = periodOf(url, 31);
  const answer = await request('/graphql', SETTLEMENT, period);
  const statement = answer.data?.settlement;
  const problem = statement ? null : failure(answer);
  const lines = statement?.lines ?? [];
  type Line = (typeof lines)[number];
  const sellerName = (l: Line) => l.seller?.name ?? 'Le réseau';
  const columns: Column<Line>[] = [
    { label: 'Vendeur', cell: sellerName },
    { label: 'Hôte', cell: (l) => l.host.name },
    { label: 'Passages', numeric: true, cell: (l) => l.redemptions },
    { label: 'Annulations', numeric: true, cell: (l) => l.voids },
    { label: 'Entrées', numeric: true, cell: (l) => l.entries },
    { label: 'Dû', numeric: true, cell: (l) => price(l.amount.amountCents) },
  ];
  const sellers = [...new Map(lines.map((l) => [l.seller?.slug ?? 'network', sellerName(l)]))];
  const hosts = [...new Map(lines.map((l) => [l.host.slug, l.host.name]))];
  const owed = (seller: string, host: string) =>
    lines.find((l) => (l.seller?.slug ?? 'network') === seller && l.host.slug === host)?.amount
      .amountCents;
  const matrix = h(
    'div',
    { class: 'table-defilante', role: 'region', 'aria-label': 'Matrice des flux', tabindex: 0 },
    h(
      'table',
      { class: 'matrice' },
      h(
        'caption',
        {},
        'Flux entre partenaires : ce que chaque vendeur (ligne) doit à chaque hôte (colonne)',
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Vendeur \\ Hôte'),
          hosts.map(([, name]) => h('th', { scope: 'col' }, name)),
        ),
      ),
      h(
        'tbody',
        {},
        sellers.map(([slug, name]) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, name),
            hosts.map(([host]) => {
              const amount = owed(slug, host);
              return h('td', { class: 'nombre' }, amount === undefined ? '—' : price(amount));
            }),
          ),
        ),
      ),
    ),
  );
  replace(
    body,
    h('h1', { tabindex: -1 }, 'Règlements'),
    periodForm('/reseau/reglements', period),
    problem ? h('p', { class: 'refus', role: 'alert' }, problem) : null,
    statement
      ? [
          h(
            'p',
            { id: 'total-reglement' },
            `Du ${statement.from} au ${statement.to} : ${statement.totalEntries} entrées, total ${price(statement.total.amountCents)}.`,
          ),
          downloadLink(
            'Télécharger le CSV',
            `reglement-${statement.from}-${statement.to}.csv`,
            statement.csv,
          ),
          dataTable(
            `Ce que chaque vendeur doit à chaque hôte (${statement.lineCount} lignes${statement.lineCount > lines.length ? `, les ${lines.length} premières ; le CSV les contient toutes` : ''})`,
            columns,
            lines,
          ),
          matrix,
        ]
      : null,
  );
  return 'Règlements';
}
