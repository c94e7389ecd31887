import { REGISTER_FOR_EVENT, testEngines } from '@tiers-lieux/schema/testkit';
import {
  createOutboxDispatcher,
  smtpTransport,
  startMailCatcher,
  type CaughtMail,
  type MailCatcher,
  type MailTransport,
} from '@tiers-lieux/subgraph-shell';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { releaseExpiredHolds, remindTomorrow } from '../src/data/registrations.js';
import { createOwe } from '../src/mail/owe.js';
import { DEVELOPMENT_MAIL_SETTINGS } from '../src/mail/settings.js';
import { createHarness, viewers, type Harness } from './harness.js';

const LINK = (field: string) => /* GraphQL */ `
  mutation ($input: RegistrationLinkInput!) {
    ${field}(input: $input) { registration { id status holdUntil } error { code } }
  }
`;

/** The links of a mail: `{ confirm, cancel, unsubscribe }` as (id, token) pairs. */
function linksOf(mail: CaughtMail) {
  const found: Record<string, { id: string; token: string }> = {};
  for (const [, kind, id, token] of mail.text.matchAll(
    /\/(inscription\/confirmer|inscription\/annuler|desabonnement)\/([^/\s]+)\/([^\s]+)/g,
  )) {
    const name = {
      'inscription/confirmer': 'confirm',
      'inscription/annuler': 'cancel',
      desabonnement: 'unsubscribe',
    }[kind!]!;
    found[name] = { id: decodeURIComponent(id!), token: token! };
  }
  return found;
}

