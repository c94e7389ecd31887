import { randomUUID } from 'node:crypto';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { outboxMessages, type MailContent } from './table.js';

/** Any database or transaction of any service: the outbox table is the same in each. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OutboxDb = PgDatabase<PgQueryResultHKT, any>;

/** A mail a change owes someone. */
export interface OwedMail {
  kind: string;
  to: string;
  content: MailContent;
}

/**
 * Writes mails to the outbox. Call it inside the transaction of the change that owes them:
 * they are sent if and only if the change commits.
 */
export async function enqueueMails(
  tx: OutboxDb,
  mails: readonly OwedMail[],
  options: { domain: string },
): Promise<void> {
  if (mails.length === 0) return;
  await tx.insert(outboxMessages).values(
    mails.map((mail) => ({
      messageId: `<${randomUUID()}.${mail.kind}@${options.domain}>`,
      kind: mail.kind,
      recipient: mail.to,
      content: mail.content,
    })),
  );
}
