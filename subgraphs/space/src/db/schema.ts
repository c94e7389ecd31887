import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const spaceStatus = pgEnum('space_status', ['PROJECT', 'OPEN', 'CLOSED', 'ABANDONED']);
export const offerKind = pgEnum('offer_kind', [
  'HALF_DAY',
  'DAY',
  'WEEK',
  'MONTH',
  'MULTI_ENTRY_CARD',
]);
export const eventKind = pgEnum('event_kind', [
  'INFORMATION_MEETING',
  'TRAINING',
  'TALK',
  'SHARED_MEAL',
  'LAUNCH_EVENING',
  'WORKSHOP',
  'OTHER',
]);
export const eventStatus = pgEnum('event_status', ['SCHEDULED', 'CANCELLED']);
export const visitKind = pgEnum('visit_kind', ['MEMBER', 'NETWORK_VISITOR']);
export const registrationStatus = pgEnum('registration_status', [
  'CONFIRMED',
  'WAITING',
  'CANCELLED',
  'PENDING',
]);

export { outboxMessages, type OutboxMessageRow } from '@tiers-lieux/subgraph-shell';

/** Values of the array columns; the SDL enums of the same names list the same values. */
export type SpaceKind =
  | 'COWORKING'
  | 'FAB_LAB'
  | 'TELECENTRE'
  | 'ESPACE_PUBLIC_NUMERIQUE'
  | 'TIERS_LIEU'
  | 'INCUBATOR'
  | 'MAISON_DE_SERVICES';
export type Amenity =
  | 'WIFI'
  | 'FIBRE'
  | 'MEETING_ROOM'
  | 'CONFERENCE_ROOM'
  | 'VIDEOCONFERENCE'
  | 'PRINTER'
  | 'PHONE'
  | 'KITCHEN'
  | 'LOUNGE'
  | 'PARKING'
  | 'BIKE_PARKING'
  | 'WHEELCHAIR_ACCESSIBLE'
  | 'LOCKERS';
export type SpaceService =
  | 'TRAINING'
  | 'IT_HELP'
  | 'MAIL_DOMICILIATION'
  | 'ADMIN_SUPPORT'
  | 'BUSINESS_SUPPORT'
  | 'DIGITAL_INCLUSION';
export type Audience =
  | 'TELEWORKER'
  | 'FREELANCER'
  | 'SMALL_COMPANY'
  | 'NOMADIC_WORKER'
  | 'JOB_SEEKER'
  | 'STUDENT'
  | 'RETIREE'
  | 'VOLUNTEER'
  | 'BUSINESS_CREATOR';

const timestampColumn = (name: string) =>
  timestamp(name, { withTimezone: true }).notNull().defaultNow();

export const spaces = pgTable(
  'spaces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** `foldText(name)`: the key of the by-name order, compared with `COLLATE "C"`. */
    nameKey: text('name_key').notNull(),
    /** `foldText` of every searchable text of the space, for accent-insensitive search. */
    searchText: text('search_text').notNull(),
    status: spaceStatus('status').notNull().default('OPEN'),
    kinds: text('kinds').array().$type<SpaceKind[]>().notNull(),
    description: text('description'),
    street: text('street'),
    postalCode: text('postal_code').notNull(),
    commune: text('commune').notNull(),
    communeKey: text('commune_key').notNull(),
    inseeCode: text('insee_code').notNull(),
    department: text('department').notNull(),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
    accessNotes: text('access_notes'),
    openingHours: text('opening_hours'),
    amenities: text('amenities')
      .array()
      .$type<Amenity[]>()
      .notNull()
      .default(sql`'{}'`),
    services: text('services')
      .array()
      .$type<SpaceService[]>()
      .notNull()
      .default(sql`'{}'`),
    audiences: text('audiences')
      .array()
      .$type<Audience[]>()
      .notNull()
      .default(sql`'{}'`),
    desks: integer('desks'),
    surfaceM2: integer('surface_m2'),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    website: text('website'),
    openedOn: date('opened_on', { mode: 'string' }),
    createdAt: timestampColumn('created_at'),
    updatedAt: timestampColumn('updated_at'),
  },
  (t) => [
    index('spaces_name_key_idx').on(sql`${t.nameKey} COLLATE "C"`, t.id),
    index('spaces_department_idx').on(t.department),
    check('spaces_lat_range', sql`${t.lat} BETWEEN -90 AND 90`),
    check('spaces_lon_range', sql`${t.lon} BETWEEN -180 AND 180`),
    check('spaces_desks_positive', sql`${t.desks} IS NULL OR ${t.desks} >= 0`),
    check('spaces_kinds_not_empty', sql`cardinality(${t.kinds}) > 0`),
  ],
);

