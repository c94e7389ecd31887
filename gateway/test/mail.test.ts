import { sql } from 'drizzle-orm';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '@tiers-lieux/subgraph-shell';
import { mailLinkRoutes } from '@tiers-lieux/web/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  post,
  REGISTER_FOR_EVENT,
  startSeededNetwork,
  tokens,
  type RunningPartner,
} from '../src/testing/index.js';

/**
 * What the network promises by mail, through the gateway: the seeded network with every
 * partner's outbox dispatcher sending to a real SMTP server, the web pages the links land on
 * mounted on the gateway, and anonymous writes limited per address as in production (so the
 * link pages, which call the gateway over loopback, are proven not to be counted).
 */

type Link = 'confirm' | 'cancel' | 'unsubscribe';

/** The paths of a mail's links (`/inscription/confirmer/<id>/<token>`…), by what they do. */
function linksOf(mail: CaughtMail): Partial<Record<Link, string>> {
  const found: Partial<Record<Link, string>> = {};
  for (const [path, kind] of mail.text.matchAll(
    /\/(inscription\/confirmer|inscription\/annuler|desabonnement)\/[^/\s]+\/[^\s]+/g,
  )) {
    const name = ({ 'inscription/confirmer': 'confirm', 'inscription/annuler': 'cancel' } as const)[
      kind as 'inscription/confirmer'
    ];
    found[name ?? 'unsubscribe'] = path;
  }
  return found;
}

