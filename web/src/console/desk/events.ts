/**
 * Events: the list with the creation form (one event or a weekly series from an RRULE), and an
 * event's page: edit, cancel, change the series from a date, registrations with check-in at
 * the door and their CSV.
 */
import { RRule } from 'rrule';
import { field, h, options, replace } from '../../app/dom.js';
import { day, hour, longDay } from '../../app/format.js';
import { EVENT_KINDS } from '../../labels.js';
import { instantFromParisWallClock, parisWallClock } from '@tiers-lieux/schema/paris-time';
import type { DeskEventQuery } from '../../__generated__/graphql.js';
import { ask } from '../shell/operations.js';
import { problemOf } from '../shell/forms.js';
import { deskFailure } from './refusals.js';
import { navigate, say, sayFailure, statusLine } from '../shell/layout.js';
import { csvOf, dataTable, downloadLink, type Column } from '../shell/table.js';
import {
  CANCEL_DESK_EVENT,
  CHECK_IN_REGISTRATION,
  CREATE_DESK_EVENT,
  CREATE_DESK_SERIES,
  DESK_EVENT,
  DESK_EVENTS,
  UPDATE_DESK_EVENT,
  UPDATE_DESK_SERIES,
} from './operations.js';

const WEEKDAYS: [string, string][] = [
  ['MO', 'lundi'],
  ['TU', 'mardi'],
  ['WE', 'mercredi'],
  ['TH', 'jeudi'],
  ['FR', 'vendredi'],
  ['SA', 'samedi'],
  ['SU', 'dimanche'],
];

/** `2026-11-26` and `14:00` typed in Paris time → the instant. */
function parisInstant(date: string, time: string): Date {
  const [year, month, dayOfMonth] = date.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return instantFromParisWallClock({
    year,
    month,
    day: dayOfMonth,
    hour: hours,
    minute: minutes,
    second: 0,
  });
}