export const offers = pgTable(
  'offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id, { onDelete: 'cascade' }),
    kind: offerKind('kind').notNull(),
    label: text('label').notNull(),
    priceCents: integer('price_cents').notNull(),
    entries: integer('entries'),
    entryMinutes: integer('entry_minutes'),
    position: integer('position').notNull(),
  },
  (t) => [
    index('offers_space_idx').on(t.spaceId, t.position),
    check('offers_price_positive', sql`${t.priceCents} >= 0`),
    check(
      'offers_card_shape',
      sql`(${t.kind} = 'MULTI_ENTRY_CARD') = (${t.entries} IS NOT NULL AND ${t.entryMinutes} IS NOT NULL)`,
    ),
  ],
);

/** A recurring series: the rule its occurrences (rows of `events`) were made from. */
export const eventSeries = pgTable(
  'event_series',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id),
    title: text('title').notNull(),
    /** RFC 5545 RRULE, without DTSTART. */
    rule: text('rule').notNull(),
    firstStartsAt: timestamp('first_starts_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    createdAt: timestampColumn('created_at'),
  },
  (t) => [
    check('event_series_duration', sql`${t.durationMinutes} > 0 AND ${t.durationMinutes} <= 1440`),
  ],
);

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id),
    title: text('title').notNull(),
    description: text('description'),
    searchText: text('search_text').notNull(),
    kind: eventKind('kind').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity'),
    priceCents: integer('price_cents'),
    status: eventStatus('status').notNull().default('SCHEDULED'),
    /** The series this event is an occurrence of. */
    seriesId: uuid('series_id').references(() => eventSeries.id),
    createdAt: timestampColumn('created_at'),
  },
  (t) => [
    index('events_starts_at_idx').on(t.startsAt, t.id),
    index('events_series_idx')
      .on(t.seriesId, t.startsAt)
      .where(sql`${t.seriesId} IS NOT NULL`),
    index('events_space_idx').on(t.spaceId, t.startsAt),
    check('events_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
    check('events_capacity_positive', sql`${t.capacity} IS NULL OR ${t.capacity} > 0`),
  ],
);

export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    displayName: text('display_name').notNull(),
    nameKey: text('name_key').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    profile: text('profile').$type<Audience>(),
    skills: text('skills')
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** `foldText` of each skill, for accent-insensitive skill search. */
    skillKeys: text('skill_keys')
      .array()
      .notNull()
      .default(sql`'{}'`),
    searchText: text('search_text').notNull(),
    isInDirectory: boolean('is_in_directory').notNull().default(false),
    /** When the member last opted in to the directory; null while they are out of it. */
    directoryOptInAt: timestamp('directory_opt_in_at', { withTimezone: true }),
    /** `foldText` of the skills the member keeps out of the directory. */
    hiddenSkillKeys: text('hidden_skill_keys')
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** The uuid of the network person (`network:person:<uuid>`) this record belongs to. */
    personId: uuid('person_id'),
    /** When the person erased their data: the record is pseudonymised and linked to no one. */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    createdAt: timestampColumn('created_at'),
  },
  (t) => [
    uniqueIndex('members_email_unique').on(sql`lower(${t.email})`),
    uniqueIndex('members_one_per_person')
      .on(t.personId)
      .where(sql`${t.personId} IS NOT NULL`),
    index('members_name_key_idx').on(sql`${t.nameKey} COLLATE "C"`, t.id),
  ],
);

export const memberships = pgTable(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id),
    plan: text('plan').notNull(),
    since: date('since', { mode: 'string' }).notNull(),
    until: date('until', { mode: 'string' }),
  },
  (t) => [
    index('memberships_member_idx').on(t.memberId),
    index('memberships_space_idx').on(t.spaceId),
    check('memberships_until_after_since', sql`${t.until} IS NULL OR ${t.until} >= ${t.since}`),
  ],
);

