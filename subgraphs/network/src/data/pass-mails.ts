import { enqueueMails, type OwedMail } from '@tiers-lieux/subgraph-shell';
import { and, asc, eq, gt, isNotNull, isNull, lte } from 'drizzle-orm';
import { formatPassCode } from '../code.js';
import {
  listTurnedOffPassMessages,
  PASS_MESSAGE_KINDS,
  type PassMessageKindName,
} from './message-preferences.js';
import type { Db, Tx } from '../db/client.js';
import {
  partners,
  passes,
  passProducts,
  passProductSpaces,
  persons,
  type PassRow,
} from '../db/schema.js';
import {
  EXPIRY_NOTICE_DAYS,
  passExpiringMail,
  type NetworkMailSettings,
  type PassFacts,
} from '../mail/passes.js';

/** What a mail about `pass` says, read in the transaction that owes it; null without a holder to tell. */
export async function passFacts(tx: Db | Tx, pass: PassRow): Promise<PassFacts | null> {
  if (!pass.holderPersonId) return null;
  const [holder] = await tx
    .select({ name: persons.displayName, email: persons.email })
    .from(persons)
    .where(eq(persons.id, pass.holderPersonId));
  if (!holder?.email) return null;
  const [product] = await tx
    .select({ name: passProducts.name })
    .from(passProducts)
    .where(eq(passProducts.id, pass.productId));
  const hosts = await tx
    .select({ name: partners.name })
    .from(passProductSpaces)
    .innerJoin(partners, eq(partners.slug, passProductSpaces.hostSlug))
    .where(eq(passProductSpaces.productId, pass.productId))
    .orderBy(asc(passProductSpaces.position));
  return {
    holderPersonId: pass.holderPersonId,
    holderName: holder.name,
    holderEmail: holder.email,
    productName: product?.name ?? 'Pass',
    code: formatPassCode(pass.code),
    entriesLeft: pass.entriesLeft,
    entriesTotal: pass.entriesTotal,
    entryMinutes: pass.entryMinutes,
    expiresAt: pass.expiresAt,
    validAt: [...new Set(hosts.map((h) => h.name))],
  };
}

/** Writes the mail `compose` makes of `pass` to the outbox, when the pass has a holder to tell. */
export async function owePassMail(
  tx: Tx,
  pass: PassRow,
  settings: NetworkMailSettings,
  compose: (settings: NetworkMailSettings, facts: PassFacts) => OwedMail,
): Promise<void> {
  const facts = await passFacts(tx, pass);
  if (!facts) return;
  const mail = compose(settings, facts);
  const optional = (Object.keys(PASS_MESSAGE_KINDS) as PassMessageKindName[]).filter(
    (kind) => PASS_MESSAGE_KINDS[kind] === mail.kind,
  );
  // An optional message the holder turned off is not owed.
  if (
    (await listTurnedOffPassMessages(tx, { personId: pass.holderPersonId!, kinds: optional }))
      .size > 0
  )
    return;
  await enqueueMails(tx, [mail], { domain: settings.domain });
}

/**
 * Tells the holders of passes with entries left that expire within `EXPIRY_NOTICE_DAYS`, once
 * per pass (`expiry_notice_at`, set in the same transaction as the mail). Run by the
 * dispatcher's chores; answers how many were told.
 */
export async function noticeExpiringPasses(
  db: Db,
  params: { now: Date; mail: NetworkMailSettings },
): Promise<number> {
  const horizon = new Date(params.now.getTime() + EXPIRY_NOTICE_DAYS * 86_400_000);
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(passes)
      .where(
        and(
          isNull(passes.expiryNoticeAt),
          isNotNull(passes.holderPersonId),
          gt(passes.entriesLeft, 0),
          gt(passes.expiresAt, params.now),
          lte(passes.expiresAt, horizon),
        ),
      )
      .limit(200)
      .for('update', { skipLocked: true });
    for (const pass of due) {
      await owePassMail(tx, pass, params.mail, passExpiringMail);
      await tx.update(passes).set({ expiryNoticeAt: params.now }).where(eq(passes.id, pass.id));
    }
    return due.length;
  });
}
