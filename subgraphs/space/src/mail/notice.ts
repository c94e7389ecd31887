import type { Tx } from '../db/client.js';

/**
 * What a change owes someone, as the data layer says it: `owe(tx, notice)` turns it into mails
 * in the outbox, inside the change's transaction.
 */
export type Notice =
  /** A guest registered themselves: confirm by the link (pending, or waiting when full). */
  | { kind: 'registration-to-confirm'; registrationId: string }
  /** A guest registered an address already registered for the event: what applies to it. */
  | { kind: 'registration-exists'; registrationId: string }
  /** A guest registered an address that holds the most registrations already. */
  | { kind: 'guest-limit'; eventId: string; email: string; name: string }
  | { kind: 'registration-confirmed'; registrationId: string }
  /** A seat freed up: confirm it before the registration's `holdUntil`. */
  | { kind: 'promoted'; registrationId: string }
  | { kind: 'event-changed'; eventId: string }
  | { kind: 'event-cancelled'; eventId: string }
  | { kind: 'reminder'; registrationId: string };

export type Owe = (tx: Tx, notice: Notice) => Promise<void>;

/** Owes nothing: for bulk loaders and tests that do not look at mails. */
export const oweNothing: Owe = async () => {};
