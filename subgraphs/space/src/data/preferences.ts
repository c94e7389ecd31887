import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { messagePreferences } from '../db/schema.js';

/** Records whether a subject (`member:<uuid>`, `email:<address>`) gets a kind of optional message. */
export async function setMessagePreference(
  db: Db,
  params: { subject: string; kind: string; subscribed: boolean },
): Promise<void> {
  await db
    .insert(messagePreferences)
    .values(params)
    .onConflictDoUpdate({
      target: [messagePreferences.subject, messagePreferences.kind],
      set: { subscribed: params.subscribed, updatedAt: sql`now()` },
    });
}
