import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { members, messagePreferences } from '../db/schema.js';

/** The subject of a person's own preferences at this partner. */
export function personSubject(personUuid: string): string {
  return `person:${personUuid}`;
}

/**
 * Records whether a subject (`person:<uuid>`, `member:<uuid>`, `email:<address>`) gets a kind
 * of optional message, and whether the choice came from a mail's link or the person's page.
 */
export async function setMessagePreference(
  db: Db | Tx,
  params: { subject: string; kind: string; subscribed: boolean; byLink: boolean },
): Promise<void> {
  await db
    .insert(messagePreferences)
    .values(params)
    .onConflictDoUpdate({
      target: [messagePreferences.subject, messagePreferences.kind],
      set: { subscribed: params.subscribed, byLink: params.byLink, updatedAt: sql`now()` },
    });
}

export interface MessageChoice {
  subscribed: boolean;
  byLink: boolean;
}

/**
 * A person's latest choice about a kind of message at this partner: their own subject
 * (`person:<uuid>`) and those of their member records (links of older mails named the member)
 * are one person's, and the latest of them holds. Null when they never chose.
 */
export async function getPersonMessageChoice(
  db: Db | Tx,
  params: { personUuid: string; kind: string },
): Promise<MessageChoice | null> {
  const own = await db
    .select({ id: members.id })
    .from(members)
    .where(eq(members.personId, params.personUuid));
  const subjects = [personSubject(params.personUuid), ...own.map((m) => `member:${m.id}`)];
  const [row] = await db
    .select({ subscribed: messagePreferences.subscribed, byLink: messagePreferences.byLink })
    .from(messagePreferences)
    .where(
      and(inArray(messagePreferences.subject, subjects), eq(messagePreferences.kind, params.kind)),
    )
    .orderBy(desc(messagePreferences.updatedAt))
    .limit(1);
  return row ?? null;
}

/** A subject's choice about a kind of message (guests, members without a person); null when none. */
export async function getMessageChoice(
  db: Db | Tx,
  params: { subject: string; kind: string },
): Promise<MessageChoice | null> {
  const [row] = await db
    .select({ subscribed: messagePreferences.subscribed, byLink: messagePreferences.byLink })
    .from(messagePreferences)
    .where(
      and(eq(messagePreferences.subject, params.subject), eq(messagePreferences.kind, params.kind)),
    );
  return row ?? null;
}
