import { parisDate, startOfParisDay } from '@tiers-lieux/schema';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import {
  ledgerEntries,
  partners,
  passes,
  passProductSpaces,
  type LedgerEntryRow,
  type PassProductRow,
  type PassRow,
} from '../db/schema.js';
import { newPassCode } from '../code.js';
import { entryValue } from './settlement.js';
import { isUniqueViolation } from './sql.js';
import { owePassMail } from './pass-mails.js';
import {
  FEW_ENTRIES_LEFT,
  passIssuedMail,
  passRunningLowMail,
  type NetworkMailSettings,
} from '../mail/passes.js';

export async function getPassesByIds(db: Db | Tx, ids: readonly string[]): Promise<PassRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(passes)
    .where(inArray(passes.id, [...ids]));
}

export async function getPassByCode(db: Db, code: string): Promise<PassRow | null> {
  const [row] = await db.select().from(passes).where(eq(passes.code, code));
  return row ?? null;
}

/** Each holder's passes, most recently issued first. */
export async function listPassesByHolderIds(
  db: Db,
  holderIds: readonly string[],
): Promise<PassRow[]> {
  if (holderIds.length === 0) return [];
  return db
    .select()
    .from(passes)
    .where(inArray(passes.holderId, [...holderIds]))
    .orderBy(desc(passes.issuedAt), asc(passes.id));
}

/** Each holding person's passes, most recently issued first. */
export async function listPassesByHolderPersonIds(
  db: Db,
  personIds: readonly string[],
): Promise<PassRow[]> {
  if (personIds.length === 0) return [];
  return db
    .select()
    .from(passes)
    .where(inArray(passes.holderPersonId, [...personIds]))
    .orderBy(desc(passes.issuedAt), asc(passes.id));
}

export async function getRedemptionsByIds(
  db: Db | Tx,
  ids: readonly string[],
): Promise<LedgerEntryRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(ledgerEntries)
    .where(and(inArray(ledgerEntries.id, [...ids]), eq(ledgerEntries.kind, 'REDEMPTION')));
}

/** Each pass's redemptions (voided ones included), oldest first. */
export async function listRedemptionsByPassIds(
  db: Db,
  passIds: readonly string[],
): Promise<LedgerEntryRow[]> {
  if (passIds.length === 0) return [];
  return db
    .select()
    .from(ledgerEntries)
    .where(and(inArray(ledgerEntries.passId, [...passIds]), eq(ledgerEntries.kind, 'REDEMPTION')))
    .orderBy(asc(ledgerEntries.recordedAt), asc(ledgerEntries.id));
}

/** The compensating entries of voided redemptions. */
export async function listVoidsOf(
  db: Db | Tx,
  redemptionIds: readonly string[],
): Promise<LedgerEntryRow[]> {
  if (redemptionIds.length === 0) return [];
  return db
    .select()
    .from(ledgerEntries)
    .where(inArray(ledgerEntries.voidsEntryId, [...redemptionIds]));
}

/**
 * Issues a pass of a product with a fresh code and the product's terms. It expires at 00:00
 * (Paris) `validityDays` days after the day of issue. With `mail`, the holder person is mailed
 * the pass in the same transaction.
 */
export async function issuePass(
  db: Db,
  params: {
    product: PassProductRow;
    holderId: string | null;
    holderPersonId?: string | null;
    now: Date;
    id?: string;
    code?: string;
    mail?: NetworkMailSettings | null | undefined;
  },
): Promise<PassRow> {
  return db.transaction(async (tx) => {
    const pass = await insertPass(tx, params);
    if (params.mail) await owePassMail(tx, pass, params.mail, passIssuedMail);
    return pass;
  });
}