describe.each(testEngines())('guest registrations and their mails on %s', (engine) => {
  let h: Harness;
  let catcher: MailCatcher;
  let transport: MailTransport;
  const manager = viewers.manager('baronnies');
  const owe = () => createOwe(DEVELOPMENT_MAIL_SETTINGS, 'baronnies');

  /** Sends what the outbox holds, then the mails received since the last call. */
  let seen = 0;
  async function mails(): Promise<CaughtMail[]> {
    const dispatcher = createOutboxDispatcher({
      db: h.db,
      transport,
      from: 'reseau@tiers-lieux.test',
    });
    while ((await dispatcher.runOnce()).sent > 0);
    const fresh = catcher.mails.slice(seen);
    seen = catcher.mails.length;
    return fresh;
  }

  async function upcomingEvent(capacity: number) {
    const space = await h.seed.space({ name: 'Les Tuves' });
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    const event = await h.seed.event(space.id, {
      capacity,
      title: 'Atelier réparation',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
    });
    return event;
  }

  const guest = (eventId: string, email: string, name = 'Zoé') =>
    h.execute(REGISTER_FOR_EVENT, { input: { eventId, guest: { name, email } } });
  const follow = (
    field: 'confirmGuestRegistration' | 'cancelGuestRegistration',
    link: { id: string; token: string },
  ) => h.execute(LINK(field), { input: { registrationId: link.id, token: link.token } });

  beforeAll(async () => {
    h = await createHarness({ engine });
    catcher = await startMailCatcher();
    transport = smtpTransport(catcher.url);
  });
  afterAll(async () => {
    transport.close();
    await catcher.close();
    await h.close();
  });
  beforeEach(async () => {
    await mails();
  });

  it('mails a guest a link to confirm, then the confirmation with the event, and cancels by the link', async () => {
    const event = await upcomingEvent(5);
    const answer = await guest(event.publicId, 'zoe@example.org');
    expect(answer.data!.registerForEvent).toEqual({
      registration: null,
      error: null,
      answerSentByMail: true,
    });

    const [toConfirm, ...more] = await mails();
    expect(more).toEqual([]);
    expect(toConfirm).toMatchObject({
      to: ['zoe@example.org'],
      subject: 'Confirmez votre inscription — Les Tuves',
    });
    expect(toConfirm!.text).toContain('Une place vous est réservée');
    expect(toConfirm!.html).toContain('Réseau des tiers-lieux');
    const links = linksOf(toConfirm!);

    const forged = await follow('confirmGuestRegistration', {
      ...links.confirm!,
      token: links.cancel!.token,
    });
    expect(forged.data!.confirmGuestRegistration.error).toEqual({ code: 'INVALID_TOKEN' });
    const confirmed = await follow('confirmGuestRegistration', links.confirm!);
    expect(confirmed.data!.confirmGuestRegistration).toMatchObject({
      registration: { id: links.confirm!.id, status: 'CONFIRMED', holdUntil: null },
      error: null,
    });
    const [confirmation] = await mails();
    expect(confirmation).toMatchObject({
      subject: 'Inscription confirmée — Les Tuves',
      to: ['zoe@example.org'],
    });
    expect(confirmation!.attachments).toMatchObject([{ filename: 'evenement.ics' }]);
    expect(confirmation!.attachments[0]!.content).toContain('SUMMARY:Atelier réparation');
    expect(confirmation!.headers['list-unsubscribe']).toBeUndefined();

    const cancelled = await follow('cancelGuestRegistration', linksOf(confirmation!).cancel!);
    expect(cancelled.data!.cancelGuestRegistration).toMatchObject({
      registration: { status: 'CANCELLED' },
      error: null,
    });
    const again = await follow('cancelGuestRegistration', links.cancel!);
    expect(again.data!.cancelGuestRegistration.error).toEqual({ code: 'ALREADY_CANCELLED' });
  });

  it('no longer lets unconfirmed throwaway registrations keep seats from people who confirm', async () => {
    const event = await upcomingEvent(10);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        guest(event.publicId, `jetable${i}@yopmail.test`, `Bot ${i}`),
      ),
    );
    await guest(event.publicId, 'ines@example.org', 'Inès');
    const inesMail = (await mails()).find((m) => m.to[0] === 'ines@example.org')!;
    expect(inesMail.text).toContain("L'événement est complet");
    const waiting = await follow('confirmGuestRegistration', linksOf(inesMail).confirm!);
    expect(waiting.data!.confirmGuestRegistration.registration.status).toBe('WAITING');

    const later = new Date(Date.now() + 31 * 60_000);
    expect(await releaseExpiredHolds(h.db, { now: later, owe: owe() })).toBe(12);
    const [promotedMail, ...others] = await mails();
    expect(others).toEqual([]);
    expect(promotedMail).toMatchObject({
      to: ['ines@example.org'],
      subject: "Une place s'est libérée — Les Tuves",
    });
    const seat = await follow('confirmGuestRegistration', linksOf(promotedMail!).confirm!);
    expect(seat.data!.confirmGuestRegistration.registration.status).toBe('CONFIRMED');

    const counts = await h.execute(
      `query ($id: ID!) { event(id: $id) { seatsLeft waitingListLength } }`,
      { id: event.publicId },
    );
    expect(counts.data!.event).toEqual({ seatsLeft: 9, waitingListLength: 0 });
  });

  it('no longer lets anyone lock a victim out by registering their address', async () => {
    const events = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => upcomingEvent(3)));
    for (const e of events.slice(0, 6)) await guest(e.publicId, 'Victime@Example.org', 'Faux nom');
    await mails();

    await guest(events[6]!.publicId, 'victime@example.org', 'Victime');
    const [fresh] = await mails();
    expect(fresh!.subject).toBe('Confirmez votre inscription — Les Tuves');

    const again = await guest(events[0]!.publicId, 'victime@example.org', 'Victime');
    expect(again.data!.registerForEvent).toEqual({
      registration: null,
      error: null,
      answerSentByMail: true,
    });
    const [exists] = await mails();
    expect(exists!.text).toContain('Une inscription à cette adresse existait déjà');
    const confirmed = await follow('confirmGuestRegistration', linksOf(exists!).confirm!);
    expect(confirmed.data!.confirmGuestRegistration.registration.status).toBe('CONFIRMED');
  });

  it('says in the mail, not in the answer, that an address holds too many confirmed registrations', async () => {
    const events = await Promise.all([1, 2, 3, 4, 5, 6].map(() => upcomingEvent(3)));
    for (const e of events.slice(0, 5)) {
      await guest(e.publicId, 'assidue@example.org');
      const mail = (await mails()).find((m) => m.subject.startsWith('Confirmez'));
      await follow('confirmGuestRegistration', linksOf(mail!).confirm!);
    }
    await mails();
    const sixth = await guest(events[5]!.publicId, 'assidue@example.org');
    expect(sixth.data!.registerForEvent).toEqual({
      registration: null,
      error: null,
      answerSentByMail: true,
    });
    const [refused] = await mails();
    expect(refused!.subject).toBe('Inscription non enregistrée — Les Tuves');
  });

  it('mails the person a cancellation promotes, and each registrant when the event is cancelled', async () => {
    const event = await upcomingEvent(2);
    const members = await Promise.all(
      ['Alice', 'Bruno', 'Chloé'].map((n) =>
        h.seed.member({ displayName: n, email: `${n.toLowerCase()}@example.org` }),
      ),
    );
    const registered = [];
    for (const m of members) {
      const r = await h.execute(
        REGISTER_FOR_EVENT,
        { input: { eventId: event.publicId, memberId: m.publicId } },
        { viewer: manager },
      );
      registered.push(r.data!.registerForEvent.registration);
    }
    expect(registered.map((r) => r.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITING']);
    expect((await mails()).map((m) => [m.to[0], m.subject]).sort()).toEqual([
      ['alice@example.org', 'Inscription confirmée — Les Tuves'],
      ['bruno@example.org', 'Inscription confirmée — Les Tuves'],
    ]);

    await h.execute(
      `mutation ($id: ID!) { cancelRegistration(input: { id: $id }) { error { code } } }`,
      { id: registered[0].id },
      { viewer: manager },
    );
    const [promoted] = await mails();
    expect(promoted).toMatchObject({
      to: ['chloé@example.org'.normalize()],
      subject: "Une place s'est libérée — Les Tuves",
    });

    await h.execute(
      `mutation ($id: ID!) { cancelEvent(input: { id: $id }) { error { code } } }`,
      { id: event.publicId },
      { viewer: manager },
    );
    const told = await mails();
    expect(told.map((m) => m.to[0]).sort()).toEqual([
      'bruno@example.org',
      'chloé@example.org'.normalize(),
    ]);
    expect(new Set(told.map((m) => m.subject))).toEqual(new Set(['Événement annulé — Les Tuves']));
  });

  it('reminds the day before with a one-click unsubscribe, and stops once unsubscribed', async () => {
    const event = await upcomingEvent(5);
    const member = await h.seed.member({ displayName: 'Denis', email: 'denis@example.org' });
    await h.execute(
      REGISTER_FOR_EVENT,
      { input: { eventId: event.publicId, memberId: member.publicId } },
      { viewer: manager },
    );
    await mails();
    const dayBefore = new Date(event.startsAt.getTime() - 20 * 3_600_000);
    // Other tests' events start the same week: their confirmed registrations are reminded too.
    expect(await remindTomorrow(h.db, { now: dayBefore, owe: owe() })).toBeGreaterThan(0);
    expect(await remindTomorrow(h.db, { now: dayBefore, owe: owe() })).toBe(0);
    const reminders = (await mails()).filter((m) => m.to[0] === 'denis@example.org');
    expect(reminders).toHaveLength(1);
    const [reminder] = reminders;
    expect(reminder!.subject).toBe("Rappel : c'est demain — Les Tuves");
    expect(reminder!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = linksOf(reminder!).unsubscribe!;
    expect(reminder!.headers['list-unsubscribe']).toContain(unsubscribe.token);

    const done = await h.execute(
      `mutation ($input: UnsubscribeInput!) { unsubscribe(input: $input) { kind error { code } } }`,
      { input: { partner: unsubscribe.id, token: unsubscribe.token } },
    );
    expect(done.data!.unsubscribe).toEqual({ kind: 'reminder', error: null });

    const other = await upcomingEvent(5);
    await h.execute(
      REGISTER_FOR_EVENT,
      { input: { eventId: other.publicId, memberId: member.publicId } },
      { viewer: manager },
    );
    await mails();
    expect(
      await remindTomorrow(h.db, {
        now: new Date(other.startsAt.getTime() - 3_600_000),
        owe: owe(),
      }),
    ).toBe(1);
    expect((await mails()).filter((m) => m.to[0] === 'denis@example.org')).toEqual([]);
  });

  it('shows the dead letters to managers only, and a manager sends one again', async () => {
    const event = await upcomingEvent(5);
    await catcher.pause();
    await guest(event.publicId, 'perdue@example.org');
    const giveUp = createOutboxDispatcher({
      db: h.db,
      transport,
      from: 'reseau@tiers-lieux.test',
      giveUpAfterMs: 0,
    });
    expect(await giveUp.runOnce()).toEqual({ sent: 0, failed: 1 });
    await catcher.resume();
    const query = `{ partner: _entities(representations: [{ __typename: "Partner", slug: "baronnies" }]) { ... on Partner { outboxDeadLetters { id kind recipient subject status attempts } } } }`;
    const anonymous = await h.execute(query);
    expect(anonymous.data!.partner).toEqual([{ outboxDeadLetters: [] }]);
    const seen = await h.execute(query, undefined, { viewer: manager });
    const [dead] = seen.data!.partner[0].outboxDeadLetters;
    expect(dead).toMatchObject({
      kind: 'registration-to-confirm',
      recipient: 'perdue@example.org',
      status: 'DEAD',
      attempts: 1,
    });
    expect(dead.id).toMatch(/^baronnies:outbox-message:/);

    const retry = `mutation ($id: ID!) { retryOutboxMessage(input: { id: $id }) { message { status } error { code } } }`;
    await expect(h.execute(retry, { id: dead.id })).resolves.toMatchObject({
      errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
    });
    const retried = await h.execute(retry, { id: dead.id }, { viewer: manager });
    expect(retried.data!.retryOutboxMessage).toEqual({
      message: { status: 'PENDING' },
      error: null,
    });
    const [sent] = await mails();
    expect(sent!.to).toEqual(['perdue@example.org']);
  });
});
