/**
 * The opening hours editor: a day-by-day form and the raw OpenStreetMap `opening_hours`
 * string side by side, each updating the other. The string is read by the `opening_hours`
 * library itself (the one the partners evaluate with), in Europe/Paris wall-clock time; what it
 * refuses or warns about is shown with its words, and saving is held until the value is clean.
 */
import OpeningHours from 'opening_hours';
import { h, replace } from '../../app/dom.js';
import { hour, longDay } from '../../app/format.js';
import { hoursInWords } from '../../app/hours.js';
import { instantFromParisWallClock, parisWallClock } from '@tiers-lieux/schema/paris-time';

const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const DAY_NAMES = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];
const FRANCE = { lat: 46.6, lon: 2.4, address: { country_code: 'fr', state: 'France' } };
/** A week without public holidays, to read a value day by day. */
const REFERENCE_MONDAY = { year: 2026, month: 1, day: 12 };

export type HoursReading =
  | {
      ok: true;
      value: string;
      words: string[] | null;
      openings: { opensAt: Date; closesAt: Date }[];
    }
  | { ok: false; problems: string[]; suggestion: string | null };

function wall(instant: Date): Date {
  const w = parisWallClock(instant);
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

function instant(local: Date): Date {
  return instantFromParisWallClock({
    year: local.getFullYear(),
    month: local.getMonth() + 1,
    day: local.getDate(),
    hour: local.getHours(),
    minute: local.getMinutes(),
    second: local.getSeconds(),
  });
}

/** Reads a value as the partners will: its canonical form, its words, its next openings. */
export function readHours(value: string, now = new Date(), count = 5): HoursReading {
  let parsed: OpeningHours;
  try {
    parsed = new OpeningHours(value.trim(), FRANCE, { locale: 'fr' } as never);
  } catch (error) {
    return {
      ok: false,
      problems: [String(error instanceof Error ? error.message : error)],
      suggestion: null,
    };
  }
  const canonical = parsed.prettifyValue();
  const warnings = parsed.getWarnings();
  if (warnings.length > 0) return { ok: false, problems: warnings, suggestion: canonical };
  const start = wall(now);
  const end = new Date(start.getTime() + 14 * 86_400_000);
  const openings = parsed
    .getOpenIntervals(start, end)
    .slice(0, count)
    .map(([opensAt, closesAt]) => ({ opensAt: instant(opensAt), closesAt: instant(closesAt) }));
  return { ok: true, value: canonical, words: hoursInWords(canonical), openings };
}

type DayHours = { from: string; to: string } | null;

/** The week a value makes, one period a day; null when a day has more (the form cannot say it). */
function weekOf(value: string): DayHours[] | null {
  let parsed: OpeningHours;
  try {
    parsed = new OpeningHours(value, FRANCE);
  } catch {
    return null;
  }
  const { year, month, day } = REFERENCE_MONDAY;
  const week: DayHours[] = [];
  for (let i = 0; i < 7; i++) {
    const from = new Date(year, month - 1, day + i);
    const to = new Date(year, month - 1, day + i + 1);
    const periods = parsed.getOpenIntervals(from, to);
    if (periods.length > 1) return null;
    const [period] = periods;
    const time = (d: Date) =>
      `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    week.push(
      period
        ? {
            from: time(period[0]),
            to: period[1].getTime() === to.getTime() ? '24:00' : time(period[1]),
          }
        : null,
    );
  }
  return week;
}

/** The value of a week: days with the same hours together (`Mo,Tu 09:00-17:00; Th 14:00-17:00`). */
function valueOf(week: DayHours[]): string {
  const groups = new Map<string, string[]>();
  week.forEach((d, i) => {
    if (!d) return;
    const key = `${d.from}-${d.to}`;
    groups.set(key, [...(groups.get(key) ?? []), DAYS[i]!]);
  });
  const rules = [...groups].map(([range, days]) => `${days.join(',')} ${range}`).join('; ');
  if (rules === '') return 'closed';
  try {
    return new OpeningHours(rules, FRANCE).prettifyValue();
  } catch {
    return rules;
  }
}

export interface HoursEditor {
  element: HTMLElement;
  /** The value to save, or null while it is refused. */
  value(): string | null;
}

export function hoursEditor(initial: string | null): HoursEditor {
  const raw = h('input', {
    type: 'text',
    id: 'horaires-osm',
    name: 'openingHours',
    class: 'url',
    value: initial ?? '',
    'aria-describedby': 'horaires-osm-aide horaires-lecture',
    spellcheck: 'false',
  });
  const reading = h('div', { id: 'horaires-lecture', role: 'status', 'aria-live': 'polite' });
  const rows = DAY_NAMES.map((name, i) => {
    const open = h('input', { type: 'checkbox', id: `jour-${i}-ouvert` });
    const from = h('input', {
      type: 'time',
      id: `jour-${i}-de`,
      'aria-label': `${name} : ouverture`,
    });
    const to = h('input', { type: 'time', id: `jour-${i}-a`, 'aria-label': `${name} : fermeture` });
    return { name, open, from, to };
  });
  let current: HoursReading | null = null;

  const fillForm = (value: string) => {
    const week = weekOf(value);
    for (const [i, row] of rows.entries()) {
      const day = week?.[i] ?? null;
      row.open.checked = day !== null;
      row.from.value = day?.from ?? '';
      row.to.value = day?.to === '24:00' ? '23:59' : (day?.to ?? '');
      for (const control of [row.open, row.from, row.to]) control.disabled = week === null;
    }
    formNote.hidden = week !== null;
  };

  const show = () => {
    const value = raw.value.trim();
    if (value === '') {
      current = null;
      raw.removeAttribute('aria-invalid');
      replace(reading, h('p', {}, 'Horaires inconnus : le lieu n’indiquera pas s’il est ouvert.'));
      return;
    }
    current = readHours(value);
    if (!current.ok) {
      raw.setAttribute('aria-invalid', 'true');
      const suggestion = current.suggestion;
      replace(
        reading,
        h('p', { class: 'erreur' }, 'Ces horaires ne peuvent pas être enregistrés :'),
        h(
          'ul',
          { class: 'erreur' },
          current.problems.map((p) => h('li', {}, p)),
        ),
        suggestion
          ? h(
              'p',
              {},
              `La bibliothèque les lit comme « ${suggestion} ». `,
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondaire',
                  onclick: () => {
                    raw.value = suggestion;
                    fillForm(suggestion);
                    show();
                  },
                },
                'Vérifier cette lecture',
              ),
            )
          : null,
      );
      return;
    }
    raw.removeAttribute('aria-invalid');
    const openings = current.openings;
    replace(
      reading,
      h('p', {}, 'Lecture en français :'),
      current.words
        ? h(
            'ul',
            { class: 'horaires' },
            current.words.map((w) => h('li', {}, w)),
          )
        : h('p', {}, current.value),
      h('p', {}, 'Prochaines ouvertures :'),
      openings.length === 0
        ? h('p', {}, 'Aucune ouverture dans les 14 prochains jours.')
        : h(
            'ol',
            { id: 'apercu-ouvertures' },
            openings.map((o) =>
              h(
                'li',
                {
                  'data-ouverture': o.opensAt.toISOString(),
                  'data-fermeture': o.closesAt.toISOString(),
                },
                `${longDay(o.opensAt)}, de ${hour(o.opensAt)} à ${hour(o.closesAt)}`,
              ),
            ),
          ),
    );
  };

  const fromForm = () => {
    const week: DayHours[] = rows.map((r) =>
      r.open.checked && r.from.value && r.to.value ? { from: r.from.value, to: r.to.value } : null,
    );
    raw.value = valueOf(week);
    show();
  };

  raw.addEventListener('input', () => {
    fillForm(raw.value.trim());
    show();
  });
  for (const row of rows)
    for (const control of [row.open, row.from, row.to]) {
      control.addEventListener('change', fromForm);
      control.addEventListener('input', fromForm);
    }

  const formNote = h(
    'p',
    { class: 'aide' },
    'Ces horaires ont plusieurs plages par jour ou des règles particulières : modifiez-les dans le champ de texte.',
  );
  fillForm(initial ?? '');
  show();

  const element = h(
    'fieldset',
    { class: 'editeur-horaires' },
    h('legend', {}, 'Horaires d’ouverture'),
    h(
      'div',
      { class: 'colonnes' },
      h(
        'div',
        {},
        h(
          'table',
          { class: 'tableau' },
          h('caption', {}, 'Jour par jour'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Jour', 'Ouvert', 'De', 'À'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((r) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, h('label', { for: r.open.id }, r.name)),
                h('td', {}, r.open),
                h('td', {}, r.from),
                h('td', {}, r.to),
              ),
            ),
          ),
        ),
        formNote,
      ),
      h(
        'div',
        {},
        h('label', { for: raw.id }, 'Horaires au format OpenStreetMap'),
        h(
          'p',
          { id: 'horaires-osm-aide', class: 'aide' },
          'Par exemple « Mo,Tu 09:00-17:00; Th 14:00-17:00 » (jours en anglais abrégé, heures sur 24 h).',
        ),
        raw,
        reading,
      ),
    ),
  );
  return {
    element,
    value: () => {
      if (raw.value.trim() === '') return '';
      return current?.ok ? current.value : null;
    },
  };
}
