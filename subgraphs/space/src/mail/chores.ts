import { releaseExpiredHolds, remindTomorrow } from '../data/registrations.js';
import type { Db } from '../db/client.js';
import { createOwe } from './owe.js';
import type { MailSettings } from './settings.js';

/**
 * The partner's periodic work, run by its outbox dispatcher at each interval: holds whose time
 * is up are released (the waiting list moves), and the reminders of the day before written.
 */
export function registrationChores(db: Db, partner: string, mail: MailSettings) {
  const owe = createOwe(mail, partner);
  return async () => {
    const now = new Date();
    await releaseExpiredHolds(db, { now, owe });
    await remindTomorrow(db, { now, owe });
  };
}
