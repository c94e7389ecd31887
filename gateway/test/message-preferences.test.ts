import { composeOrThrow, networkSubgraphs } from '@tiers-lieux/schema/compose';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '@tiers-lieux/subgraph-shell';
import { MY_SPACE } from '@tiers-lieux/web/account-operations';
import { mailLinkRoutes } from '@tiers-lieux/web/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forward,
  post,
  REGISTER_FOR_EVENT,
  startGateway,
  startSeededNetwork,
  tokens,
  type RunningPartner,
} from '../src/testing/index.js';
import { LoopbackServer } from '../src/testing/loopback.js';

/**
 * A person's choice of optional messages (Mon espace) and the mails of a person registered as
 * themselves, through a gateway whose every request to a partner passes a proxy that reads
 * the viewer header: the seeded network, every partner's outbox sending to a real SMTP server,
 * the link pages mounted on the gateway.
 */

interface Seen {
  partner: string;
  query: string;
  viewer: Record<string, unknown> | null;
}

/** A proxy in front of a partner that keeps each request's document and viewer claim. */
class RecordingProxy extends LoopbackServer {
  constructor(partner: string, target: string, seen: Seen[]) {
    super((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const header = req.headers['x-network-viewer'];
        const claims =
          typeof header === 'string'
            ? JSON.parse(Buffer.from(header.split('.')[1]!, 'base64url').toString('utf8'))
            : null;
        const query = body.length > 0 ? String(JSON.parse(body.toString('utf8')).query) : '';
        seen.push({ partner, query, viewer: claims?.viewer ?? null });
        forward(target, req, res, body);
      });
    });
  }
}

const SET_REMINDER = /* GraphQL */ `
  mutation ($input: SetEventMessagePreferenceInput!) {
    setEventMessagePreference(input: $input) {
      kind
      subscribed
      error {
        code
      }
    }
  }
`;

const SET_PASS = /* GraphQL */ `
  mutation ($input: SetPassMessagePreferenceInput!) {
    setPassMessagePreference(input: $input) {
      preference {
        kind
        subscribed
      }
      error {
        code
      }
    }
  }
`;

const LEA = 'lea.moreau@example.org';
const LEA_AS_MEMBER = 'lea@membres.laserre.example';

