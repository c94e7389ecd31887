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
    entriesTotal: integer('entries_total').notNull(),
    entriesLeft: integer('entries_left').notNull(),
    entryMinutes: integer('entry_minutes').notNull(),
    priceCents: integer('price_cents').notNull(),
    issuedAt: instant('issued_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('passes_code_unique').on(t.code),
    index('passes_holder_idx').on(t.holderId, t.issuedAt),
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
    /** Who recorded it: `coordinator` or `manager:<partner>`. */
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

export type PartnerRow = typeof partners.$inferSelect;
export type NewPartnerRow = typeof partners.$inferInsert;
export type PartnerCheckRow = typeof partnerChecks.$inferSelect;
export type NewPartnerCheckRow = typeof partnerChecks.$inferInsert;
export type PassProductRow = typeof passProducts.$inferSelect;
export type PassProductSpaceRow = typeof passProductSpaces.$inferSelect;
export type PassRow = typeof passes.$inferSelect;
export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;
