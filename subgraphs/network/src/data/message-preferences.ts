import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { personMessagePreferences } from '../db/schema.js';

/**
 * The network's optional messages, by their kind in the contract (`PassMessageKind`) and the
 * `kind` of their mails in the outbox.
 */
export const PASS_MESSAGE_KINDS = {
  RUNNING_LOW: 'pass-running-low',
  EXPIRING: 'pass-expiring',
} as const;

export type PassMessageKindName = keyof typeof PASS_MESSAGE_KINDS;

/** Records whether a person gets a kind of the network's optional messages. */
export async function setPassMessagePreference(
  db: Db | Tx,
  params: { personId: string; kind: PassMessageKindName; subscribed: boolean },
): Promise<void> {
  await db
    .insert(personMessagePreferences)
    .values(params)
    .onConflictDoUpdate({
      target: [personMessagePreferences.personId, personMessagePreferences.kind],
      set: { subscribed: params.subscribed, updatedAt: sql`now()` },
    });
}

/** The kinds a person turned off, of those given. */
export async function listTurnedOffPassMessages(
  db: Db | Tx,
  params: { personId: string; kinds: readonly PassMessageKindName[] },
): Promise<Set<PassMessageKindName>> {
  if (params.kinds.length === 0) return new Set();
  const rows = await db
    .select({ kind: personMessagePreferences.kind })
    .from(personMessagePreferences)
    .where(
      and(
        eq(personMessagePreferences.personId, params.personId),
        inArray(personMessagePreferences.kind, [...params.kinds]),
        eq(personMessagePreferences.subscribed, false),
      ),
    );
  return new Set(rows.map((r) => r.kind as PassMessageKindName));
}
