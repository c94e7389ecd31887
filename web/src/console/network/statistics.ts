/**
 * Network statistics as charts, each with its table beside it for screen readers: visits per
 * space per week, occupancy by weekday and hour (a heat map), events and how full they were,
 * pass entries spent per host, members in the directory over time. The figures are the
 * partners' aggregates summed by the gateway, and the network's settlement.
 */
import { h, replace } from '../../app/dom.js';
import { request } from '../../graphql/client.js';
import { failure, periodForm, periodOf } from '../shell/forms.js';
import { dataTable, type Column } from '../shell/table.js';
import { NETWORK_FIGURES } from './operations.js';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** A chart and its table side by side; the canvas is an image described by the table. */
function chartBeside(
  id: string,
  title: string,
  table: HTMLElement,
): { block: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', {
    id,
    role: 'img',
    'aria-label': `${title} (graphique ; les valeurs sont dans le tableau voisin)`,
  });
  return {
    canvas,
    block: h(
      'section',
      { class: 'graphique', 'aria-label': title },
      h('figure', {}, h('figcaption', {}, h('h2', {}, title)), canvas),
      table,
    ),
  };
}

export async function statisticsPage(body: HTMLElement, url: URL): Promise<string> {
  const period = periodOf(url, 90);
  const [answer, { Chart }] = await Promise.all([
    request('/graphql', NETWORK_FIGURES, period),
    import('./charts.js'),
  ]);
  const data = answer.data;
  const problem = failure(answer);

  const visits = data?.visitsByWeek ?? [];
  const weeks = [...new Set(visits.map((v) => v.week))].sort();
  const spaces = [
    ...new Map(
      visits.map((v) => [v.space.id, `${v.space.name} — ${v.space.address?.commune ?? ''}`]),
    ),
  ];
  type Visit = (typeof visits)[number];
  const visitsTable = dataTable<Visit>(
    'Visites par lieu et par semaine',
    [
      { label: 'Semaine du', cell: (v) => v.week },
      { label: 'Lieu', cell: (v) => `${v.space.name} — ${v.space.address?.commune ?? ''}` },
      { label: 'Visites', numeric: true, cell: (v) => v.visits },
    ],
    visits,
  );
  const visitsChart = chartBeside(
    'graphique-visites',
    'Visites par lieu et par semaine',
    visitsTable,
  );

  const cells = data?.occupancyByHour ?? [];
  const most = Math.max(1, ...cells.map((c) => c.visitorHours));
  const at = (weekday: number, hour: number) =>
    cells.find((c) => c.weekday === weekday && c.hour === hour)?.visitorHours ?? 0;
  const hours = Array.from({ length: 15 }, (_, i) => i + 7);
  const heat = h(
    'section',
    { class: 'graphique', 'aria-labelledby': 'titre-occupation' },
    h(
      'div',
      {
        class: 'table-defilante carte-chaleur',
        role: 'region',
        'aria-labelledby': 'titre-occupation',
        tabindex: 0,
      },
      h(
        'table',
        { id: 'carte-occupation' },
        h(
          'caption',
          { id: 'titre-occupation' },
          'Occupation par jour et par heure (heures de présence, 7h–21h)',
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Jour'),
            hours.map((hr) => h('th', { scope: 'col' }, `${hr}h`)),
          ),
        ),
        h(
          'tbody',
          {},
          WEEKDAYS.map((name, i) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, name),
              hours.map((hr) => {
                const value = at(i + 1, hr);
                return h(
                  'td',
                  { class: 'cellule', 'data-niveau': Math.ceil((value / most) * 4) },
                  value,
                );
              }),
            ),
          ),
        ),
      ),
    ),
  );

  const events = data?.eventAttendance ?? [];
  type Attendance = (typeof events)[number];
  const eventsTable = dataTable<Attendance>(
    'Événements et remplissage',
    [
      { label: 'Événement', cell: (e) => e.event.title },
      {
        label: 'Date',
        cell: (e) =>
          new Date(e.event.startsAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }),
      },
      { label: 'Inscrits', numeric: true, cell: (e) => e.confirmed },
      { label: 'Places', numeric: true, cell: (e) => e.capacity ?? 'illimitées' },
      { label: 'Liste d’attente', numeric: true, cell: (e) => e.waiting },
    ],
    events,
  );
  const eventsChart = chartBeside('graphique-evenements', 'Événements et remplissage', eventsTable);

  const byHost = new Map<string, { name: string; entries: number }>();
  for (const line of data?.settlement.lines ?? []) {
    const host = byHost.get(line.host.slug) ?? { name: line.host.name, entries: 0 };
    host.entries += line.entries;
    byHost.set(line.host.slug, host);
  }
  const hosts = [...byHost.values()];
  const hostsColumns: Column<(typeof hosts)[number]>[] = [
    { label: 'Hôte', cell: (x) => x.name },
    { label: 'Entrées dépensées', numeric: true, cell: (x) => x.entries },
  ];
  const hostsChart = chartBeside(
    'graphique-hotes',
    'Entrées de pass dépensées par hôte',
    dataTable('Entrées de pass dépensées par hôte', hostsColumns, hosts),
  );

  const months = data?.directoryOptIns ?? [];
  let running = 0;
  const cumulative = months.map((m) => ({
    month: m.month,
    members: m.members,
    total: (running += m.members),
  }));
  const directoryChart = chartBeside(
    'graphique-annuaire',
    'Membres inscrits à l’annuaire au fil du temps',
    dataTable(
      'Membres inscrits à l’annuaire, par mois d’inscription',
      [
        { label: 'Mois', cell: (m: (typeof cumulative)[number]) => m.month },
        { label: 'Nouveaux', numeric: true, cell: (m) => m.members },
        { label: 'Cumul', numeric: true, cell: (m) => m.total },
      ],
      cumulative,
    ),
  );

  replace(
    body,
    h('h1', { tabindex: -1 }, 'Statistiques du réseau'),
    periodForm('/reseau/statistiques', period),
    problem ? h('p', { class: 'refus', role: 'alert' }, problem) : null,
    visitsChart.block,
    heat,
    eventsChart.block,
    hostsChart.block,
    directoryChart.block,
  );

  const palette = ['#1f5fae', '#b3261e', '#1d6b2f', '#8a4f00', '#5b3d99', '#00667a', '#7a2e5c'];
  const plotted = (chart: InstanceType<typeof Chart>) =>
    chart.canvas.setAttribute(
      'data-valeurs',
      JSON.stringify({
        labels: chart.data.labels,
        datasets: chart.data.datasets.map((dataset) => ({
          label: dataset.label,
          data: dataset.data,
        })),
      }),
    );
  const charts = [];
  charts.push(
    new Chart(visitsChart.canvas, {
      type: 'bar',
      data: {
        labels: weeks,
        datasets: spaces.map(([id, name], i) => ({
          label: name,
          backgroundColor: palette[i % palette.length],
          data: weeks.map(
            (w) => visits.find((v) => v.week === w && v.space.id === id)?.visits ?? 0,
          ),
        })),
      },
      options: {
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
      },
    }),
  );
  charts.push(
    new Chart(eventsChart.canvas, {
      type: 'bar',
      data: {
        labels: events.map((e) => e.event.title),
        datasets: [
          { label: 'Inscrits', backgroundColor: palette[0], data: events.map((e) => e.confirmed) },
          { label: 'Places', backgroundColor: '#a9c7ec', data: events.map((e) => e.capacity ?? 0) },
        ],
      },
      options: { animation: false, indexAxis: 'y' },
    }),
  );
  charts.push(
    new Chart(hostsChart.canvas, {
      type: 'bar',
      data: {
        labels: hosts.map((x) => x.name),
        datasets: [
          {
            label: 'Entrées dépensées',
            backgroundColor: palette[2],
            data: hosts.map((x) => x.entries),
          },
        ],
      },
      options: { animation: false, scales: { y: { beginAtZero: true } } },
    }),
  );
  charts.push(
    new Chart(directoryChart.canvas, {
      type: 'line',
      data: {
        labels: cumulative.map((m) => m.month),
        datasets: [
          {
            label: 'Membres dans l’annuaire (cumul)',
            borderColor: palette[4],
            data: cumulative.map((m) => m.total),
          },
        ],
      },
      options: { animation: false, scales: { y: { beginAtZero: true } } },
    }),
  );
  // What each chart plots, as Chart.js holds it: tests compare it with the API's figures.
  charts.forEach(plotted);
  return 'Statistiques';
}