export const registrations = pgTable(
  'registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    memberId: uuid('member_id').references(() => members.id),
    guestName: text('guest_name'),
    guestEmail: text('guest_email'),
    /** A person of the network registered as themselves, without a member record here. */
    personId: uuid('person_id'),
    /** The name a person registered under; kept, pseudonymised, once their link is erased. */
    personName: text('person_name'),
    /**
     * The verified email of a person registered as themselves, from the one viewer header of
     * the registration (nowhere else does the gateway tell a partner a person's email): the
     * registration's mails go to it. Erased with the person's link.
     */
    personEmail: text('person_email'),
    status: registrationStatus('status').notNull(),
    /** Arrival order; the waiting list is served in this order. */
    arrival: bigserial('arrival', { mode: 'number' }).notNull(),
    /**
     * A pending registration's seat is held until then; a guest's unconfirmed waiting
     * registration lapses then. Null once confirmed.
     */
    holdUntil: timestamp('hold_until', { withTimezone: true }),
    /** When the guest confirmed their address by the link in a mail; members need not. */
    emailConfirmedAt: timestamp('email_confirmed_at', { withTimezone: true }),
    /** When the reminder of the day before was written to the outbox. */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    /** When the person was checked in at the door. */
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    createdAt: timestampColumn('created_at'),
  },
  (t) => [
    index('registrations_event_idx').on(t.eventId, t.arrival),
    index('registrations_member_idx').on(t.memberId),
    index('registrations_hold_idx')
      .on(t.holdUntil)
      .where(sql`${t.holdUntil} IS NOT NULL`),
    uniqueIndex('registrations_one_live_per_member')
      .on(t.eventId, t.memberId)
      .where(sql`${t.status} <> 'CANCELLED' AND ${t.memberId} IS NOT NULL`),
    uniqueIndex('registrations_one_live_per_guest')
      .on(t.eventId, sql`lower(${t.guestEmail})`)
      .where(sql`${t.status} <> 'CANCELLED' AND ${t.guestEmail} IS NOT NULL`),
    index('registrations_person_idx').on(t.personId),
    uniqueIndex('registrations_one_live_per_person')
      .on(t.eventId, t.personId)
      .where(sql`${t.status} <> 'CANCELLED' AND ${t.personId} IS NOT NULL`),
    // A member's, a guest's (name and email), or a person's (a name, and the person until they
    // erase their data).
    check(
      'registrations_one_registrant',
      sql`(${t.memberId} IS NOT NULL AND ${t.guestName} IS NULL AND ${t.guestEmail} IS NULL AND ${t.personId} IS NULL AND ${t.personName} IS NULL)
        OR (${t.memberId} IS NULL AND ${t.guestName} IS NOT NULL AND ${t.guestEmail} IS NOT NULL AND ${t.personId} IS NULL AND ${t.personName} IS NULL)
        OR (${t.memberId} IS NULL AND ${t.guestName} IS NULL AND ${t.guestEmail} IS NULL AND ${t.personName} IS NOT NULL)`,
    ),
  ],
);

export const visits = pgTable(
  'visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: visitKind('kind').notNull().default('MEMBER'),
    /** The member, for a member's visit. */
    memberId: uuid('member_id').references(() => members.id),
    /** The person, for a visitor from the network; null once they erased their data. */
    personId: uuid('person_id'),
    /** The network pass (`pass:<uuid>`) given at check-in. */
    passId: text('pass_id'),
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }).notNull().defaultNow(),
    checkedOutAt: timestamp('checked_out_at', { withTimezone: true }),
  },
  (t) => [
    index('visits_member_idx').on(t.memberId, t.checkedInAt),
    index('visits_open_by_space_idx')
      .on(t.spaceId)
      .where(sql`${t.checkedOutAt} IS NULL`),
    uniqueIndex('visits_one_open_per_member')
      .on(t.memberId)
      .where(sql`${t.checkedOutAt} IS NULL`),
    index('visits_person_idx').on(t.personId, t.checkedInAt),
    uniqueIndex('visits_one_open_per_person')
      .on(t.personId)
      .where(sql`${t.checkedOutAt} IS NULL`),
    check(
      'visits_member_visit_has_member',
      sql`(${t.kind} = 'MEMBER') = (${t.memberId} IS NOT NULL)`,
    ),
    check(
      'visits_out_after_in',
      sql`${t.checkedOutAt} IS NULL OR ${t.checkedOutAt} >= ${t.checkedInAt}`,
    ),
  ],
);

/**
 * Who chose (not) to receive an optional message. Keyed by a subject string (`person:<uuid>`
 * for a person of the network, from their page or a mail's link; `member:<uuid>` from the
 * links of mails written before people were known; `email:<address>` for guests).
 */
export const messagePreferences = pgTable(
  'message_preferences',
  {
    subject: text('subject').notNull(),
    kind: text('kind').notNull(),
    subscribed: boolean('subscribed').notNull(),
    /** Whether the latest choice came from a mail's one-click link (else the person's page). */
    byLink: boolean('by_link').notNull().default(true),
    updatedAt: timestampColumn('updated_at'),
  },
  (t) => [uniqueIndex('message_preferences_subject_kind').on(t.subject, t.kind)],
);

export const resourceKind = pgEnum('resource_kind', [
  'MEETING_ROOM',
  'FLEXIBLE_DESK',
  'FIXED_DESK',
  'VISIO_KIT',
  'PRINTER',
  'OTHER_EQUIPMENT',
]);
export const bookingStatus = pgEnum('booking_status', [
  'HELD',
  'CONFIRMED',
  'CANCELLED',
  'RELEASED',
]);
export const bookingPayment = pgEnum('booking_payment', ['AT_DESK', 'PASS', 'INCLUDED']);