async function insertPass(db: Tx, params: Parameters<typeof issuePass>[1]): Promise<PassRow> {
  const { product, now } = params;
  for (let attempt = 1; ; attempt++) {
    const [row] = await db
      .insert(passes)
      .values({
        ...(params.id ? { id: params.id } : {}),
        code: params.code ?? newPassCode(),
        productId: product.id,
        sellerSlug: product.sellerSlug,
        holderId: params.holderId,
        holderPersonId: params.holderPersonId ?? null,
        entriesTotal: product.entries,
        entriesLeft: product.entries,
        entryMinutes: product.entryMinutes,
        priceCents: product.priceCents,
        issuedAt: now,
        expiresAt: startOfParisDay(parisDate(now), product.validityDays),
      })
      .onConflictDoNothing({ target: passes.code })
      .returning();
    if (row) return row;
    // 55 random bits make a collision rare; a given code that is taken is the caller's mistake.
    if (params.code || attempt >= 5) throw new Error('could not draw a free pass code');
  }
}

/** Entries a visit spends: one per started entry duration, at least one. */
export function entriesFor(minutes: number, entryMinutes: number): number {
  return Math.max(1, Math.ceil(minutes / entryMinutes));
}

export interface RedeemParams {
  code: string;
  spaceId: string;
  startedAt: Date;
  minutes: number;
  idempotencyKey: string;
  now: Date;
  recordedBy: string;
  /** When given, the holder is mailed as the redemption leaves `FEW_ENTRIES_LEFT` or fewer. */
  mail?: NetworkMailSettings | null | undefined;
}

export type RedeemRefusal =
  | 'UNKNOWN_CODE'
  | 'NOT_VALID_AT_SPACE'
  | 'PARTNER_SUSPENDED'
  | 'STARTED_BEFORE_ISSUE'
  | 'EXPIRED'
  | 'NOT_ENOUGH_ENTRIES'
  | 'IDEMPOTENCY_KEY_REUSED';

export type RedeemOutcome =
  | { ok: true; redemption: LedgerEntryRow }
  | { ok: false; reason: RedeemRefusal; pass?: PassRow; needed?: number };

function sameRequest(entry: LedgerEntryRow, pass: PassRow, params: RedeemParams): boolean {
  return (
    entry.kind === 'REDEMPTION' &&
    pass.code === params.code &&
    entry.spaceId === params.spaceId &&
    entry.startedAt.getTime() === params.startedAt.getTime() &&
    entry.minutes === params.minutes
  );
}

async function replay(
  db: Db | Tx,
  pass: PassRow | null,
  params: RedeemParams,
): Promise<RedeemOutcome | null> {
  const [previous] = await db
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.idempotencyKey, params.idempotencyKey));
  if (!previous) return null;
  const [owner] =
    pass?.id === previous.passId ? [pass] : await getPassesByIds(db, [previous.passId]);
  return owner && sameRequest(previous, owner, params)
    ? { ok: true, redemption: previous }
    : { ok: false, reason: 'IDEMPOTENCY_KEY_REUSED' };
}

/**
 * Spends entries of a pass for a visit. The pass's row is locked for the transaction, so
 * concurrent redemptions of one pass run one after the other and the balance never goes
 * below zero; a key seen before (committed by an earlier holder of the lock) answers the
 * redemption it made.
 */
