import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

export const partnerKind = pgEnum('partner_kind', [
  'REGIONAL_NATURAL_PARK',
  'ASSOCIATION',
  'COOPERATIVE',
  'LOCAL_AUTHORITY',
  'COMPANY',
  'OTHER',
]);
export const partnerStatus = pgEnum('partner_status', ['ACTIVE', 'SUSPENDED']);
export const ledgerEntryKind = pgEnum('ledger_entry_kind', ['REDEMPTION', 'VOID']);
export const personRole = pgEnum('person_role', ['COORDINATOR', 'MANAGER', 'STAFF']);

const instant = (name: string) => timestamp(name, { withTimezone: true });

export const partners = pgTable('partners', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  kind: partnerKind('kind').notNull(),
  territory: text('territory').notNull(),
  status: partnerStatus('status').notNull().default('ACTIVE'),
  subgraphUrl: text('subgraph_url').notNull(),
  joinedAt: instant('joined_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/**
 * Every check of a partner's subgraph (`_service { sdl }` against the partner contract). No
 * foreign key: a refused registration's check is kept too, under the slug it asked for.
 */
export const partnerChecks = pgTable(
  'partner_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerSlug: text('partner_slug').notNull(),
    subgraphUrl: text('subgraph_url').notNull(),
    checkedAt: instant('checked_at').notNull(),
    ok: boolean('ok').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    missing: text('missing')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (t) => [
    index('partner_checks_partner_idx').on(t.partnerSlug, t.checkedAt),
    check('partner_checks_latency_not_negative', sql`${t.latencyMs} >= 0`),
    check('partner_checks_error_iff_failed', sql`(${t.error} IS NULL) = ${t.ok}`),
  ],
);

/**
 * A person of the network, `network:person:<uuid>`. A closed account keeps its row (grants it
 * made and passes it held still name it) with its name pseudonymised and no email.
 */
export const persons = pgTable(
  'persons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    displayName: text('display_name').notNull(),
    /** Verified or given by whoever invited the person; null when unknown or closed. */
    email: text('email'),
    createdAt: instant('created_at').notNull().defaultNow(),
    closedAt: instant('closed_at'),
  },
  (t) => [
    uniqueIndex('persons_open_email_unique')
      .on(sql`lower(${t.email})`)
      .where(sql`${t.closedAt} IS NULL`),
    check('persons_closed_without_email', sql`${t.closedAt} IS NULL OR ${t.email} IS NULL`),
    // A card number is the end of the id (`card-number.ts`): the front desk finds it by that.
    index('persons_card_number').on(sql`right(${t.id}::text, 12)`),
  ],
);

/**
 * A person's choice about a kind of the network's optional messages (`RUNNING_LOW`,
 * `EXPIRING`); without a row, the person gets them.
 */
export const personMessagePreferences = pgTable(
  'person_message_preferences',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    kind: text('kind').notNull(),
    subscribed: boolean('subscribed').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.kind] })],
);

/** An OpenID Connect identity (issuer, subject) that signs in as a person; one per issuer. */
export const personIdentities = pgTable(
  'person_identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    linkedAt: instant('linked_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.issuer, t.subject] }),
    uniqueIndex('person_identities_person_issuer_unique').on(t.personId, t.issuer),
  ],
);

/**
 * Roles the network grants, kept as history: a revocation sets `revoked_at`, never deletes. A
 * coordinator grant names no partner, a manager or staff grant names one; a person holds at
 * most one live grant of a role at a partner.
 */
export const roleGrants = pgTable(
  'role_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    role: personRole('role').notNull(),
    partnerSlug: text('partner_slug').references(() => partners.slug),
    grantedBy: uuid('granted_by').references(() => persons.id),
    grantedAt: instant('granted_at').notNull(),
    revokedBy: uuid('revoked_by').references(() => persons.id),
    revokedAt: instant('revoked_at'),
  },
  (t) => [
    uniqueIndex('role_grants_live_unique')
      .on(t.personId, t.role, sql`coalesce(${t.partnerSlug}, '')`)
      .where(sql`${t.revokedAt} IS NULL`),
    index('role_grants_partner_idx').on(t.partnerSlug, t.grantedAt),
    index('role_grants_person_idx').on(t.personId),
    check(
      'role_grants_partner_iff_not_coordinator',
      sql`(${t.role} = 'COORDINATOR') = (${t.partnerSlug} IS NULL)`,
    ),
    check(
      'role_grants_revoked_after_grant',
      sql`${t.revokedAt} IS NULL OR ${t.revokedAt} >= ${t.grantedAt}`,
    ),
  ],
);