describe('message preferences and the mails of a person registered as themselves', () => {
  let catcher: MailCatcher;
  let network: Awaited<ReturnType<typeof startSeededNetwork>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const proxies: RecordingProxy[] = [];
  const seen: Seen[] = [];
  let site: string;
  let laserre: RunningPartner;
  let cantine: RunningPartner;
  let lea: string;
  let leaId: string;
  let leaMember: { id: string; publicId: string };
  const spaces: Record<string, { id: string; publicId: string }> = {};

  beforeAll(async () => {
    catcher = await startMailCatcher();
    network = await startSeededNetwork({ mail: { smtpUrl: catcher.url } });
    for (const partner of network.partners) {
      const proxy = new RecordingProxy(partner.slug, partner.url, seen);
      await proxy.start();
      proxies.push(proxy);
    }
    gateway = await startGateway({
      supergraphSdl: composeOrThrow(networkSubgraphs()),
      people: undefined,
      subgraphUrls: { network: network.networkUrl },
      partners: network.partners.map((p, i) => ({
        slug: p.slug,
        url: proxies[i]!.url,
        status: 'ACTIVE',
      })),
      routes: mailLinkRoutes(),
    });
    site = gateway.graphqlUrl.replace(/\/graphql$/, '');
    laserre = network.partners.find((p) => p.slug === 'laserre')!;
    cantine = network.partners.find((p) => p.slug === 'cantine')!;
    lea = await tokens.person(LEA);
    const me = await post(gateway.graphqlUrl, MY_SPACE, {}, lea);
    leaId = me.data!.me.id;
    leaMember = await laserre.seed.member({
      displayName: 'Léa Moreau',
      email: LEA_AS_MEMBER,
      personId: leaId.split(':')[2]!,
    });
    spaces.laserre = await laserre.seed.space({ name: 'La Serre', commune: 'Toulouse' });
    spaces.cantine = await cantine.seed.space({ name: 'La Cantine', commune: 'Nantes' });
  }, 300_000);
  afterAll(async () => {
    await gateway?.stop();
    for (const proxy of proxies) await proxy.close();
    await network?.stop();
    await catcher?.close();
  });

  let eventCount = 0;
  /** An event at `partner` that starts in `hours`: within a day, its reminders are due at once. */
  async function event(partner: RunningPartner, hours: number) {
    const startsAt = new Date(Date.now() + hours * 3_600_000);
    return partner.seed.event(spaces[partner.slug]!.id, {
      capacity: 10,
      title: `Atelier ${++eventCount}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
    });
  }

  /** Léa registers herself for an event of `cantine`, where she has no member record. */
  async function registerAtCantine(eventId: string) {
    const answer = await post(
      gateway.graphqlUrl,
      REGISTER_FOR_EVENT,
      { input: { eventId, displayName: 'Léa Moreau' } },
      lea,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.registerForEvent.registration.status).toBe('CONFIRMED');
    return answer.data!.registerForEvent.registration.id as string;
  }

  /** Léa's member record at laserre is registered for an event, as its front desk would. */
  async function registerAtLaserre(eventId: string) {
    const answer = await post(
      gateway.graphqlUrl,
      REGISTER_FOR_EVENT,
      { input: { eventId, memberId: leaMember.publicId } },
      await tokens.manager('laserre'),
    );
    expect(answer.data!.registerForEvent.registration.status).toBe('CONFIRMED');
    return answer.data!.registerForEvent.registration.id as string;
  }

  const mailsTo = (to: string, subject?: string) =>
    catcher.mails.filter(
      (m) =>
        m.to.some((r) => r.toLowerCase() === to) && (!subject || m.subject.startsWith(subject)),
    );

  async function waitForMail(to: string, subject: string, count = 1): Promise<CaughtMail[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const mails = mailsTo(to, subject);
      if (mails.length >= count) return mails;
      if (Date.now() > deadline)
        throw new Error(`${mails.length} mail(s) « ${subject} », expected ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The rows of a query to a partner's database, on PGlite or postgres.js alike. */
  async function rowsOf<T>(partner: RunningPartner, query: ReturnType<typeof sql>): Promise<T[]> {
    const answer = (await partner.db.execute(query)) as unknown as T[] | { rows: T[] };
    return Array.isArray(answer) ? answer : answer.rows;
  }

  /** Waits until the partner's chores took the registration's reminder (sent or not). */
  async function reminded(partner: RunningPartner, registrationId: string) {
    const uuid = registrationId.split(':')[2]!;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = await rowsOf<{ reminded_at: unknown }>(
        partner,
        sql`select reminded_at from registrations where id = ${uuid}`,
      );
      if (row?.reminded_at) return;
      if (Date.now() > deadline) throw new Error('the reminder was never taken');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The reminders the partner's outbox holds for an address. */
  async function remindersInOutbox(partner: RunningPartner, to: string): Promise<number> {
    const [row] = await rowsOf<{ n: number }>(
      partner,
      sql`select count(*)::int as n from outbox_messages where kind = 'reminder' and lower(recipient) = ${to}`,
    );
    return row!.n;
  }

  const setReminder = (subscribed: boolean, token = lea, personId = leaId) =>
    post(
      gateway.graphqlUrl,
      SET_REMINDER,
      { input: { personId, kind: 'REMINDER', subscribed } },
      token,
    );

  it('mails a person registered as themselves at their verified address: confirmation, change, reminder, cancellation', async () => {
    const soon = await event(cantine, 10);
    const before = seen.length;
    const registrationId = await registerAtCantine(soon.publicId);
    const [confirmed] = await waitForMail(LEA, 'Inscription confirmée');
    expect(confirmed!.text).toContain('Bonjour Léa Moreau');
    // The reminder of the day before: the partner's chores take it on their own.
    await reminded(cantine, registrationId);
    await waitForMail(LEA, "Rappel : c'est demain");

    const manager = await tokens.manager('cantine');
    const changed = await post(
      gateway.graphqlUrl,
      /* GraphQL */ `
        mutation ($input: UpdateEventInput!) {
          updateEvent(input: $input) {
            error {
              code
            }
          }
        }
      `,
      {
        input: {
          id: soon.publicId,
          endsAt: new Date(soon.endsAt.getTime() + 3_600_000).toISOString(),
        },
      },
      manager,
    );
    expect(changed.data!.updateEvent.error).toBeNull();
    await waitForMail(LEA, 'Événement modifié');
    const cancelled = await post(
      gateway.graphqlUrl,
      `mutation ($id: ID!) { cancelEvent(input: { id: $id }) { error { code } } }`,
      { id: soon.publicId },
      manager,
    );
    expect(cancelled.data!.cancelEvent.error).toBeNull();
    await waitForMail(LEA, 'Événement annulé');

    // The address travelled once: to the event's partner, with the registration itself.
    const told = seen.slice(before).filter((s) => s.viewer?.email !== undefined);
    expect(told).toHaveLength(1);
    expect(told[0]!.partner).toBe('cantine');
    expect(told[0]!.query).toMatch(/^mutation[^{]*\{\s*registerForEvent/);
    expect(told[0]!.viewer!.email).toBe(LEA);
  });

  it('tells the address to the event’s partner with a registration as oneself, and to nobody else', async () => {
    const before = seen.length;
    await post(gateway.graphqlUrl, MY_SPACE, {}, lea);
    await registerAtLaserre((await event(laserre, 30)).publicId);
    // Registering as herself at laserre, where she is a member: the gateway cannot know it and
    // tells laserre, whose event it is; laserre registers her member record and keeps nothing.
    const asMember = await post(
      gateway.graphqlUrl,
      REGISTER_FOR_EVENT,
      { input: { eventId: (await event(laserre, 40)).publicId } },
      lea,
    );
    expect(asMember.data!.registerForEvent.registration.status).toBe('CONFIRMED');
    await registerAtCantine((await event(cantine, 50)).publicId);
    await setReminder(true);
    const requests = seen.slice(before);
    // Léa's own queries reached every partner, as the person she is.
    expect(
      new Set(requests.filter((s) => s.viewer?.personId === leaId).map((s) => s.partner)),
    ).toEqual(new Set(network.partners.map((p) => p.slug)));
    const told = requests.filter((s) => s.viewer?.email !== undefined);
    expect(told.map((s) => s.partner)).toEqual(['laserre', 'cantine']);
    for (const request of told)
      expect(request.query).toMatch(/^mutation[^{]*\{\s*registerForEvent/);
    expect(JSON.stringify(requests.filter((s) => !told.includes(s)))).not.toContain(LEA);
    const [kept] = await rowsOf<{ n: number }>(
      laserre,
      sql`select count(*)::int as n from registrations where person_email is not null`,
    );
    expect(kept!.n).toBe(0);
  });

  it('stops the reminders at every partner once the person turns them off, and sends them again once back on', async () => {
    const off = await setReminder(false);
    expect(off.errors).toBeUndefined();
    expect(off.data!.setEventMessagePreference).toEqual({
      kind: 'REMINDER',
      subscribed: false,
      error: null,
    });
    // Every partner was told, those where Léa is unknown too (she may join them later).
    const sent = seen.filter((s) => s.query.includes('setEventMessagePreference'));
    expect(new Set(sent.slice(-network.partners.length).map((s) => s.partner))).toEqual(
      new Set(network.partners.map((p) => p.slug)),
    );
    const me = await post(gateway.graphqlUrl, MY_SPACE, {}, lea);
    expect(me.data!.me.eventMessagePreferences).toHaveLength(network.partners.length);
    for (const preference of me.data!.me.eventMessagePreferences)
      expect(preference).toMatchObject({ kind: 'REMINDER', subscribed: false, setByLink: false });

    const asMember = await registerAtLaserre((await event(laserre, 8)).publicId);
    const asHerself = await registerAtCantine((await event(cantine, 8)).publicId);
    await reminded(laserre, asMember);
    await reminded(cantine, asHerself);
    const remindersBefore = mailsTo(LEA, "Rappel : c'est demain").length;
    expect(await remindersInOutbox(laserre, LEA_AS_MEMBER)).toBe(0);
    expect(await remindersInOutbox(cantine, LEA)).toBe(remindersBefore);

    expect((await setReminder(true)).data!.setEventMessagePreference.subscribed).toBe(true);
    const again = await registerAtLaserre((await event(laserre, 9)).publicId);
    await registerAtCantine((await event(cantine, 9)).publicId);
    await reminded(laserre, again);
    await waitForMail(LEA_AS_MEMBER, "Rappel : c'est demain");
    await waitForMail(LEA, "Rappel : c'est demain", remindersBefore + 1);
  });

  it('shows on the person’s preferences what the one-click link of a mail turned off', async () => {
    const [reminder] = mailsTo(LEA_AS_MEMBER, "Rappel : c'est demain");
    const link = reminder!.text.match(/\/desabonnement\/[^\s]+/)![0];
    const response = await fetch(`${site}${link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(response.status).toBe(200);
    const me = await post(gateway.graphqlUrl, MY_SPACE, {}, lea);
    const byPartner = Object.fromEntries(
      me.data!.me.eventMessagePreferences.map((p: { partner: string }) => [p.partner, p]),
    );
    expect(byPartner.laserre).toEqual({
      partner: 'laserre',
      kind: 'REMINDER',
      subscribed: false,
      setByLink: true,
    });
    expect(byPartner.cantine).toMatchObject({ subscribed: true, setByLink: false });

    // Turned back on from Mon espace: the latest choice holds over the link's.
    await setReminder(true);
    const after = await post(gateway.graphqlUrl, MY_SPACE, {}, lea);
    for (const preference of after.data!.me.eventMessagePreferences)
      expect(preference).toMatchObject({ subscribed: true, setByLink: false });
    const next = await registerAtLaserre((await event(laserre, 11)).publicId);
    await reminded(laserre, next);
    await waitForMail(LEA_AS_MEMBER, "Rappel : c'est demain", 2);
  });

  it('keeps the pass messages the person chose at the network', async () => {
    const answer = await post(
      gateway.graphqlUrl,
      SET_PASS,
      { input: { personId: leaId, kind: 'RUNNING_LOW', subscribed: false } },
      lea,
    );
    expect(answer.data!.setPassMessagePreference).toEqual({
      preference: { kind: 'RUNNING_LOW', subscribed: false },
      error: null,
    });
    const me = await post(gateway.graphqlUrl, MY_SPACE, {}, lea);
    expect(me.data!.me.passMessagePreferences).toEqual([
      { kind: 'RUNNING_LOW', subscribed: false },
      { kind: 'EXPIRING', subscribed: true },
    ]);
  });

  it('lets only the person themselves read or set their preferences', async () => {
    const other = await tokens.person('quelqu.un@example.org');
    const forbidden = await setReminder(false, other);
    expect(forbidden.data).toBeNull();
    expect(new Set(forbidden.errors!.map((e) => e.extensions?.code))).toEqual(
      new Set(['FORBIDDEN']),
    );
    const anonymous = await post(gateway.graphqlUrl, SET_REMINDER, {
      input: { personId: leaId, kind: 'REMINDER', subscribed: false },
    });
    expect(new Set(anonymous.errors!.map((e) => e.extensions?.code))).toEqual(
      new Set(['UNAUTHENTICATED']),
    );
    const coordinator = await tokens.coordinator();
    for (const token of [other, coordinator]) {
      const pass = await post(
        gateway.graphqlUrl,
        SET_PASS,
        { input: { personId: leaId, kind: 'EXPIRING', subscribed: false } },
        token,
      );
      expect(pass.errors![0]!.extensions?.code).toBe('FORBIDDEN');
    }
    const seenByCoordinator = await post(
      gateway.graphqlUrl,
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            id
            eventMessagePreferences {
              subscribed
            }
            passMessagePreferences {
              subscribed
            }
          }
        }
      `,
      { id: leaId },
      coordinator,
    );
    expect(seenByCoordinator.data!.person).toEqual({
      id: leaId,
      eventMessagePreferences: null,
      passMessagePreferences: null,
    });
    // Nothing changed.
    const me = await post(gateway.graphqlUrl, MY_SPACE, {}, lea);
    for (const preference of me.data!.me.eventMessagePreferences)
      expect(preference.subscribed).toBe(true);
    expect(me.data!.me.passMessagePreferences[1]).toEqual({ kind: 'EXPIRING', subscribed: true });
  });

  it('turns off a pass alert at the one-click link of the network’s mail, through the link page', async () => {
    const coordinator = await tokens.coordinator();
    const product = await post(
      gateway.graphqlUrl,
      /* GraphQL */ `
        mutation ($input: CreatePassProductInput!) {
          createPassProduct(input: $input) {
            passProduct {
              id
            }
            error {
              code
            }
          }
        }
      `,
      {
        input: {
          name: 'Carte courte',
          sellerSlug: 'laserre',
          validAtSpaceIds: [spaces.laserre!.publicId],
          entries: 5,
          entryMinutes: 60,
          priceCents: 1000,
          validityDays: 10,
        },
      },
      coordinator,
    );
    expect(product.data!.createPassProduct.error).toBeNull();
    const issued = await post(
      gateway.graphqlUrl,
      /* GraphQL */ `
        mutation ($input: IssuePassInput!) {
          issuePass(input: $input) {
            pass {
              code
            }
            error {
              code
            }
          }
        }
      `,
      {
        input: { productId: product.data!.createPassProduct.passProduct.id, holderPersonId: leaId },
      },
      coordinator,
    );
    expect(issued.data!.issuePass.error).toBeNull();
    // Valid ten days: the network's chores tell Léa it expires soon.
    const [expiring] = await waitForMail(LEA, 'Votre pass expire bientôt');
    expect(expiring!.text).toContain(`Code : ${issued.data!.issuePass.pass.code}`);
    expect(expiring!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const url = new URL(expiring!.headers['list-unsubscribe']!.match(/^<([^>]+)>$/)![1]!);
    expect(url.pathname).toMatch(/^\/desabonnement\/network\/[^/]+$/);
    expect(expiring!.text).toContain(`Ne plus recevoir ce type de message : ${url.href}`);
    const passPreferences = async () =>
      (await post(gateway.graphqlUrl, MY_SPACE, {}, lea)).data!.me.passMessagePreferences;
    const before = await passPreferences();
    expect(before).toContainEqual({ kind: 'EXPIRING', subscribed: true });
    const dump = await network.dump();

    // A GET (a mail scanner following the link) shows the page and changes nothing.
    const page = await fetch(`${site}${url.pathname}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit">Me désabonner</button>');
    expect(await passPreferences()).toEqual(before);

    // An altered token, or a partner's link token on the network's path: refused, nothing changed.
    const [reminder] = mailsTo(LEA_AS_MEMBER, "Rappel : c'est demain");
    const partnerToken = reminder!.text.match(/\/desabonnement\/laserre\/([^\s]+)/)![1]!;
    for (const forged of [`${url.pathname}x`, `/desabonnement/network/${partnerToken}`]) {
      const refused = await fetch(`${site}${forged}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('Lien non valide');
    }
    const refusedAnswer = await post(
      gateway.graphqlUrl,
      /* GraphQL */ `
        mutation ($input: UnsubscribeFromPassMessageInput!) {
          unsubscribeFromPassMessage(input: $input) {
            kind
            error {
              code
            }
          }
        }
      `,
      { input: { token: partnerToken } },
    );
    expect(refusedAnswer.data!.unsubscribeFromPassMessage).toEqual({
      kind: null,
      error: { code: 'INVALID_TOKEN' },
    });
    expect(await passPreferences()).toEqual(before);
    expect(await network.dump()).toEqual(dump);

    // The mail client's one-click POST (RFC 8058) turns that kind off, and only it; twice is once.
    for (let i = 0; i < 2; i++) {
      const done = await fetch(url.href.replace(url.origin, site), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Désabonnement enregistré');
      // What Mon espace reads.
      expect(await passPreferences()).toEqual(
        before.map((p: { kind: string }) =>
          p.kind === 'EXPIRING' ? { kind: 'EXPIRING', subscribed: false } : p,
        ),
      );
    }
  });
});