function parisInputs(instant: Date): { date: string; time: string } {
  const w = parisWallClock(instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${w.year}-${two(w.month)}-${two(w.day)}`,
    time: `${two(w.hour)}:${two(w.minute)}`,
  };
}

/** The dates a rule makes from a first start, as the partner will (Paris wall-clock), for the preview. */
export function previewOccurrences(rule: string, first: Date, max = 100): Date[] {
  const w = parisWallClock(first);
  const dtstart = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
  const made = new RRule({ ...RRule.parseString(rule), dtstart }).all((_d, i) => i < max);
  return made.map((d) =>
    instantFromParisWallClock({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: 0,
    }),
  );
}

function newEventForm(spaces: { id: string; name: string }[], onDone: (eventId: string) => void) {
  const status = statusLine();
  const space = h('select', { name: 'space' }, options(spaces.map((s) => [s.id, s.name])));
  const title = h('input', { type: 'text', name: 'title', required: true });
  const kind = h(
    'select',
    { name: 'kind' },
    options(Object.entries(EVENT_KINDS) as [string, string][], 'INFORMATION_MEETING'),
  );
  const date = h('input', { type: 'date', name: 'date', required: true });
  const time = h('input', { type: 'time', name: 'time', value: '14:00', required: true });
  const minutes = h('input', { type: 'number', name: 'minutes', min: 1, max: 1440, value: 90 });
  const capacity = h('input', { type: 'number', name: 'capacity', min: 1 });
  const repeat = h(
    'select',
    { name: 'repeat' },
    options([
      ['', 'Une seule fois'],
      ['WEEKLY', 'Chaque semaine'],
      ['MONTHLY', 'Chaque mois'],
    ]),
  );
  const count = h('input', { type: 'number', name: 'count', min: 1, max: 100, value: 6 });
  const rule = h('input', { type: 'text', name: 'rule', class: 'url', spellcheck: 'false' });
  const preview = h('div', { id: 'apercu-serie', 'aria-live': 'polite' });
  const repeatOnly = h(
    'div',
    { hidden: true },
    field('Nombre de séances', count),
    field(
      'Règle de récurrence (RFC 5545)',
      rule,
      'Calculée à partir des champs ci-dessus ; modifiable (par exemple FREQ=WEEKLY;BYDAY=TH;UNTIL=20270630T000000Z).',
    ),
    preview,
  );

  const first = () => (date.value && time.value ? parisInstant(date.value, time.value) : null);
  const makeRule = () => {
    const start = first();
    if (!repeat.value || !start) return;
    const weekday =
      WEEKDAYS[
        (new Date(
          Date.UTC(
            parisWallClock(start).year,
            parisWallClock(start).month - 1,
            parisWallClock(start).day,
          ),
        ).getUTCDay() +
          6) %
          7
      ]![0];
    rule.value =
      repeat.value === 'WEEKLY'
        ? `FREQ=WEEKLY;BYDAY=${weekday};COUNT=${count.value || 1}`
        : `FREQ=MONTHLY;COUNT=${count.value || 1}`;
  };
  const showPreview = () => {
    repeatOnly.hidden = !repeat.value;
    const start = first();
    if (!repeat.value || !start || !rule.value) return replace(preview);
    try {
      const dates = previewOccurrences(rule.value, start);
      replace(
        preview,
        h('p', {}, `${dates.length} séances :`),
        h(
          'ol',
          { class: 'occurrences' },
          dates.slice(0, 12).map((d) => h('li', {}, `${longDay(d)} à ${hour(d)}`)),
        ),
        dates.length > 12 ? h('p', {}, '…') : null,
      );
    } catch {
      replace(
        preview,
        h(
          'p',
          { class: 'erreur' },
          'Règle illisible : écrivez-la comme FREQ=WEEKLY;BYDAY=TH;COUNT=4 (chaque jeudi, quatre fois).',
        ),
      );
    }
  };
  for (const control of [repeat, count, date, time])
    control.addEventListener('change', () => {
      makeRule();
      showPreview();
    });
  rule.addEventListener('input', showPreview);

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'gestion',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const start = first();
        if (!title.value.trim() || !start)
          return sayFailure(status, 'Indiquez au moins un titre, une date et une heure.');
        const common = {
          spaceId: space.value,
          title: title.value,
          kind: kind.value as 'WORKSHOP',
          capacity: capacity.value ? Number(capacity.value) : null,
        };
        const duration = Number(minutes.value || 60);
        if (repeat.value) {
          const result = await ask(CREATE_DESK_SERIES, {
            input: {
              ...common,
              startsAt: start.toISOString(),
              durationMinutes: duration,
              rule: rule.value,
            },
          });
          const payload = result.data?.createEventSeries;
          if (!payload || payload.error)
            return sayFailure(status, `Non créée : ${deskFailure(result, payload?.error) ?? ''}`);
          say(status, `Série créée : ${payload.changedOccurrences} séances.`);
          return onDone(payload.series!.occurrences[0]!.id);
        }
        const result = await ask(CREATE_DESK_EVENT, {
          input: {
            ...common,
            startsAt: start.toISOString(),
            endsAt: new Date(start.getTime() + duration * 60_000).toISOString(),
          },
        });
        const payload = result.data?.createEvent;
        if (!payload || payload.error)
          return sayFailure(status, `Non créé : ${deskFailure(result, payload?.error) ?? ''}`);
        say(status, 'Événement créé.');
        onDone(payload.event!.id);
      },
    },
    h('h2', {}, 'Nouvel événement'),
    field('Lieu', space),
    field('Titre', title),
    field('Type', kind),
    h(
      'div',
      { class: 'ligne' },
      field('Date (heure de Paris)', date),
      field('Heure de début', time),
      field('Durée (minutes)', minutes),
      field('Places (vide : sans limite)', capacity),
    ),
    field('Répétition', repeat),
    repeatOnly,
    h('button', { type: 'submit' }, 'Créer'),
    status,
  );
  return form;
}

export async function eventsPage(
  main: HTMLElement,
  partner: string,
  canManage: boolean,
): Promise<string> {
  const answer = await ask(DESK_EVENTS, { slug: partner });
  const spaces = answer.data?.partner?.spaces.edges.map((e) => e.node) ?? [];
  const events = spaces
    .flatMap((s) => s.events.map((e) => ({ ...e, spaceName: s.name })))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const columns: Column<(typeof events)[number]>[] = [
    { label: 'Date', cell: (e) => `${day(new Date(e.startsAt))} ${hour(new Date(e.startsAt))}` },
    {
      label: 'Événement',
      cell: (e) =>
        h('a', { href: `/gestion/${partner}/evenements/${encodeURIComponent(e.id)}` }, e.title),
    },
    { label: 'Lieu', cell: (e) => e.spaceName },
    {
      label: 'Places restantes',
      cell: (e) => (e.capacity === null ? 'sans limite' : `${e.seatsLeft} sur ${e.capacity}`),
    },
    { label: 'Attente', cell: (e) => String(e.waitingListLength) },
    {
      label: 'État',
      cell: (e) => (e.status === 'CANCELLED' ? 'Annulé' : e.series ? 'Série' : 'Prévu'),
    },
  ];
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Événements'),
    problemOf(answer) ? h('p', { class: 'erreur' }, problemOf(answer)) : null,
    events.length === 0
      ? h('p', {}, 'Aucun événement à venir.')
      : dataTable('Événements à venir', columns, events),
    canManage
      ? newEventForm(spaces, (id) =>
          navigate(`/gestion/${partner}/evenements/${encodeURIComponent(id)}`),
        )
      : null,
  );
  return 'Événements';
}

type EventDetail = NonNullable<DeskEventQuery['event']>;
type RegistrationRow = EventDetail['registrations'][number];

const REGISTRATION_STATUS: Record<string, string> = {
  CONFIRMED: 'Confirmée',
  WAITING: 'En attente',
  PENDING: 'À confirmer',
  CANCELLED: 'Annulée',
};

export async function eventPage(
  main: HTMLElement,
  partner: string,
  eventId: string,
  canManage: boolean,
  notice?: string,
): Promise<string> {
  const answer = await ask(DESK_EVENT, { id: eventId });
  const event = answer.data?.event;
  if (!event) {
    replace(
      main,
      h('h1', { tabindex: -1 }, 'Événement introuvable'),
      h('p', {}, problemOf(answer) ?? 'Cet événement n’existe pas chez ce partenaire.'),
    );
    return 'Événement introuvable';
  }
  const reload = (done?: string) => void eventPage(main, partner, eventId, canManage, done);
  const status = statusLine();
  if (notice) say(status, notice);
  const starts = new Date(event.startsAt);
  const ends = new Date(event.endsAt);

  const checkInButton = (r: RegistrationRow) =>
    r.status !== 'CONFIRMED'
      ? '—'
      : h(
          'button',
          {
            type: 'button',
            class: r.checkedInAt ? 'secondaire' : '',
            'aria-pressed': r.checkedInAt ? 'true' : 'false',
            'aria-label': `${r.checkedInAt ? 'Annuler l’arrivée de' : 'Noter l’arrivée de'} ${r.name}`,
            onclick: async () => {
              const result = await ask(CHECK_IN_REGISTRATION, {
                input: { id: r.id, undo: r.checkedInAt !== null },
              });
              const error = result.data?.checkInRegistration?.error;
              const refused = deskFailure(result, error);
              if (refused) return sayFailure(status, refused);
              reload(r.checkedInAt ? `Arrivée de ${r.name} annulée.` : `${r.name} est arrivé·e.`);
            },
          },
          r.checkedInAt ? `Arrivé·e à ${hour(new Date(r.checkedInAt))}` : 'Noter l’arrivée',
        );
  const columns: Column<RegistrationRow>[] = [
    { label: 'Nom', cell: (r) => r.name, csv: (r) => r.name },
    { label: 'E-mail', cell: (r) => r.member?.email ?? '', csv: (r) => r.member?.email ?? '' },
    {
      label: 'Inscription',
      cell: (r) => REGISTRATION_STATUS[r.status] ?? r.status,
      csv: (r) => r.status,
    },
    {
      label: 'Rang d’attente',
      cell: (r) => (r.waitingPosition ?? '') as string,
      csv: (r) => String(r.waitingPosition ?? ''),
    },
    { label: 'Arrivée', cell: checkInButton, csv: (r) => r.checkedInAt ?? '' },
  ];
  const live = event.registrations.filter((r) => r.status !== 'CANCELLED');

  const edit = () => {
    const when = parisInputs(starts);
    const date = h('input', { type: 'date', value: when.date });
    const time = h('input', { type: 'time', value: when.time });
    const minutes = h('input', {
      type: 'number',
      min: 1,
      value: Math.round((ends.getTime() - starts.getTime()) / 60_000),
    });
    const title = h('input', { type: 'text', value: event.title });
    const capacity = h('input', { type: 'number', min: 1, value: event.capacity ?? '' });
    const scope = event.series
      ? h(
          'select',
          {},
          options([
            ['one', 'Cette séance seulement'],
            ['series', `Cette séance et les suivantes de la série`],
          ]),
        )
      : null;
    return h(
      'form',
      {
        class: 'gestion',
        novalidate: true,
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const start = parisInstant(date.value, time.value);
          const duration = Number(minutes.value);
          if (scope?.value === 'series') {
            const result = await ask(UPDATE_DESK_SERIES, {
              input: {
                id: event.series!.id,
                fromDate: when.date,
                startTime: time.value,
                durationMinutes: duration,
                title: title.value,
                capacity: capacity.value ? Number(capacity.value) : null,
              },
            });
            const payload = result.data?.updateEventSeries;
            if (!payload || payload.error)
              return sayFailure(status, deskFailure(result, payload?.error) ?? '');
            return reload(`${payload.changedOccurrences} séances modifiées.`);
          }
          const result = await ask(UPDATE_DESK_EVENT, {
            input: {
              id: event.id,
              title: title.value,
              startsAt: start.toISOString(),
              endsAt: new Date(start.getTime() + duration * 60_000).toISOString(),
              capacity: capacity.value ? Number(capacity.value) : null,
            },
          });
          const payload = result.data?.updateEvent;
          if (!payload || payload.error)
            return sayFailure(status, deskFailure(result, payload?.error) ?? '');
          reload('Séance modifiée.');
        },
      },
      h('h2', {}, 'Modifier'),
      scope ? field('Appliquer à', scope) : null,
      field('Titre', title),
      h(
        'div',
        { class: 'ligne' },
        field('Date (heure de Paris)', date),
        field('Heure de début', time),
        field('Durée (minutes)', minutes),
        field('Places', capacity),
      ),
      h('button', { type: 'submit' }, 'Enregistrer les modifications'),
      event.status === 'SCHEDULED'
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondaire',
              onclick: async () => {
                if (!confirm('Annuler cet événement ? Les inscrits seront prévenus.')) return;
                const result = await ask(CANCEL_DESK_EVENT, { input: { id: event.id } });
                const refused = deskFailure(result, result.data?.cancelEvent.error);
                if (refused) return sayFailure(status, refused);
                reload('Événement annulé.');
              },
            },
            'Annuler l’événement',
          )
        : null,
    );
  };

  replace(
    main,
    h('h1', { tabindex: -1 }, event.title),
    h(
      'p',
      { class: 'chapo' },
      `${longDay(starts)}, de ${hour(starts)} à ${hour(ends)} — ${event.space.name}`,
      event.status === 'CANCELLED' ? ' — annulé' : '',
    ),
    h(
      'p',
      { id: 'places' },
      event.capacity === null
        ? `${live.length} inscrits, sans limite de places`
        : `${event.seatsLeft} places restantes sur ${event.capacity}, ${event.waitingListLength} en attente`,
    ),
    event.series
      ? h(
          'details',
          { class: 'serie' },
          h(
            'summary',
            {},
            `Série de ${event.series.occurrences.length} séances (${event.series.rule})`,
          ),
          h(
            'ol',
            {},
            event.series.occurrences.map((o) =>
              h(
                'li',
                {},
                h(
                  'a',
                  {
                    href: `/gestion/${partner}/evenements/${encodeURIComponent(o.id)}`,
                    'aria-current': o.id === event.id ? 'page' : null,
                  },
                  `${longDay(new Date(o.startsAt))} à ${hour(new Date(o.startsAt))}`,
                ),
                o.status === 'CANCELLED' ? ' (annulée)' : '',
              ),
            ),
          ),
        )
      : null,
    status,
    h('h2', {}, 'Inscriptions'),
    live.length === 0
      ? h('p', {}, 'Personne n’est inscrit.')
      : dataTable('Inscriptions', columns, live),
    live.length === 0
      ? null
      : h(
          'p',
          {},
          // The BOM lets spreadsheet programs read the accents as UTF-8.
          downloadLink(
            'Exporter la liste (CSV)',
            `inscriptions-${event.id.split(':')[2]}.csv`,
            `\ufeff${csvOf(columns, live)}`,
          ),
        ),
    canManage ? edit() : null,
  );
  return event.title;
}