/**
 * An invitation: it created the person with this email (and the grant, when it names a role);
 * accepted when a sign-in with that verified email first takes the person.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    role: personRole('role'),
    partnerSlug: text('partner_slug').references(() => partners.slug),
    invitedBy: uuid('invited_by')
      .notNull()
      .references(() => persons.id),
    createdAt: instant('created_at').notNull(),
    acceptedAt: instant('accepted_at'),
    acceptedBy: uuid('accepted_by').references(() => persons.id),
  },
  (t) => [index('invitations_email_idx').on(sql`lower(${t.email})`)],
);

export const passProducts = pgTable(
  'pass_products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Null when the network sells the product itself. */
    sellerSlug: text('seller_slug').references(() => partners.slug),
    entries: integer('entries').notNull(),
    entryMinutes: integer('entry_minutes').notNull(),
    priceCents: integer('price_cents').notNull(),
    validityDays: integer('validity_days').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('pass_products_seller_idx').on(t.sellerSlug),
    check('pass_products_entries_positive', sql`${t.entries} > 0`),
    check('pass_products_entry_minutes_positive', sql`${t.entryMinutes} > 0`),
    check('pass_products_price_not_negative', sql`${t.priceCents} >= 0`),
    check('pass_products_validity_positive', sql`${t.validityDays} > 0`),
  ],
);

/** The spaces where a product is valid; `space_id` is the partner-owned public id. */
export const passProductSpaces = pgTable(
  'pass_product_spaces',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => passProducts.id),
    spaceId: text('space_id').notNull(),
    hostSlug: text('host_slug')
      .notNull()
      .references(() => partners.slug),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.spaceId] }),
    index('pass_product_spaces_space_idx').on(t.spaceId),
  ],
);

/**
 * A pass, with the product's terms copied at issue. `entries_left` is kept equal to
 * `entries_total` minus the entries of its ledger, in the transaction that appends to it.
 */
export const passes = pgTable(
  'passes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The 12 characters of the code, without dashes. */
    code: text('code').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => passProducts.id),
    sellerSlug: text('seller_slug').references(() => partners.slug),
    /** The partner-owned public id of the holder, `<partner>:member:<uuid>`. */
    holderId: text('holder_id'),
    /** The person who holds the pass, whatever partner's member they are. */
    holderPersonId: uuid('holder_person_id').references(() => persons.id),
    entriesTotal: integer('entries_total').notNull(),
    entriesLeft: integer('entries_left').notNull(),
    entryMinutes: integer('entry_minutes').notNull(),
    priceCents: integer('price_cents').notNull(),
    issuedAt: instant('issued_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    /** When the holder was told the pass expires soon (once per pass). */
    expiryNoticeAt: instant('expiry_notice_at'),
  },
  (t) => [
    uniqueIndex('passes_code_unique').on(t.code),
    index('passes_holder_idx').on(t.holderId, t.issuedAt),
    index('passes_holder_person_idx').on(t.holderPersonId, t.issuedAt),
    check('passes_entries_left_range', sql`${t.entriesLeft} BETWEEN 0 AND ${t.entriesTotal}`),
    check('passes_expires_after_issue', sql`${t.expiresAt} > ${t.issuedAt}`),
  ],
);