/** A bookable room, desk or piece of equipment of a space, with its booking rules. */
export const resources = pgTable(
  'resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id),
    kind: resourceKind('kind').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /** People it seats (1 for a desk or equipment). */
    capacity: integer('capacity').notNull().default(1),
    pricePerHourCents: integer('price_per_hour_cents'),
    pricePerHalfDayCents: integer('price_per_half_day_cents'),
    pricePerDayCents: integer('price_per_day_cents'),
    /** OSM `opening_hours` in Paris time; the space's own hours when null. Both must allow a booking. */
    bookableHours: text('bookable_hours'),
    minMinutes: integer('min_minutes').notNull().default(30),
    maxMinutes: integer('max_minutes').notNull().default(600),
    /** How many days ahead a booking may start. */
    maxDaysAhead: integer('max_days_ahead').notNull().default(60),
    /** A booking cancelled at least this many hours before its start gives its pass entries back. */
    freeCancellationHours: integer('free_cancellation_hours').notNull().default(24),
    /** Whether a network pass may pay for it. */
    acceptsPass: boolean('accepts_pass').notNull().default(true),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestampColumn('created_at'),
  },
  (t) => [
    index('resources_space_idx').on(t.spaceId, t.name),
    check('resources_capacity_positive', sql`${t.capacity} > 0`),
    check(
      'resources_durations',
      sql`${t.minMinutes} >= 15 AND ${t.maxMinutes} >= ${t.minMinutes} AND ${t.maxMinutes} <= 10080`,
    ),
    check('resources_days_ahead', sql`${t.maxDaysAhead} BETWEEN 0 AND 366`),
    check('resources_free_cancellation', sql`${t.freeCancellationHours} >= 0`),
    check(
      'resources_prices_positive',
      sql`coalesce(${t.pricePerHourCents}, 0) >= 0 AND coalesce(${t.pricePerHalfDayCents}, 0) >= 0 AND coalesce(${t.pricePerDayCents}, 0) >= 0`,
    ),
  ],
);

/**
 * One resource booked for one time range. The bookings of a bundle (a room and its visio kit)
 * share `bundle_id`. No two live bookings (HELD or CONFIRMED) of a resource overlap: an
 * exclusion constraint in the migration `0004_bookings_never_overlap`, which drizzle cannot declare.
 */
export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bundleId: uuid('bundle_id').notNull(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => resources.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    status: bookingStatus('status').notNull(),
    payment: bookingPayment('payment').notNull(),
    /** The member it is for, when a member of this partner. */
    memberId: uuid('member_id').references(() => members.id),
    /** The person of the network it is for; null once they erased their data. */
    personId: uuid('person_id'),
    /** The name shown at the desk (a member's, a person's or a guest's). */
    bookedForName: text('booked_for_name').notNull(),
    /** The network pass (`pass:<uuid>`) that pays for it. */
    passId: text('pass_id'),
    /** The network's idempotency key of a pass-paid booking: holding it again answers this bundle. */
    sagaKey: text('saga_key'),
    priceCents: integer('price_cents'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    index('bookings_resource_idx').on(t.resourceId, t.startsAt),
    index('bookings_bundle_idx').on(t.bundleId),
    index('bookings_member_idx').on(t.memberId),
    index('bookings_person_idx').on(t.personId, t.startsAt),
    uniqueIndex('bookings_saga_key_resource').on(t.sagaKey, t.resourceId),
    check('bookings_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
    check('bookings_pass_paid_has_pass', sql`(${t.payment} = 'PASS') = (${t.passId} IS NOT NULL)`),
  ],
);

export type SpaceRow = typeof spaces.$inferSelect;
export type NewSpaceRow = typeof spaces.$inferInsert;
export type OfferRow = typeof offers.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;
export type MemberRow = typeof members.$inferSelect;
export type NewMemberRow = typeof members.$inferInsert;
export type MembershipRow = typeof memberships.$inferSelect;
export type RegistrationRow = typeof registrations.$inferSelect;
export type VisitRow = typeof visits.$inferSelect;
export type EventSeriesRow = typeof eventSeries.$inferSelect;
export type VisitKind = (typeof visitKind.enumValues)[number];

/** A space as listed with a `near` filter: its row plus the distance to the point. */
export type SpaceListRow = SpaceRow & { distanceKm?: number | null };
export type ResourceRow = typeof resources.$inferSelect;
export type NewResourceRow = typeof resources.$inferInsert;
export type BookingRow = typeof bookings.$inferSelect;
export type ResourceKind = (typeof resourceKind.enumValues)[number];
export type BookingStatus = (typeof bookingStatus.enumValues)[number];