describe('mails through the gateway', () => {
  let catcher: MailCatcher;
  let network: Awaited<ReturnType<typeof startSeededNetwork>>;
  let site: string;
  let laserre: RunningPartner;
  let space: { id: string; publicId: string };

  beforeAll(async () => {
    catcher = await startMailCatcher();
    network = await startSeededNetwork({
      mail: { smtpUrl: catcher.url },
      routes: mailLinkRoutes(),
      anonymousWriteLimit: { max: 30, windowMs: 600_000 },
    });
    site = network.gateway.graphqlUrl.replace(/\/graphql$/, '');
    laserre = network.partners.find((p) => p.slug === 'laserre')!;
    space = await laserre.seed.space({ name: 'La Serre', commune: 'Toulouse' });
  }, 120_000);
  afterAll(async () => {
    await network?.stop();
    await catcher?.close();
  });

  let eventCount = 0;
  async function upcomingEvent(capacity: number) {
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    return laserre.seed.event(space.id, {
      capacity,
      title: `Atelier ${++eventCount}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
    });
  }

  const register = (eventId: string, email: string, name = 'Zoé', token?: string) =>
    post(
      network.gateway.graphqlUrl,
      REGISTER_FOR_EVENT,
      { input: { eventId, guest: { name, email } } },
      token,
    );

  /** The mails to `to` received so far, in order; waits until there are `count` (or fails). */
  async function mailsTo(to: string, count: number): Promise<CaughtMail[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const mails = catcher.mails.filter((m) => m.to.some((r) => r.toLowerCase() === to));
      if (mails.length >= count) return mails;
      if (Date.now() > deadline)
        throw new Error(`${to} received ${mails.length} mails, expected ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Posts the form of the page a link lands on, as its button does. */
  async function follow(path: string) {
    const response = await fetch(`${site}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    return { status: response.status, html: await response.text() };
  }

  /** Registers a guest and confirms by the link of the mail; the confirmation mail. */
  async function confirmedGuest(eventId: string, email: string, name: string) {
    const before = catcher.mails.filter((m) => m.to.some((r) => r.toLowerCase() === email)).length;
    await register(eventId, email, name);
    const [toConfirm] = (await mailsTo(email, before + 1)).slice(before);
    expect((await follow(linksOf(toConfirm!).confirm!)).html).toContain('Inscription confirmée');
    return (await mailsTo(email, before + 2))[before + 1]!;
  }

  it('mails a guest a link to confirm, confirms by the page it lands on, then cancels by the confirmation mail', async () => {
    const event = await upcomingEvent(5);
    const answer = await register(event.publicId, 'zoe@example.org');
    expect(answer.data!.registerForEvent).toEqual({
      registration: null,
      error: null,
      answerSentByMail: true,
    });
    const [toConfirm] = await mailsTo('zoe@example.org', 1);
    expect(toConfirm!.subject).toBe('Confirmez votre inscription — La Serre');
    const confirm = linksOf(toConfirm!).confirm!;

    // A GET (a mail scanner following the link) only shows the button.
    const shown = await fetch(`${site}${confirm}`);
    expect(await shown.text()).toContain('Confirmer mon inscription');
    expect((await follow(`${confirm.replace(/\/[^/]+$/, '/forged')}`)).status).toBe(400);
    const confirmed = await follow(confirm);
    expect(confirmed).toMatchObject({ status: 200 });
    expect(confirmed.html).toContain('Inscription confirmée');

    const [, confirmation, ...more] = await mailsTo('zoe@example.org', 2);
    expect(more).toEqual([]);
    expect(confirmation!.subject).toBe('Inscription confirmée — La Serre');
    expect(confirmation!.attachments[0]!.content).toContain(`SUMMARY:${event.title}`);

    const cancelled = await follow(linksOf(confirmation!).cancel!);
    expect(cancelled.html).toContain('Inscription annulée');
    const again = await follow(linksOf(toConfirm!).cancel!);
    expect(again.status).toBe(400);
    expect(again.html).toContain('Cette inscription est annulée');
  });

  it("promotes a full event's waiting list when a guest cancels by the link, and mails the promoted person", async () => {
    const event = await upcomingEvent(1);
    const seated = await confirmedGuest(event.publicId, 'alice@example.org', 'Alice');
    await register(event.publicId, 'bruno@example.org', 'Bruno');
    const [full] = await mailsTo('bruno@example.org', 1);
    expect(full!.text).toContain("L'événement est complet");
    expect((await follow(linksOf(full!).confirm!)).html).toContain('Inscription sur liste d');

    expect((await follow(linksOf(seated).cancel!)).html).toContain('Inscription annulée');
    const [, promoted] = await mailsTo('bruno@example.org', 2);
    expect(promoted!.subject).toBe("Une place s'est libérée — La Serre");
    expect((await follow(linksOf(promoted!).confirm!)).html).toContain('Inscription confirmée');
  });

  it('mails each registrant once when the manager cancels the event', async () => {
    const event = await upcomingEvent(10);
    const guests = ['chloe@example.org', 'denis@example.org', 'elsa@example.org'];
    for (const email of guests) await confirmedGuest(event.publicId, email, 'Invité');
    const answer = await post(
      network.gateway.graphqlUrl,
      `mutation ($id: ID!) { cancelEvent(input: { id: $id }) { event { status } error { code } } }`,
      { id: event.publicId },
      await tokens.manager('laserre'),
    );
    expect(answer.data!.cancelEvent).toEqual({ event: { status: 'CANCELLED' }, error: null });
    for (const email of guests) {
      const mails = await mailsTo(email, 3);
      expect(mails.map((m) => m.subject)).toEqual([
        'Confirmez votre inscription — La Serre',
        'Inscription confirmée — La Serre',
        'Événement annulé — La Serre',
      ]);
    }
  });

  it('does not let twelve throwaway guests keep the seats of a ten-seat event from a person who confirms', async () => {
    const event = await upcomingEvent(10);
    for (let i = 0; i < 12; i++)
      await register(event.publicId, `jetable${i}@yopmail.test`, `Bot ${i}`);
    await register(event.publicId, 'ines@example.org', 'Inès');
    const [full] = await mailsTo('ines@example.org', 1);
    expect(full!.text).toContain("L'événement est complet");
    expect((await follow(linksOf(full!).confirm!)).html).toContain('Inscription sur liste d');

    // Thirty minutes pass: the holds nobody confirmed run out, and the partner's dispatcher
    // releases them at its next round.
    await laserre.db.execute(
      sql`update registrations set hold_until = now() - interval '1 minute'
          where guest_email like 'jetable%' and hold_until is not null`,
    );
    const [, promoted] = await mailsTo('ines@example.org', 2);
    expect(promoted!.subject).toBe("Une place s'est libérée — La Serre");
    expect((await follow(linksOf(promoted!).confirm!)).html).toContain('Inscription confirmée');
    const counts = await post(
      network.gateway.graphqlUrl,
      `query ($id: ID!) { event(id: $id) { seatsLeft waitingListLength } }`,
      { id: event.publicId },
    );
    expect(counts.data!.event).toEqual({ seatsLeft: 9, waitingListLength: 0 });
  });

  it('does not let anyone lock a victim out by registering their address', async () => {
    const events = await Promise.all([1, 2, 3, 4, 5, 6].map(() => upcomingEvent(3)));
    for (const e of events) await register(e.publicId, 'Victime@Example.org', 'Faux nom');
    await mailsTo('victime@example.org', 6);
    const last = await upcomingEvent(3);
    const seat = await confirmedGuest(last.publicId, 'victime@example.org', 'Victime');
    expect(seat.subject).toBe('Inscription confirmée — La Serre');
  });

  it('does not count the link pages against the anonymous writes of the address they call from', async () => {
    const [mail] = await mailsTo('zoe@example.org', 1);
    const forged = linksOf(mail!).confirm!.replace(/\/[^/]+$/, '/forged');
    // More than the suite's limit of 30 anonymous writes: a counted one would be refused (429,
    // shown as a 502 page), not found invalid.
    for (let i = 0; i < 35; i++) expect((await follow(forged)).status).toBe(400);
  });

  async function pending() {
    const answer = (await laserre.db.execute(
      sql`select count(*)::int as n from outbox_messages where status <> 'SENT'`,
    )) as unknown as { rows: { n: number }[] };
    return answer.rows[0]!.n;
  }

  it('delivers every mail once, in order per recipient, after the mail server was down', async () => {
    await expect.poll(() => pending(), { timeout: 10_000 }).toBe(0);
    await catcher.pause();
    const events = await Promise.all([1, 2, 3, 4, 5].map(() => upcomingEvent(100)));
    const guests = Array.from({ length: 20 }, (_, i) => `panne${i}@example.org`);
    // The front desk registers them: a signed-in write, not limited per address.
    const staff = await tokens.staff('laserre');
    for (const event of events) {
      for (const email of guests) {
        const answer = await register(event.publicId, email, 'Invité', staff);
        expect(answer.data!.registerForEvent.registration.status).toBe('CONFIRMED');
      }
    }
    expect(await pending()).toBe(100);
    await catcher.resume();

    for (const email of guests) {
      const mails = await mailsTo(email, 5);
      expect(mails.map((m) => m.attachments[0]!.content.match(/SUMMARY:(.*)/)![1]!.trim())).toEqual(
        events.map((e) => e.title),
      );
    }
    // Nothing left to send (once the last sends are marked), and nothing sent twice.
    await expect.poll(() => pending(), { timeout: 10_000 }).toBe(0);
    const received = catcher.mails.filter((m) => m.to[0]!.startsWith('panne'));
    expect(received).toHaveLength(100);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(100);
  }, 120_000);
});