/**
 * The append-only ledger (a trigger refuses updates and deletes). A redemption spends
 * `entries` > 0; a void gives back the entries of the redemption it names, with `entries` < 0.
 * `amount_cents` is the value of the entry under the settlement rounding rule.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: ledgerEntryKind('kind').notNull(),
    passId: uuid('pass_id')
      .notNull()
      .references(() => passes.id),
    spaceId: text('space_id').notNull(),
    hostSlug: text('host_slug')
      .notNull()
      .references(() => partners.slug),
    sellerSlug: text('seller_slug').references(() => partners.slug),
    startedAt: instant('started_at').notNull(),
    minutes: integer('minutes').notNull(),
    entries: integer('entries').notNull(),
    amountCents: integer('amount_cents').notNull(),
    recordedAt: instant('recorded_at').notNull(),
    /** Who recorded it: the person's id (`network:person:<uuid>`); `manager:<partner>` or `coordinator` before people. */
    recordedBy: text('recorded_by').notNull(),
    idempotencyKey: text('idempotency_key'),
    voidsEntryId: uuid('voids_entry_id').references((): AnyPgColumn => ledgerEntries.id),
    reason: text('reason'),
  },
  (t) => [
    uniqueIndex('ledger_entries_idempotency_key_unique').on(t.idempotencyKey),
    uniqueIndex('ledger_entries_voids_entry_unique').on(t.voidsEntryId),
    index('ledger_entries_pass_idx').on(t.passId, t.recordedAt),
    index('ledger_entries_recorded_at_idx').on(t.recordedAt),
    check(
      'ledger_entries_shape',
      sql`CASE ${t.kind}
        WHEN 'REDEMPTION' THEN ${t.entries} > 0 AND ${t.idempotencyKey} IS NOT NULL AND ${t.voidsEntryId} IS NULL
        ELSE ${t.entries} < 0 AND ${t.idempotencyKey} IS NULL AND ${t.voidsEntryId} IS NOT NULL AND ${t.reason} IS NOT NULL
      END`,
    ),
  ],
);

export { outboxMessages, type OutboxMessageRow } from '@tiers-lieux/subgraph-shell';

export const passBookingState = pgEnum('pass_booking_state', [
  'STARTED',
  'HELD',
  'REDEEMED',
  'CONFIRMED',
  'RELEASING',
  'FAILED',
  'CANCELLING',
  'CANCELLED',
]);

/**
 * The booking saga of a pass-paid booking (`booking-saga.ts`): one row per booking, its state
 * written in the same transaction as each step's outcome here (the redemption, its void), so a
 * crash leaves a row that says what to finish or undo. `key` is the idempotency key of every
 * step, at the host partner and in the ledger.
 */
export const passBookings = pgTable(
  'pass_bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull().unique(),
    state: passBookingState('state').notNull().default('STARTED'),
    personId: uuid('person_id').notNull(),
    passId: uuid('pass_id')
      .notNull()
      .references(() => passes.id),
    hostSlug: text('host_slug')
      .notNull()
      .references(() => partners.slug),
    /** The resource's space, as the host answered the hold; null before. */
    spaceId: text('space_id'),
    resourceIds: text('resource_ids').array().notNull(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    bookingId: text('booking_id'),
    redemptionId: uuid('redemption_id'),
    /** Why it failed, as the user was told. */
    errorCode: text('error_code'),
    /** Until when the request that runs it owns it; recovery takes rows whose lease is over. */
    leaseUntil: instant('lease_until').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('pass_bookings_unfinished_idx')
      .on(t.leaseUntil)
      .where(sql`${t.state} IN ('STARTED', 'HELD', 'REDEEMED', 'RELEASING', 'CANCELLING')`),
    index('pass_bookings_person_idx').on(t.personId, t.startsAt),
  ],
);

export type PartnerRow = typeof partners.$inferSelect;
export type NewPartnerRow = typeof partners.$inferInsert;
export type PartnerCheckRow = typeof partnerChecks.$inferSelect;
export type NewPartnerCheckRow = typeof partnerChecks.$inferInsert;
export type PassProductRow = typeof passProducts.$inferSelect;
export type PassProductSpaceRow = typeof passProductSpaces.$inferSelect;
export type PassRow = typeof passes.$inferSelect;
export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;
export type PersonRow = typeof persons.$inferSelect;
export type PersonIdentityRow = typeof personIdentities.$inferSelect;
export type RoleGrantRow = typeof roleGrants.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;
export type Role = (typeof personRole.enumValues)[number];
export type PassBookingRow = typeof passBookings.$inferSelect;
export type PassBookingState = (typeof passBookingState.enumValues)[number];