export async function redeemPass(db: Db | Tx, params: RedeemParams): Promise<RedeemOutcome> {
  try {
    return await db.transaction(async (tx): Promise<RedeemOutcome> => {
      const [pass] = await tx
        .select()
        .from(passes)
        .where(eq(passes.code, params.code))
        .for('update');
      if (!pass) return { ok: false, reason: 'UNKNOWN_CODE' };
      const replayed = await replay(tx, pass, params);
      if (replayed) return replayed;
      const [place] = await tx
        .select({ hostSlug: passProductSpaces.hostSlug, hostStatus: partners.status })
        .from(passProductSpaces)
        .innerJoin(partners, eq(partners.slug, passProductSpaces.hostSlug))
        .where(
          and(
            eq(passProductSpaces.productId, pass.productId),
            eq(passProductSpaces.spaceId, params.spaceId),
          ),
        );
      if (!place) return { ok: false, reason: 'NOT_VALID_AT_SPACE', pass };
      if (place.hostStatus !== 'ACTIVE') return { ok: false, reason: 'PARTNER_SUSPENDED', pass };
      if (params.startedAt < pass.issuedAt)
        return { ok: false, reason: 'STARTED_BEFORE_ISSUE', pass };
      if (params.startedAt >= pass.expiresAt) return { ok: false, reason: 'EXPIRED', pass };
      const entries = entriesFor(params.minutes, pass.entryMinutes);
      if (entries > pass.entriesLeft)
        return { ok: false, reason: 'NOT_ENOUGH_ENTRIES', pass, needed: entries };
      const spentBefore = pass.entriesTotal - pass.entriesLeft;
      const [redemption] = await tx
        .insert(ledgerEntries)
        .values({
          kind: 'REDEMPTION',
          passId: pass.id,
          spaceId: params.spaceId,
          hostSlug: place.hostSlug,
          sellerSlug: pass.sellerSlug,
          startedAt: params.startedAt,
          minutes: params.minutes,
          entries,
          amountCents: entryValue(
            pass.priceCents,
            pass.entriesTotal,
            spentBefore,
            spentBefore + entries,
          ),
          recordedAt: params.now,
          recordedBy: params.recordedBy,
          idempotencyKey: params.idempotencyKey,
        })
        .returning();
      const entriesLeft = pass.entriesLeft - entries;
      await tx.update(passes).set({ entriesLeft }).where(eq(passes.id, pass.id));
      if (params.mail && pass.entriesLeft > FEW_ENTRIES_LEFT && entriesLeft <= FEW_ENTRIES_LEFT)
        await owePassMail(tx, { ...pass, entriesLeft }, params.mail, passRunningLowMail);
      return { ok: true, redemption: redemption! };
    });
  } catch (error) {
    // The same key committed meanwhile for another pass: the lock of this pass did not order them.
    if (!isUniqueViolation(error)) throw error;
    const replayed = await replay(db, null, params);
    if (replayed) return replayed;
    throw error;
  }
}

export type VoidOutcome =
  { ok: true; redemption: LedgerEntryRow } | { ok: false; reason: 'UNKNOWN_REDEMPTION' | 'VOIDED' };

/**
 * Voids a redemption with a compensating ledger entry that gives its entries back, under the
 * pass's lock (the same lock order as `redeemPass`).
 */
export async function voidRedemption(
  db: Db | Tx,
  params: { redemptionId: string; reason: string; now: Date; recordedBy: string },
): Promise<VoidOutcome> {
  try {
    return await db.transaction(async (tx): Promise<VoidOutcome> => {
      const [target] = await getRedemptionsByIds(tx, [params.redemptionId]);
      if (!target) return { ok: false, reason: 'UNKNOWN_REDEMPTION' };
      const [pass] = await tx
        .select()
        .from(passes)
        .where(eq(passes.id, target.passId))
        .for('update');
      if (!pass) throw new Error(`redemption ${target.id} names no pass`);
      const [existing] = await listVoidsOf(tx, [target.id]);
      if (existing) return { ok: false, reason: 'VOIDED' };
      const spentBefore = pass.entriesTotal - pass.entriesLeft;
      await tx.insert(ledgerEntries).values({
        kind: 'VOID',
        passId: pass.id,
        spaceId: target.spaceId,
        hostSlug: target.hostSlug,
        sellerSlug: target.sellerSlug,
        startedAt: target.startedAt,
        minutes: target.minutes,
        entries: -target.entries,
        amountCents: entryValue(
          pass.priceCents,
          pass.entriesTotal,
          spentBefore,
          spentBefore - target.entries,
        ),
        recordedAt: params.now,
        recordedBy: params.recordedBy,
        voidsEntryId: target.id,
        reason: params.reason,
      });
      await tx
        .update(passes)
        .set({ entriesLeft: pass.entriesLeft + target.entries })
        .where(eq(passes.id, pass.id));
      return { ok: true, redemption: target };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'VOIDED' };
    throw error;
  }
}
