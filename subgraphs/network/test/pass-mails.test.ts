import { testEngines } from '@tiers-lieux/schema/testkit';
import {
  createOutboxDispatcher,
  smtpTransport,
  startMailCatcher,
  type CaughtMail,
  type MailCatcher,
  type MailTransport,
} from '@tiers-lieux/subgraph-shell';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeExpiringPasses } from '../src/data/pass-mails.js';
import { DEVELOPMENT_NETWORK_MAIL } from '../src/context.js';
import { passUnsubscribeUrl } from '../src/mail/passes.js';
import { seededPersonOfMember } from '../src/seed/network.js';
import { createHarness, errorCode, viewers, type Harness } from './harness.js';
import { HOURS, MEMBERS, NOW, operations, registerSeedPartners } from './fixtures.js';

describe.each(testEngines())('the mails to pass holders on %s', (engine) => {
  let h: Harness;
  let op: ReturnType<typeof operations>;
  let catcher: MailCatcher;
  let transport: MailTransport;
  let holder: string;

  let seen = 0;
  /** Sends what the outbox holds over SMTP, then the mails received since the last call. */
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

  beforeAll(async () => {
    h = await createHarness({ engine });
    await registerSeedPartners(h);
    op = operations(h);
    catcher = await startMailCatcher();
    transport = smtpTransport(catcher.url);
    holder = Object.values(MEMBERS)[0]!;
  });
  afterAll(async () => {
    transport.close();
    await catcher.close();
    await h.close();
  });

  async function holderEmail(passCode: string): Promise<string> {
    const answer = await h.db.execute(
      sql`select persons.email from passes join persons on persons.id = passes.holder_person_id where passes.code = ${passCode.replace(/-/g, '')}`,
    );
    const rows = Array.isArray(answer) ? answer : (answer as { rows: unknown[] }).rows;
    return (rows[0] as { email: string }).email;
  }

  it('mails the holder the pass issued: code, entries, where and until when it is valid', async () => {
    const product = await op.product({ name: 'Carte Serres', entries: 10, validityDays: 30 });
    const pass = await op.issue(product, holder);
    const email = await holderEmail(pass.code);
    const [issued, ...more] = await mails();
    expect(more).toEqual([]);
    expect(issued).toMatchObject({ to: [email], subject: 'Votre pass est prêt — Carte Serres' });
    expect(issued!.text).toContain(`Code : ${pass.code}`);
    expect(issued!.text).toContain('Entrées restantes : 10 sur 10');
    // Issued on 25 November for 30 days: it expires at 00:00 on 25 December, Paris time.
    expect(issued!.text).toContain("Valable jusqu'au 24 décembre 2026 inclus");
    expect(issued!.text).toContain('Où : Parc naturel régional des Baronnies provençales');
    expect(issued!.html).toContain('Réseau des tiers-lieux');
  });

  it('mails nothing for a pass without a holder, nor for a refused redemption', async () => {
    const product = await op.product({ entries: 3 });
    const pass = await op.issue(product, null);
    await op.redeem({ code: pass.code, minutes: 60 * 12 });
    expect(await mails()).toEqual([]);
  });

  it('mails the holder once as the entries left fall to two or fewer', async () => {
    const product = await op.product({ name: 'Carte 5', entries: 5 });
    const pass = await op.issue(product, holder);
    await mails();
    const left = [];
    for (let i = 0; i < 4; i++) {
      const answer = await op.redeem({ code: pass.code, minutes: 60 });
      left.push(answer.data!.redeemPass.redemption.pass.entriesLeft);
    }
    expect(left).toEqual([4, 3, 2, 1]);
    const [low, ...more] = await mails();
    expect(more).toEqual([]);
    expect(low!.subject).toBe('Votre pass est presque épuisé — Carte 5');
    expect(low!.text).toContain('Il ne reste que 2 entrées sur votre pass.');
  });

  it('mails the holder once when the pass expires within two weeks with entries left', async () => {
    const product = await op.product({ name: 'Carte courte', entries: 10, validityDays: 20 });
    const pass = await op.issue(product, holder, NOW);
    await mails();
    const tenDaysOn = new Date(NOW.getTime() + 10 * 24 * HOURS);
    const told = await noticeExpiringPasses(h.db, {
      now: tenDaysOn,
      mail: DEVELOPMENT_NETWORK_MAIL,
    });
    expect(told).toBeGreaterThanOrEqual(1);
    expect(
      await noticeExpiringPasses(h.db, { now: tenDaysOn, mail: DEVELOPMENT_NETWORK_MAIL }),
    ).toBe(0);
    const expiring = (await mails()).filter((m) => m.text.includes(`Code : ${pass.code}`));
    expect(expiring).toHaveLength(1);
    expect(expiring[0]!.subject).toBe('Votre pass expire bientôt — Carte courte');
    expect(expiring[0]!.text).toContain('les 10 entrées qui restent seront alors perdues');
  });

  it('gives each alert a one-click unsubscribe that turns that kind off for the holder, and no other mail', async () => {
    const personUuid = seededPersonOfMember(holder)!;
    const product = await op.product({ name: 'Carte à liens', entries: 3, validityDays: 20 });
    const pass = await op.issue(product, holder);
    const redeemed = await op.redeem({
      code: pass.code,
      minutes: 60,
      startedAt: new Date(NOW.getTime() - 4 * HOURS).toISOString(),
    });
    expect(redeemed.data!.redeemPass.error).toBeNull();
    await noticeExpiringPasses(h.db, {
      now: new Date(NOW.getTime() + 10 * 24 * HOURS),
      mail: DEVELOPMENT_NETWORK_MAIL,
    });
    const told = (await mails()).filter((m) => m.text.includes(`Code : ${pass.code}`));
    expect(told.map((m) => m.subject)).toEqual([
      'Votre pass est prêt — Carte à liens',
      'Votre pass est presque épuisé — Carte à liens',
      'Votre pass expire bientôt — Carte à liens',
    ]);
    const [issued, low, expiring] = told;
    // The pass issued is owed whatever they chose: no unsubscribe.
    expect(issued!.headers['list-unsubscribe']).toBeUndefined();
    expect(issued!.text).not.toContain('/desabonnement/');
    const tokens: Record<string, string> = {};
    for (const [mail, kind] of [
      [low!, 'RUNNING_LOW'],
      [expiring!, 'EXPIRING'],
    ] as const) {
      const url = mail.headers['list-unsubscribe']!.match(/^<(https?:\/\/[^>]+)>$/)![1]!;
      expect(url).toBe(passUnsubscribeUrl(DEVELOPMENT_NETWORK_MAIL, personUuid, kind));
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4000\/desabonnement\/network\/[^/]+$/);
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(mail.text).toContain(`Ne plus recevoir ce type de message : ${url}`);
      expect(mail.html).toContain(`<a href="${url}">Ne plus recevoir ce type de message</a>`);
      tokens[kind] = url.split('/').pop()!;
    }
    expect(tokens.RUNNING_LOW).not.toBe(tokens.EXPIRING);

    const unsubscribe = (token: string) =>
      h.execute(
        `mutation ($input: UnsubscribeFromPassMessageInput!) {
          unsubscribeFromPassMessage(input: $input) { kind error { code field } }
        }`,
        { input: { token } },
      );
    const preferences = async () =>
      (
        await h.execute(`{ me { passMessagePreferences { kind subscribed } } }`, undefined, {
          viewer: viewers.member(holder),
        })
      ).data!.me.passMessagePreferences;
    await h.execute(
      `mutation ($input: SetPassMessagePreferenceInput!) {
        setPassMessagePreference(input: $input) { error { code } }
      }`,
      { input: { personId: `network:person:${personUuid}`, kind: 'EXPIRING', subscribed: true } },
      { viewer: viewers.member(holder) },
    );
    const before = await h.snapshot();

    // Forged, altered, signed under another secret, or naming nobody: refused, nothing changed.
    const [payload, signature] = tokens.EXPIRING!.split('.');
    const stranger = passUnsubscribeUrl(
      DEVELOPMENT_NETWORK_MAIL,
      '00000000-0000-4000-8000-00000000dead',
      'EXPIRING',
    )
      .split('/')
      .pop()!;
    const otherSecret = passUnsubscribeUrl(
      { ...DEVELOPMENT_NETWORK_MAIL, linkSecret: 'another-service-secret-of-32-characters' },
      personUuid,
      'EXPIRING',
    )
      .split('/')
      .pop()!;
    for (const token of [
      `${payload}.${signature}x`,
      // The expiring link's signature on another kind.
      `${Buffer.from(JSON.stringify(['unsubscribe-pass-message', `${personUuid} RUNNING_LOW`])).toString('base64url')}.${signature}`,
      otherSecret,
      stranger,
      'garbage',
    ]) {
      expect((await unsubscribe(token)).data!.unsubscribeFromPassMessage).toEqual({
        kind: null,
        error: { code: 'INVALID_TOKEN', field: 'input.token' },
      });
    }
    expect(await h.snapshot()).toEqual(before);
    expect(await preferences()).toEqual([
      { kind: 'RUNNING_LOW', subscribed: true },
      { kind: 'EXPIRING', subscribed: true },
    ]);

    // The holder's link turns that kind off, and only it; following it again changes nothing.
    for (let i = 0; i < 2; i++) {
      const answer = await unsubscribe(tokens.EXPIRING!);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.unsubscribeFromPassMessage).toEqual({ kind: 'EXPIRING', error: null });
      expect(await preferences()).toEqual([
        { kind: 'RUNNING_LOW', subscribed: true },
        { kind: 'EXPIRING', subscribed: false },
      ]);
    }
  });

  it('sends no alert the holder turned off, and sends it again once turned back on', async () => {
    const personUuid = seededPersonOfMember(holder)!;
    const choose = (kind: string, subscribed: boolean, viewer = viewers.member(holder)) =>
      h.execute(
        `mutation ($input: SetPassMessagePreferenceInput!) {
          setPassMessagePreference(input: $input) { preference { kind subscribed } error { code } }
        }`,
        { input: { personId: `network:person:${personUuid}`, kind, subscribed } },
        { viewer },
      );
    // Nobody else chooses for them, not even a coordinator.
    expect(errorCode(await choose('RUNNING_LOW', false, viewers.coordinator))).toBe('FORBIDDEN');
    expect((await choose('RUNNING_LOW', false)).data!.setPassMessagePreference).toEqual({
      preference: { kind: 'RUNNING_LOW', subscribed: false },
      error: null,
    });
    expect((await choose('EXPIRING', false)).errors).toBeUndefined();

    const product = await op.product({ name: 'Carte silencieuse', entries: 3, validityDays: 20 });
    const quiet = await op.issue(product, holder);
    expect((await op.redeem({ code: quiet.code, minutes: 60 })).data!.redeemPass.error).toBeNull();
    await noticeExpiringPasses(h.db, {
      now: new Date(NOW.getTime() + 10 * 24 * HOURS),
      mail: DEVELOPMENT_NETWORK_MAIL,
    });
    const told = (await mails()).filter((m) => m.text.includes(`Code : ${quiet.code}`));
    // The pass issued is owed whatever they chose; the alerts were not.
    expect(told.map((m) => m.subject)).toEqual(['Votre pass est prêt — Carte silencieuse']);

    expect((await choose('RUNNING_LOW', true)).errors).toBeUndefined();
    const loud = await op.issue(product, holder);
    // Another visit than the silent pass's, earlier that day.
    const redeemed = await op.redeem({
      code: loud.code,
      minutes: 60,
      startedAt: new Date(NOW.getTime() - 6 * HOURS).toISOString(),
    });
    expect(redeemed.data!.redeemPass.error).toBeNull();
    const again = (await mails()).filter((m) => m.text.includes(`Code : ${loud.code}`));
    expect(again.map((m) => m.subject)).toEqual([
      'Votre pass est prêt — Carte silencieuse',
      'Votre pass est presque épuisé — Carte silencieuse',
    ]);
  });

  it('shows the dead letters to coordinators only', async () => {
    const product = await op.product({ name: 'Carte perdue' });
    await catcher.pause();
    await op.issue(product, holder);
    const giveUp = createOutboxDispatcher({
      db: h.db,
      transport,
      from: 'reseau@tiers-lieux.test',
      giveUpAfterMs: 0,
    });
    expect(await giveUp.runOnce()).toEqual({ sent: 0, failed: 1 });
    await catcher.resume();
    const query = `{ networkOutboxDeadLetters { id kind subject status attempts } }`;
    expect((await h.execute(query)).data!.networkOutboxDeadLetters).toEqual([]);
    expect(
      (await h.execute(query, undefined, { viewer: viewers.manager('baronnies') })).data!
        .networkOutboxDeadLetters,
    ).toEqual([]);
    const [dead] = (await h.execute(query, undefined, { viewer: viewers.coordinator })).data!
      .networkOutboxDeadLetters;
    expect(dead).toMatchObject({
      kind: 'pass-issued',
      subject: 'Votre pass est prêt — Carte perdue',
      status: 'DEAD',
      attempts: 1,
    });
    expect(dead.id).toMatch(/^network:outbox-message:/);
  });
});
