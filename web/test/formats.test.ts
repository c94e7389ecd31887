import { describe, expect, it } from 'vitest';
import { escapeText, fold } from '../src/server/feeds/ical.js';
import { openingState } from '../src/app/format.js';
import { hoursInWords, schemaOrgOpeningHours } from '../src/app/hours.js';
import { parseCsv, toCsv } from '../src/opendata/csv.js';
import { nextParisWeekdayAt } from '../src/paris-time.js';

describe('opening hours in French words', () => {
  it('words the shapes spaces use, and gives up on richer syntax', () => {
    expect(hoursInWords('Mo,Tu 09:00-17:00; Th 14:00-17:00')).toEqual([
      'Lundi et mardi, de 9h à 17h',
      'Jeudi, de 14h à 17h',
    ]);
    expect(hoursInWords('Mo-Fr 08:30-18:30')).toEqual(['Du lundi au vendredi, de 8h30 à 18h30']);
    expect(hoursInWords('Mo-Sa 09:00-12:00, 14:00-18:00; PH off')).toEqual([
      'Du lundi au samedi, de 9h à 12h et de 14h à 18h',
      'Les jours fériés : fermé',
    ]);
    expect(hoursInWords('24/7')).toEqual(['Tous les jours, 24 heures sur 24']);
    expect(hoursInWords('10:00-18:00')).toEqual(['Tous les jours, de 10h à 18h']);
    expect(hoursInWords('Jan-Mar Mo 10:00-12:00')).toBeNull();
    expect(hoursInWords('Mo sunrise-sunset')).toBeNull();
    expect(schemaOrgOpeningHours('Mo,Tu 09:00-17:00; Th 14:00-17:00; PH off')).toEqual([
      'Mo,Tu 09:00-17:00',
      'Th 14:00-17:00',
    ]);
  });

  it('says when a space opens next, in Paris time', () => {
    const now = new Date('2026-11-23T08:00:00Z'); // Monday 09:00 in Paris
    const space = { status: 'OPEN', openingHours: 'Th 14:00-17:00', openNow: false };
    expect(
      openingState(
        {
          ...space,
          nextOpenings: [
            { opensAt: '2026-11-26T14:00:00+01:00', closesAt: '2026-11-26T17:00:00+01:00' },
          ],
        },
        now,
      ),
    ).toEqual({ open: false, label: 'Ouvre jeudi à 14h' });
    expect(
      openingState(
        {
          ...space,
          openNow: true,
          nextOpenings: [
            { opensAt: '2026-11-23T09:00:00+01:00', closesAt: '2026-11-23T17:30:00+01:00' },
          ],
        },
        now,
      ),
    ).toEqual({ open: true, label: 'Ouvert maintenant · jusqu’à 17h30' });
    expect(openingState({ ...space, openingHours: null, nextOpenings: [] }, now).label).toBe(
      'Horaires non communiqués',
    );
    expect(openingState({ ...space, status: 'ABANDONED', nextOpenings: [] }, now).label).toBe(
      'Projet abandonné',
    );
  });

  it('finds the next Thursday 15:00 in Paris, across a daylight-saving change', () => {
    expect(nextParisWeekdayAt(new Date('2027-03-24T12:00:00Z'), 4, 15, 0).toISOString()).toBe(
      '2027-03-25T14:00:00.000Z',
    );
    expect(nextParisWeekdayAt(new Date('2027-03-27T12:00:00Z'), 1, 10, 0).toISOString()).toBe(
      '2027-03-29T08:00:00.000Z',
    );
    // Thursday 15:00 already passed on that Thursday: the next one.
    expect(nextParisWeekdayAt(new Date('2027-03-25T14:30:00Z'), 4, 15, 0).toISOString()).toBe(
      '2027-04-01T13:00:00.000Z',
    );
  });
});

describe('iCalendar text', () => {
  it('escapes TEXT values and folds lines at 75 octets without splitting a character', () => {
    expect(escapeText('Repas, café; et\\ suite\nfin')).toBe('Repas\\, café\\; et\\\\ suite\\nfin');
    const line = `DESCRIPTION:${'é'.repeat(100)}`;
    const folded = fold(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
  });
});

describe('CSV', () => {
  it('reads quoted fields, doubled quotes, line breaks in fields, BOM and CRLF', () => {
    const text =
      '\uFEFFid,nom,horaires\r\n1,"La Serre, Serres","Mo 09:00-12:00"\r\n2,"Le ""Lab""","a\nb"\n';
    expect(parseCsv(text)).toEqual([
      { line: 2, values: { id: '1', nom: 'La Serre, Serres', horaires: 'Mo 09:00-12:00' } },
      { line: 3, values: { id: '2', nom: 'Le "Lab"', horaires: 'a\nb' } },
    ]);
    const rows = [
      { id: '1', nom: 'La Serre, Serres', note: 'dit "oui"' },
      { id: '2', nom: 'Les Tuves' },
    ];
    const csv = toCsv(['id', 'nom', 'note'], rows);
    expect(csv).toBe('id,nom,note\r\n1,"La Serre, Serres","dit ""oui"""\r\n2,Les Tuves,\r\n');
    expect(parseCsv(csv).map((r) => r.values.nom)).toEqual(['La Serre, Serres', 'Les Tuves']);
    expect(() => parseCsv('id,nom\r\n1,"jamais fermé\r\n')).toThrow(/never closed/);
  });
});

describe('French typography', () => {
  it('writes one apostrophe and the no-break spaces French puts before : ; ! ? and inside « »', async () => {
    const { french } = await import('../src/app/typography.js');
    expect(french("Carte d'abonnement : 10 entrées ; « Complet » ! Pourquoi ?")).toBe(
      'Carte d’abonnement\u00a0: 10 entrées\u202f; «\u00a0Complet\u00a0»\u202f! Pourquoi\u202f?',
    );
    expect(french('https://exemple.fr/a:b 14:00-17:00')).toBe('https://exemple.fr/a:b 14:00-17:00');
  });

  it('writes the first of the month as 1er, in Paris time', async () => {
    const { fullDate, longDay, period } = await import('../src/app/format.js');
    const first = new Date('2026-12-01T13:00:00Z');
    expect(longDay(first)).toBe('mardi 1er décembre');
    expect(fullDate(first)).toBe('1er décembre 2026');
    expect(longDay(new Date('2026-12-02T13:00:00Z'))).toBe('mercredi 2 décembre');
    expect(longDay(new Date('2026-11-30T23:30:00Z'))).toBe('mardi 1er décembre');
    expect(period(first, new Date('2026-12-01T15:00:00Z'))).toBe('mardi 1er décembre, 14h – 16h');
  });
});
