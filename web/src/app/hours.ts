/**
 * OpenStreetMap `opening_hours` in French words, for the common shapes spaces use
 * (`Mo,Tu 09:00-17:00; Th 14:00-17:00`, `Mo-Fr 08:30-18:30`, `PH off`, `24/7`). Anything
 * richer (months, weeks, sunrise…) answers null and the page shows the value as it is; the
 * server evaluates the full syntax for "open now" and the next openings.
 */

const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const DAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const TIME_RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

function time(hours: string, minutes: string): string {
  return minutes === '00' ? `${Number(hours)}h` : `${Number(hours)}h${minutes}`;
}

function joinFrench(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}

function days(selector: string): string | null {
  const parts: string[] = [];
  for (const item of selector.split(',')) {
    if (item === 'PH') {
      parts.push('les jours fériés');
      continue;
    }
    const [from, to] = item.split('-') as [string, string | undefined];
    const start = DAYS.indexOf(from as (typeof DAYS)[number]);
    if (start < 0) return null;
    if (to === undefined) {
      parts.push(DAY_NAMES[start]!);
      continue;
    }
    const end = DAYS.indexOf(to as (typeof DAYS)[number]);
    if (end < 0) return null;
    parts.push(
      end === start + 1
        ? `${DAY_NAMES[start]} et ${DAY_NAMES[end]}`
        : `du ${DAY_NAMES[start]} au ${DAY_NAMES[end]}`,
    );
  }
  return joinFrench(parts);
}

function times(selector: string): string | null {
  const ranges: string[] = [];
  for (const item of selector.split(',')) {
    const m = TIME_RANGE.exec(item);
    if (!m) return null;
    ranges.push(`de ${time(m[1]!, m[2]!)} à ${time(m[3]!, m[4]!)}`);
  }
  return joinFrench(ranges);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One line per rule, or null when the value uses syntax these words do not cover. */
export function hoursInWords(openingHours: string): string[] | null {
  const lines: string[] = [];
  for (const raw of openingHours.split(';')) {
    const rule = raw.trim().replace(/,\s+/g, ',');
    if (rule === '') continue;
    if (rule === '24/7') {
      lines.push('Tous les jours, 24 heures sur 24');
      continue;
    }
    const [first, second, ...rest] = rule.split(/\s+/);
    if (rest.length > 0 || !first) return null;
    const dayWords = TIME_RANGE.test(first.split(',')[0]!) ? 'tous les jours' : days(first);
    const timeSelector = dayWords === 'tous les jours' ? first : second;
    if (dayWords === null || timeSelector === undefined) return null;
    if (timeSelector === 'off' || timeSelector === 'closed') {
      lines.push(`${capitalise(dayWords)} : fermé`);
      continue;
    }
    const timeWords = times(timeSelector);
    if (timeWords === null) return null;
    lines.push(`${capitalise(dayWords)}, ${timeWords}`);
  }
  return lines;
}

/**
 * The same rules as schema.org `openingHours` values (`Mo,Tu 09:00-17:00`), which share the
 * OSM notation for these shapes; null when a rule is outside them.
 */
export function schemaOrgOpeningHours(openingHours: string): string[] | null {
  if (hoursInWords(openingHours) === null) return null;
  const rules = openingHours
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r !== '' && !/\b(off|closed|PH)\b/.test(r));
  return rules.map((r) => (r === '24/7' ? 'Mo-Su 00:00-24:00' : r));
}
