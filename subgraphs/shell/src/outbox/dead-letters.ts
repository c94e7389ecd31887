import { and, desc, eq } from 'drizzle-orm';
import type { OutboxDb } from './enqueue.js';
import { outboxMessages, type OutboxMessageRow } from './table.js';

/** Mails the dispatcher gave up on, newest first. */
export async function listDeadLetters(
  db: OutboxDb,
  params: { first: number },
): Promise<OutboxMessageRow[]> {
  return db
    .select()
    .from(outboxMessages)
    .where(eq(outboxMessages.status, 'DEAD'))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(params.first);
}

/**
 * Puts a dead letter back in the outbox for a new delivery effort (the same `Message-ID`);
 * null when there is no such dead letter.
 */
export async function retryDeadLetter(db: OutboxDb, id: string): Promise<OutboxMessageRow | null> {
  const [row] = await db
    .update(outboxMessages)
    .set({
      status: 'PENDING',
      attempts: 0,
      dueAt: new Date(),
      deliveringSince: new Date(),
      claimedUntil: null,
    })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, 'DEAD')))
    .returning();
  return row ?? null;
}
