import { foldText } from '@tiers-lieux/schema';
import {
  checked,
  CONTROL_CHARACTERS,
  ensure,
  httpUrl,
  InputProblem,
  int,
  text,
} from '@tiers-lieux/subgraph-shell';
import type {
  CreateEventInput,
  CreateEventSeriesInput,
  CreateSpaceInput,
  NearInput,
  OfferInput,
  RegisterMemberInput,
  UpdateEventInput,
  UpdateEventSeriesInput,
  UpdateMemberInput,
  UpdateMyMemberProfileInput,
  UpdateSpaceInput,
} from '../__generated__/resolvers-types.js';
import type { EventValues } from '../data/events.js';
import type { MemberValues } from '../data/members.js';
import type { OfferValues, SpaceValues } from '../data/spaces.js';
import { BadInputError } from '../errors.js';
import { checkOpeningHours } from '../hours.js';
import { personUuid } from '../ids.js';
import type { SeriesChanges } from '../data/series.js';
import { occurrencesOf } from '../recurrence.js';

export { checked } from '@tiers-lieux/subgraph-shell';

function optionalText(
  value: string | null | undefined,
  field: string,
  max: number,
): string | null | undefined {
  if (value === undefined || value === null) return value;
  return value.trim() === '' ? null : text(value, field, max);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{6,25}$/;

function email(value: string, field: string): string {
  const v = text(value, field, 254).toLowerCase();
  ensure(EMAIL.test(v), `${field} is not an email address`, field);
  return v;
}

function phone(value: string | null | undefined, field: string): string | null | undefined {
  const v = optionalText(value, field, 25);
  if (v) ensure(PHONE.test(v), `${field} is not a phone number`, field);
  return v;
}

function website(value: string | null | undefined, field: string): string | null | undefined {
  const v = optionalText(value, field, 500);
  return v ? httpUrl(v, field) : v;
}

function openingHours(value: string | null | undefined, field: string): string | null | undefined {
  const v = optionalText(value, field, 1000);
  if (!v) return v;
  const result = checkOpeningHours(v);
  if (!result.ok)
    throw new InputProblem(`${field} is not valid opening_hours: ${result.message}`, field);
  return result.value;
}

function nonEmptyList<T>(values: readonly T[], field: string): T[] {
  ensure(values.length > 0, `${field} must hold at least one value`, field);
  return [...new Set(values)];
}

function address(input: NonNullable<CreateSpaceInput['address']>, field: string) {
  const postalCode = text(input.postalCode, `${field}.postalCode`, 5);
  ensure(
    /^\d{5}$/.test(postalCode),
    `${field}.postalCode must be five digits`,
    `${field}.postalCode`,
  );
  const inseeCode = text(input.inseeCode, `${field}.inseeCode`, 5).toUpperCase();
  ensure(
    /^(\d{5}|2[AB]\d{3})$/.test(inseeCode),
    `${field}.inseeCode must be an INSEE commune code such as 05139`,
    `${field}.inseeCode`,
  );
  const department = text(input.department, `${field}.department`, 3).toUpperCase();
  ensure(
    /^(\d{2,3}|2[AB])$/.test(department),
    `${field}.department must be a department code such as 05 or 2A`,
    `${field}.department`,
  );
  ensure(
    inseeCode.startsWith(department.slice(0, 2)),
    `${field}.inseeCode is not in department ${department}`,
    `${field}.inseeCode`,
  );
  return {
    street: optionalText(input.street, `${field}.street`, 200) ?? null,
    postalCode,
    commune: text(input.commune, `${field}.commune`, 100),
    inseeCode,
    department,
  };
}

/**
 * Coordinates to 1e-7 degree (about a centimetre): finer is noise, and a subnormal double such
 * as 5e-324 is out of range for PostgreSQL's float8.
 */
function roundCoordinate(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

function location(input: { lat: number; lon: number }, field: string) {
  ensure(
    Number.isFinite(input.lat) && Math.abs(input.lat) <= 90,
    `${field}.lat must be from -90 to 90`,
    `${field}.lat`,
  );
  ensure(
    Number.isFinite(input.lon) && Math.abs(input.lon) <= 180,
    `${field}.lon must be from -180 to 180`,
    `${field}.lon`,
  );
  return { lat: roundCoordinate(input.lat), lon: roundCoordinate(input.lon) };
}

/** For queries: a `near` circle, or a BAD_USER_INPUT error. */
export function validNear(input: NearInput, field: string) {
  const result = checked(() => {
    const point = location(input, field);
    ensure(
      Number.isFinite(input.radiusKm) && input.radiusKm >= 0.001 && input.radiusKm <= 1000,
      `${field}.radiusKm must be from 0.001 (one metre) to 1000`,
      `${field}.radiusKm`,
    );
    return { ...point, radiusKm: input.radiusKm };
  });
  if (!result.ok) throw new BadInputError(result.error.message, result.error.field ?? field);
  return result.value;
}

function offers(inputs: readonly OfferInput[], field: string): OfferValues[] {
  ensure(inputs.length <= 50, `${field} holds at most 50 offers`, field);
  return inputs.map((offer, i) => {
    const at = `${field}.${i}`;
    const isCard = offer.kind === 'MULTI_ENTRY_CARD';
    ensure(
      isCard === (offer.entries != null && offer.entryMinutes != null),
      isCard
        ? `${at}: a multi-entry card needs entries and entryMinutes`
        : `${at}: only a multi-entry card has entries`,
      at,
    );
    return {
      kind: offer.kind,
      label: text(offer.label, `${at}.label`, 200),
      priceCents: int(offer.priceCents, `${at}.priceCents`, 0, 10_000_000),
      entries: offer.entries == null ? null : int(offer.entries, `${at}.entries`, 1, 1000),
      entryMinutes:
        offer.entryMinutes == null
          ? null
          : int(offer.entryMinutes, `${at}.entryMinutes`, 1, 24 * 60),
    };
  });
}

function spaceFields(input: CreateSpaceInput | UpdateSpaceInput) {
  return {
    description: optionalText(input.description, 'input.description', 5000),
    accessNotes: optionalText(input.accessNotes, 'input.accessNotes', 1000),
    openingHours: openingHours(input.openingHours, 'input.openingHours'),
    amenities: input.amenities ? [...new Set(input.amenities)] : undefined,
    services: input.services ? [...new Set(input.services)] : undefined,
    audiences: input.audiences ? [...new Set(input.audiences)] : undefined,
    desks: input.desks == null ? input.desks : int(input.desks, 'input.desks', 0, 10_000),
    surfaceM2:
      input.surfaceM2 == null
        ? input.surfaceM2
        : int(input.surfaceM2, 'input.surfaceM2', 1, 1_000_000),
    website: website(input.website, 'input.website'),
    openedOn: input.openedOn,
    ...(input.contact !== undefined
      ? {
          contactEmail: input.contact?.email
            ? email(input.contact.email, 'input.contact.email')
            : null,
          contactPhone: phone(input.contact?.phone, 'input.contact.phone') ?? null,
        }
      : {}),
  };
}

function dropUndefined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

export function newSpace(input: CreateSpaceInput): { values: SpaceValues; offers: OfferValues[] } {
  const fields = dropUndefined(spaceFields(input));
  return {
    values: {
      ...fields,
      name: text(input.name, 'input.name', 200),
      status: input.status ?? 'OPEN',
      kinds: nonEmptyList(input.kinds, 'input.kinds'),
      ...address(input.address, 'input.address'),
      ...location(input.location, 'input.location'),
    },
    offers: offers(input.offers ?? [], 'input.offers'),
  };
}

export function spaceChanges(input: UpdateSpaceInput): {
  changes: Partial<SpaceValues>;
  offers?: OfferValues[];
} {
  const changes: Partial<SpaceValues> = {
    ...spaceFields(input),
    ...(input.name != null ? { name: text(input.name, 'input.name', 200) } : {}),
    ...(input.status != null ? { status: input.status } : {}),
    ...(input.kinds != null ? { kinds: nonEmptyList(input.kinds, 'input.kinds') } : {}),
    ...(input.address != null ? address(input.address, 'input.address') : {}),
    ...(input.location != null ? location(input.location, 'input.location') : {}),
  };
  return {
    changes: dropUndefined(changes),
    ...(input.offers != null ? { offers: offers(input.offers, 'input.offers') } : {}),
  };
}

const MAX_EVENT_DAYS = 31;

function eventFields(input: CreateEventInput | UpdateEventInput) {
  return dropUndefined({
    title: input.title == null ? undefined : text(input.title, 'input.title', 200),
    description: optionalText(input.description, 'input.description', 5000),
    kind: input.kind ?? undefined,
    startsAt: input.startsAt ?? undefined,
    endsAt: input.endsAt ?? undefined,
    capacity:
      input.capacity == null ? input.capacity : int(input.capacity, 'input.capacity', 1, 100_000),
    priceCents:
      input.priceCents == null
        ? input.priceCents
        : int(input.priceCents, 'input.priceCents', 0, 10_000_000),
  });
}

export function newEvent(input: CreateEventInput, spaceId: string): EventValues {
  const fields = eventFields(input);
  ensure(
    input.endsAt > input.startsAt,
    'input.endsAt must be after input.startsAt',
    'input.endsAt',
  );
  ensure(
    input.endsAt.getTime() - input.startsAt.getTime() <= MAX_EVENT_DAYS * 86_400_000,
    `an event lasts at most ${MAX_EVENT_DAYS} days`,
    'input.endsAt',
  );
  return {
    ...fields,
    spaceId,
    title: text(input.title, 'input.title', 200),
    kind: input.kind,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
  };
}

export function eventChanges(input: UpdateEventInput): Partial<EventValues> {
  return eventFields(input);
}

/** A new series: the occurrences its rule makes, and what each of them is. */
export function newSeries(input: CreateEventSeriesInput, spaceId: string) {
  const recurrence = occurrencesOf(input.rule, input.startsAt);
  if (!recurrence.ok) throw new InputProblem(`input.rule: ${recurrence.message}`, 'input.rule');
  const {
    startsAt: _s,
    endsAt: _e,
    ...fields
  } = eventFields({
    id: input.spaceId,
    title: input.title,
    description: input.description,
    kind: input.kind,
    capacity: input.capacity,
    priceCents: input.priceCents,
  });
  return {
    spaceId,
    rule: text(input.rule, 'input.rule', 500).replace(/^RRULE:/i, ''),
    starts: recurrence.starts,
    durationMinutes: int(input.durationMinutes, 'input.durationMinutes', 1, 1440),
    event: {
      ...fields,
      spaceId,
      title: text(input.title, 'input.title', 200),
      kind: input.kind,
    },
  };
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function seriesChanges(input: UpdateEventSeriesInput): SeriesChanges {
  const time = input.startTime == null ? null : TIME_OF_DAY.exec(input.startTime);
  ensure(
    input.startTime == null || time !== null,
    'input.startTime is not HH:MM',
    'input.startTime',
  );
  const { startsAt: _s, endsAt: _e, ...event } = eventFields({ ...input, id: input.id });
  return {
    event,
    startTime: time ? { hour: Number(time[1]), minute: Number(time[2]) } : undefined,
    durationMinutes:
      input.durationMinutes == null
        ? undefined
        : int(input.durationMinutes, 'input.durationMinutes', 1, 1440),
  };
}

function skills(values: readonly string[], field: string): string[] {
  ensure(values.length <= 30, `${field} holds at most 30 skills`, field);
  return [...new Set(values.map((skill, i) => text(skill, `${field}.${i}`, 60)))];
}

/** The uuid of a `network:person:<uuid>` input; null clears a link. */
export function personIdInput(value: string, field: string): string;
export function personIdInput(value: string | null, field: string): string | null;
export function personIdInput(value: string | null, field: string): string | null {
  if (value === null) return null;
  const uuid = personUuid(value);
  ensure(uuid !== null, `${field} is not a person id of the form network:person:<uuid>`, field);
  return uuid;
}

/** A pass of the network, `pass:<uuid>`, as given at check-in. */
export function passIdInput(value: string, field: string): string {
  ensure(
    /^pass:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value),
    `${field} is not a pass id of the form pass:<uuid>`,
    field,
  );
  return value;
}

export function newMember(input: RegisterMemberInput): MemberValues {
  return {
    personId: input.personId == null ? null : personIdInput(input.personId, 'input.personId'),
    displayName: text(input.displayName, 'input.displayName', 100),
    email: email(input.email, 'input.email'),
    phone: phone(input.phone, 'input.phone') ?? null,
    profile: input.profile ?? null,
    skills: skills(input.skills ?? [], 'input.skills'),
    isInDirectory: input.isInDirectory ?? false,
  };
}

export function memberChanges(input: UpdateMemberInput): Partial<MemberValues> {
  return dropUndefined({
    displayName:
      input.displayName == null ? undefined : text(input.displayName, 'input.displayName', 100),
    email: input.email == null ? undefined : email(input.email, 'input.email'),
    phone: phone(input.phone, 'input.phone'),
    profile: input.profile,
    skills: input.skills == null ? undefined : skills(input.skills, 'input.skills'),
    isInDirectory: input.isInDirectory ?? undefined,
    personId:
      input.personId === undefined ? undefined : personIdInput(input.personId, 'input.personId'),
  });
}

/**
 * A member's changes to their own record. `directorySkills` names which of the skills (as they
 * will be) the directory shows; the others are kept out of it.
 */
export function myProfileChanges(
  input: UpdateMyMemberProfileInput,
  currentSkills: readonly string[],
): Partial<MemberValues> {
  const changes: Partial<MemberValues> = dropUndefined({
    displayName:
      input.displayName == null ? undefined : text(input.displayName, 'input.displayName', 100),
    phone: phone(input.phone, 'input.phone'),
    profile: input.profile,
    skills: input.skills == null ? undefined : skills(input.skills, 'input.skills'),
    isInDirectory: input.isInDirectory ?? undefined,
  });
  if (input.directorySkills != null) {
    const keys = (changes.skills ?? currentSkills).map(foldText);
    const shown = input.directorySkills.map(foldText);
    shown.forEach((key, i) =>
      ensure(
        keys.includes(key),
        `input.directorySkills.${i} is not one of the member's skills`,
        `input.directorySkills.${i}`,
      ),
    );
    changes.hiddenSkillKeys = keys.filter((key) => !shown.includes(key));
  }
  return changes;
}

export function membershipDates(input: { since: string; until?: string | null }, field: string) {
  ensure(
    !input.until || input.until >= input.since,
    `${field}.until must not be before since`,
    `${field}.until`,
  );
  return { since: input.since, until: input.until ?? null };
}

/** A membership added to an existing member: its plan and dates, checked. */
export function newMembership(input: { plan: string; since: string; until?: string | null }) {
  return { plan: text(input.plan, 'input.plan', 200), ...membershipDates(input, 'input') };
}

/** The name a person without a member record registers under. */
export function displayNameInput(value: string | null | undefined): string {
  ensure(
    value != null,
    'input.displayName is needed to register without a member record here',
    'input.displayName',
  );
  return text(value!, 'input.displayName', 100);
}

export function guest(input: { name: string; email: string }) {
  return {
    name: text(input.name, 'input.guest.name', 100),
    email: email(input.email, 'input.guest.email'),
  };
}

/** A NUL byte or other control character in a filter's text is bad input for queries too. */
export function assertCleanText(value: string | null | undefined, field: string): void {
  if (value && (CONTROL_CHARACTERS.test(value) || value.length > 200)) {
    throw new BadInputError(
      `${field} must be at most 200 characters without control characters`,
      field,
    );
  }
}
