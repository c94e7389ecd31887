import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** A file attached to a mail (an event's `.ics`). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** What a mail says, as written in the transaction that owes it. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
  /** Extra headers, such as `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). */
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
}

export type OutboxStatus = 'PENDING' | 'SENT' | 'DEAD';

/**
 * The transactional outbox: every mail a change owes is a row written in the change's own
 * transaction, and the dispatcher delivers the rows (`dispatcher.ts`). Each subgraph's
 * drizzle schema re-exports this table, so each database has its own.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Commit-independent creation order: a recipient's mails leave in this order. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    /** The `Message-ID` header, fixed at creation: a resend after a crash carries the same. */
    messageId: text('message_id').notNull(),
    /** What the mail is about (`registration-confirmed`…), for dead letters and counts. */
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    content: jsonb('content').$type<MailContent>().notNull(),
    status: text('status').$type<OutboxStatus>().notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    /** Not sent before this instant (the backoff of the last failure). */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    /** A dispatcher is sending it until then; after, another may take it (that one crashed). */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    /** Start of the current delivery effort; a retry from the dead letters starts a new one. */
    deliveringSince: timestamp('delivering_since', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_messages_message_id').on(t.messageId),
    index('outbox_messages_due')
      .on(t.dueAt, t.seq)
      .where(sql`${t.status} = 'PENDING'`),
    index('outbox_messages_pending_by_recipient')
      .on(t.recipient, t.seq)
      .where(sql`${t.status} = 'PENDING'`),
    index('outbox_messages_dead')
      .on(t.createdAt)
      .where(sql`${t.status} = 'DEAD'`),
    check('outbox_messages_status', sql`${t.status} IN ('PENDING', 'SENT', 'DEAD')`),
  ],
);

export type OutboxMessageRow = typeof outboxMessages.$inferSelect;
