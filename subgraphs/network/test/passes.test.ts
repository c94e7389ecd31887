import { randomUUID } from 'node:crypto';
import { testEngines } from '@tiers-lieux/schema/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCharacter, CODE_ALPHABET } from '../src/code.js';
import { createHarness, errorCode, viewers, type Harness } from './harness.js';
import {
  HOURS,
  ledgerMismatches,
  MEMBERS,
  NOW,
  operations,
  registerSeedPartners,
  SPACES,
} from './fixtures.js';

const PASS = /* GraphQL */ `
  query ($code: String!) {
    pass(code: $code) {
      id
      code
      entriesTotal
      entriesLeft
      entryMinutes
      price {
        amountCents
        currency
      }
      issuedAt
      expiresAt
      status
      product {
        name
      }
      validAt {
        id
      }
      holder {
        id
      }
      redemptions {
        entries
        space {
          id
        }
        voided
        voidReason
      }
    }
  }
`;

const VOID = /* GraphQL */ `
  mutation ($input: VoidRedemptionInput!) {
    voidRedemption(input: $input) {
      redemption {
        id
        entries
        voided
        voidedAt
        voidReason
        pass {
          entriesLeft
        }
      }
      error {
        code
        message
        field
      }
    }
  }
`;

/** A code no pass has: well formed, with the right check character. */
function unissuedCode(): string {
  const data = '0000000000' + CODE_ALPHABET[Math.floor(Math.random() * 32)];
  return data + checkCharacter(data);
}

/** The code with one character replaced by another: the check character catches it. */
function mistyped(code: string): string {
  const chars = code.replace(/-/g, '').split('');
  chars[3] = chars[3] === 'A' ? 'B' : 'A';
  return chars.join('');
}

describe.each(testEngines())('passes on %s', (engine) => {
  let h: Harness;
  let op: ReturnType<typeof operations>;
  let card: string;
  beforeAll(async () => {
    h = await createHarness({ engine, poolSize: 20 });
    op = operations(h);
    await registerSeedPartners(h);
    card = await op.product();
  });
  afterAll(() => h.close());

  it('issues a pass with a checked code, the product terms and an expiry at 00:00 Paris', async () => {
    const issuedAt = new Date('2026-11-25T16:30:00+01:00');
    const pass = await op.issue(card, MEMBERS.camilleRoux, issuedAt);
    expect(pass.code).toMatch(
      /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/,
    );
    const anonymous = await h.execute(PASS, { code: pass.code.toLowerCase().replace(/-/g, ' ') });
    expect(anonymous).toEqual({
      data: {
        pass: {
          id: pass.id,
          code: pass.code,
          entriesTotal: 10,
          entriesLeft: 10,
          entryMinutes: 180,
          price: { amountCents: 5000, currency: 'EUR' },
          issuedAt: '2026-11-25T16:30:00+01:00',
          expiresAt: '2027-11-25T00:00:00+01:00',
          status: 'ACTIVE',
          product: { name: 'Carte 10 entrées' },
          validAt: [{ id: SPACES.serresLaSerre }],
          holder: null,
          redemptions: [],
        },
      },
    });
    const holder = await h.execute(
      PASS,
      { code: pass.code },
      { viewer: viewers.member(MEMBERS.camilleRoux) },
    );
    expect(holder.data!.pass.holder).toEqual({ id: MEMBERS.camilleRoux });
  });

  it('spends one entry per started entry duration', async () => {
    const { code } = await op.issue(card);
    const spent = [];
    for (const minutes of [1, 180, 181, 360, 361]) {
      const result = await op.redeem({ code, minutes });
      spent.push(result.data!.redeemPass.redemption.entries);
    }
    expect(spent).toEqual([1, 1, 2, 2, 3]);
    expect(await op.entriesLeft(code)).toBe(1);
  });

  it('answers a redemption with its entries, value and the balance left', async () => {
    const { code } = await op.issue(card);
    const result = await op.redeem({ code, minutes: 200, startedAt: '2026-11-26T09:00:00+01:00' });
    expect(result).toEqual({
      data: {
        redeemPass: {
          redemption: {
            id: expect.stringMatching(/^redemption:[0-9a-f-]{36}$/),
            entries: 2,
            minutes: 200,
            startedAt: '2026-11-26T09:00:00+01:00',
            recordedAt: '2026-11-26T15:00:00+01:00',
            amount: { amountCents: 1000 },
            space: { id: SPACES.serresLaSerre },
            pass: { entriesLeft: 8 },
            voided: false,
          },
          error: null,
        },
      },
    });
  });

  it('refuses what it must with a typed error, and a refusal changes nothing', async () => {
    const { code } = await op.issue(card);
    const toulouse = await op.product({
      sellerSlug: 'laserre',
      validAtSpaceIds: [SPACES.toulouseLaSerre],
    });
    const used = await op.issue(card);
    for (const minutes of [8 * 180, 180]) {
      expect((await op.redeem({ code: used.code, minutes })).data!.redeemPass.error).toBeNull();
    }
    const key = randomUUID();
    expect((await op.redeem({ code, idempotencyKey: key })).data!.redeemPass.error).toBeNull();
    const startedAfterExpiry = '2027-11-26T10:00:00+01:00';
    const cases: [
      string,
      Parameters<typeof op.redeem>[0],
      Parameters<typeof op.redeem>[1],
      unknown,
    ][] = [
      [
        'unknown code',
        { code: unissuedCode() },
        {},
        { code: 'UNKNOWN_CODE', message: 'No pass has this code', field: 'input.code' },
      ],
      [
        'typo',
        { code: mistyped(code) },
        {},
        {
          code: 'INVALID_INPUT',
          message: 'input.code: this pass code has a typo: its check character does not match',
          field: 'input.code',
        },
      ],
      [
        'malformed code',
        { code: 'LA SERRE' },
        {},
        {
          code: 'INVALID_INPUT',
          message: 'input.code: a pass code is 12 letters and digits, such as K7QF-9M2X-T4CW',
          field: 'input.code',
        },
      ],
      [
        'not valid here',
        { code, spaceId: SPACES.buisLesTuves },
        {},
        {
          code: 'NOT_VALID_AT_SPACE',
          message: 'This pass is not valid at this space',
          field: 'input.spaceId',
        },
      ],
      [
        'other product',
        { code: (await op.issue(toulouse)).code },
        {},
        {
          code: 'NOT_VALID_AT_SPACE',
          message: 'This pass is not valid at this space',
          field: 'input.spaceId',
        },
      ],
      [
        'expired',
        { code, startedAt: startedAfterExpiry },
        { now: new Date(startedAfterExpiry) },
        {
          code: 'EXPIRED',
          message: 'The pass expired before the visit started',
          field: 'input.startedAt',
        },
      ],
      [
        'not enough',
        { code: used.code, minutes: 181 },
        {},
        {
          code: 'NOT_ENOUGH_ENTRIES',
          message: 'The visit needs 2 entries and the pass has 1 left',
          field: 'input.minutes',
        },
      ],
      [
        'before issue',
        { code, startedAt: '2026-11-20T10:00:00+01:00' },
        {},
        {
          code: 'INVALID_INPUT',
          message: 'The visit started before the pass was issued',
          field: 'input.startedAt',
        },
      ],
      [
        'in the future',
        { code, startedAt: '2026-11-26T16:00:00+01:00' },
        {},
        {
          code: 'INVALID_INPUT',
          message: 'input.startedAt must not be in the future',
          field: 'input.startedAt',
        },
      ],
      [
        'zero minutes',
        { code, minutes: 0 },
        {},
        {
          code: 'INVALID_INPUT',
          message: 'input.minutes must be an integer from 1 to 1440',
          field: 'input.minutes',
        },
      ],
      [
        'short key',
        { code, idempotencyKey: 'abc' },
        {},
        {
          code: 'INVALID_INPUT',
          message: 'input.idempotencyKey must be 8 to 128 letters, digits, ".", "_", ":" or "-"',
          field: 'input.idempotencyKey',
        },
      ],
      [
        'bad space id',
        { code, spaceId: 'La Serre' },
        {},
        {
          code: 'INVALID_INPUT',
          message: 'input.spaceId is not a space id of the form <partner>:space:<uuid>',
          field: 'input.spaceId',
        },
      ],
      [
        'key reused',
        { code, idempotencyKey: key, minutes: 30 },
        {},
        {
          code: 'IDEMPOTENCY_KEY_REUSED',
          message: 'This idempotency key was already used for a different redemption',
          field: 'input.idempotencyKey',
        },
      ],
      [
        'key reused on another pass',
        { code: used.code, idempotencyKey: key },
        {},
        {
          code: 'IDEMPOTENCY_KEY_REUSED',
          message: 'This idempotency key was already used for a different redemption',
          field: 'input.idempotencyKey',
        },
      ],
    ];
    for (const [name, input, opts, error] of cases) {
      const before = await h.snapshot();
      const result = await op.redeem(input, opts);
      expect(result, name).toEqual({ data: { redeemPass: { redemption: null, error } } });
      expect(await h.snapshot(), name).toEqual(before);
    }
  });

  it('refuses redemptions at the spaces of a suspended partner, and takes them again once reactivated', async () => {
    const rural = await op.product({
      validAtSpaceIds: [SPACES.serresLaSerre, SPACES.gapLaLocomotive],
    });
    const { code } = await op.issue(rural);
    const at = { viewer: viewers.coordinator };
    await h.execute('mutation { suspendPartner(slug: "locomotive") { error { code } } }', {}, at);
    const before = await h.snapshot();
    const refused = await op.redeem({ code, spaceId: SPACES.gapLaLocomotive }, at);
    expect(refused.data!.redeemPass.error).toEqual({
      code: 'PARTNER_SUSPENDED',
      message: 'The partner running this space is suspended and takes no passes',
      field: 'input.spaceId',
    });
    expect(await h.snapshot()).toEqual(before);
    expect((await op.redeem({ code }, at)).data!.redeemPass.error).toBeNull();
    await h.execute(
      'mutation { reactivatePartner(slug: "locomotive") { error { code } } }',
      {},
      at,
    );
    expect(
      (await op.redeem({ code, spaceId: SPACES.gapLaLocomotive }, at)).data!.redeemPass.error,
    ).toBeNull();
  });

  it('200 simultaneous one-entry redemptions of a 10-entry pass: exactly 10 succeed, the balance ends at 0', async () => {
    const { code } = await op.issue(card);
    const results = await Promise.all(Array.from({ length: 200 }, () => op.redeem({ code })));
    const codes = results.map(
      (r) =>
        r.data?.redeemPass.error?.code ??
        (r.data?.redeemPass.redemption ? 'OK' : JSON.stringify(r.errors)),
    );
    const tally = Object.fromEntries(
      [...new Set(codes)].map((c) => [c, codes.filter((x) => x === c).length]),
    );
    const left = await op.entriesLeft(code);
    console.log(
      `[${engine}] 200 simultaneous redemptions of a 10-entry pass: ${JSON.stringify(tally)}, entries left ${left}`,
    );
    expect(tally).toEqual({ OK: 10, NOT_ENOUGH_ENTRIES: 190 });
    expect(left).toBe(0);
    const ids = results.flatMap((r) =>
      r.data!.redeemPass.redemption ? [r.data!.redeemPass.redemption.id] : [],
    );
    expect(new Set(ids).size).toBe(10);
    expect(await ledgerMismatches(h)).toEqual([]);
  });

  it('the same redemption sent 50 times at once with one key is applied once, and every answer is that redemption', async () => {
    const { code } = await op.issue(card);
    const idempotencyKey = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => op.redeem({ code, idempotencyKey, minutes: 200 })),
    );
    const first = results[0]!;
    expect(first.data!.redeemPass.error).toBeNull();
    for (const result of results) expect(result).toEqual(first);
    const ledger: unknown = await h.db.execute(
      sql`select count(*)::int as n from ledger_entries where idempotency_key = ${idempotencyKey}`,
    );
    const rows = Array.isArray(ledger) ? ledger : (ledger as { rows: unknown[] }).rows;
    console.log(
      `[${engine}] 50 identical redemptions with one key: ${new Set(results.map((r) => r.data!.redeemPass.redemption.id)).size} redemption, ${JSON.stringify(rows[0])} ledger row, entries left ${await op.entriesLeft(code)}`,
    );
    expect(rows).toEqual([{ n: 1 }]);
    expect(await op.entriesLeft(code)).toBe(8);
    const later = await op.redeem(
      { code, idempotencyKey, minutes: 200 },
      { now: new Date(NOW.getTime() + HOURS) },
    );
    expect(later).toEqual(first);
  });

  it('one key sent at once for two different passes makes one redemption, and refuses the other', async () => {
    const [a, b] = [await op.issue(card), await op.issue(card)];
    const idempotencyKey = randomUUID();
    const results = await Promise.all(
      [a, b, a, b].map(({ code }) => op.redeem({ code, idempotencyKey })),
    );
    const outcomes = results.map((r) => r.data!.redeemPass.error?.code ?? 'OK');
    const winner = outcomes[0] === 'OK' ? a : b;
    expect(outcomes).toEqual(
      winner === a
        ? ['OK', 'IDEMPOTENCY_KEY_REUSED', 'OK', 'IDEMPOTENCY_KEY_REUSED']
        : ['IDEMPOTENCY_KEY_REUSED', 'OK', 'IDEMPOTENCY_KEY_REUSED', 'OK'],
    );
    expect([await op.entriesLeft(a.code), await op.entriesLeft(b.code)]).toEqual(
      winner === a ? [9, 10] : [10, 9],
    );
    const made = results.flatMap((r) =>
      r.data!.redeemPass.redemption ? [r.data!.redeemPass.redemption.id] : [],
    );
    expect(new Set(made).size).toBe(1);
    expect(await ledgerMismatches(h)).toEqual([]);
  });

  it('voids a redemption with a compensating entry, once, leaving the redemption row untouched', async () => {
    const { code } = await op.issue(card, MEMBERS.camilleRoux);
    const redeemed = await op.redeem({ code, minutes: 240 });
    const id: string = redeemed.data!.redeemPass.redemption.id;
    const uuid = id.slice('redemption:'.length);
    const rowOf = async () =>
      (await h.snapshot()).ledger_entries!.find((r) => (r as { id: string }).id === uuid);
    const original = await rowOf();
    const input = { redemptionId: id, reason: 'Badge scanné deux fois' };
    for (const viewer of [
      viewers.anonymous,
      viewers.manager('baronnies'),
      viewers.member(MEMBERS.camilleRoux),
    ]) {
      const denied = await h.execute(VOID, { input }, { viewer });
      expect(errorCode(denied)).toBe(viewer.kind === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    const voided = await h.execute(
      VOID,
      { input },
      { viewer: viewers.coordinator, now: new Date(NOW.getTime() + HOURS) },
    );
    expect(voided).toEqual({
      data: {
        voidRedemption: {
          redemption: {
            id,
            entries: 2,
            voided: true,
            voidedAt: '2026-11-26T16:00:00+01:00',
            voidReason: 'Badge scanné deux fois',
            pass: { entriesLeft: 10 },
          },
          error: null,
        },
      },
    });
    expect(await rowOf()).toEqual(original);
    const again = await h.execute(VOID, { input }, { viewer: viewers.coordinator });
    expect(again.data!.voidRedemption.error).toEqual({
      code: 'VOIDED',
      message: 'This redemption is already voided',
      field: 'input.redemptionId',
    });
    const unknown = await h.execute(
      VOID,
      { input: { ...input, redemptionId: `redemption:${randomUUID()}` } },
      { viewer: viewers.coordinator },
    );
    expect(unknown.data!.voidRedemption.error.code).toBe('UNKNOWN_REDEMPTION');
    const holder = await h.execute(PASS, { code }, { viewer: viewers.member(MEMBERS.camilleRoux) });
    expect(holder.data!.pass.redemptions).toEqual([
      {
        entries: 2,
        space: { id: SPACES.serresLaSerre },
        voided: true,
        voidReason: 'Badge scanné deux fois',
      },
    ]);
  });

  it('keeps the ledger append-only in the database itself', async () => {
    const { code } = await op.issue(card);
    await op.redeem({ code });
    await expect(h.db.execute(sql`update ledger_entries set entries = 0`)).rejects.toThrow();
    await expect(h.db.execute(sql`delete from ledger_entries`)).rejects.toThrow();
    expect(await ledgerMismatches(h)).toEqual([]);
  });

  it('keeps every balance equal to its ledger under simultaneous redemptions and voids', async () => {
    const { code } = await op.issue(card);
    const first = await Promise.all(Array.from({ length: 5 }, () => op.redeem({ code })));
    const coordinator = { viewer: viewers.coordinator };
    const mixed = await Promise.all([
      ...first.map((r) =>
        h.execute(
          VOID,
          { input: { redemptionId: r.data!.redeemPass.redemption.id, reason: 'test' } },
          coordinator,
        ),
      ),
      ...Array.from({ length: 20 }, () => op.redeem({ code })),
    ]);
    const redeemed = mixed.slice(5).filter((r) => r.data!.redeemPass.redemption).length;
    expect(mixed.slice(0, 5).every((r) => r.data!.voidRedemption.error === null)).toBe(true);
    expect(await op.entriesLeft(code)).toBe(10 - redeemed);
    expect(redeemed).toBeGreaterThanOrEqual(5);
    expect(await ledgerMismatches(h)).toEqual([]);
  });

  it('lets only the seller’s managers and coordinators issue, and only the host’s managers and coordinators redeem', async () => {
    const { code } = await op.issue(card);
    const issue = (viewer: typeof viewers.anonymous) =>
      h.execute(
        `mutation ($input: IssuePassInput!) { issuePass(input: $input) { pass { entriesLeft } error { code } } }`,
        { input: { productId: card } },
        { viewer, now: NOW },
      );
    expect(errorCode(await issue(viewers.anonymous))).toBe('UNAUTHENTICATED');
    expect(errorCode(await issue(viewers.member(MEMBERS.camilleRoux)))).toBe('FORBIDDEN');
    expect(errorCode(await issue(viewers.manager('cantine')))).toBe('FORBIDDEN');
    expect(await issue(viewers.manager('baronnies'))).toEqual({
      data: { issuePass: { pass: { entriesLeft: 10 }, error: null } },
    });
    const before = await h.snapshot();
    expect(errorCode(await op.redeem({ code }, { viewer: viewers.anonymous }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      errorCode(await op.redeem({ code }, { viewer: viewers.member(MEMBERS.camilleRoux) })),
    ).toBe('FORBIDDEN');
    expect(errorCode(await op.redeem({ code }, { viewer: viewers.manager('locomotive') }))).toBe(
      'FORBIDDEN',
    );
    expect(await h.snapshot()).toEqual(before);
  });

  it('refuses to issue a pass of an unknown product or for a malformed or unknown holder, changing nothing', async () => {
    const ISSUE =
      'mutation ($input: IssuePassInput!) { issuePass(input: $input) { pass { id } error { code message field } } }';
    const cases: [Record<string, unknown>, unknown][] = [
      [
        { productId: 'nope' },
        {
          code: 'INVALID_INPUT',
          message: 'input.productId is not a pass product id',
          field: 'input.productId',
        },
      ],
      [
        { productId: 'pass-product:00000000-0000-4000-8000-000000000000' },
        {
          code: 'UNKNOWN_PRODUCT',
          message: 'No pass product pass-product:00000000-0000-4000-8000-000000000000',
          field: 'input.productId',
        },
      ],
      [
        { productId: card, holderId: SPACES.serresLaSerre },
        {
          code: 'INVALID_INPUT',
          message: 'input.holderId is not a member id',
          field: 'input.holderId',
        },
      ],
      [
        { productId: card, holderId: 'ruche:member:00000000-0000-4000-8000-000000000000' },
        {
          code: 'UNKNOWN_PARTNER',
          message: 'The network has no partner "ruche"',
          field: 'input.holderId',
        },
      ],
    ];
    for (const [input, error] of cases) {
      const before = await h.snapshot();
      expect(await h.execute(ISSUE, { input }, { viewer: viewers.coordinator })).toEqual({
        data: { issuePass: { pass: null, error } },
      });
      expect(await h.snapshot()).toEqual(before);
    }
  });

  it('rejects a malformed or mistyped code in the pass query, and answers null for an unknown one', async () => {
    const { code } = await op.issue(card);
    expect(errorCode(await h.execute(PASS, { code: mistyped(code) }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.execute(PASS, { code: 'nope' }))).toBe('BAD_USER_INPUT');
    expect(
      await h.execute('query ($code: String!) { pass(code: $code) { id } }', {
        code: unissuedCode(),
      }),
    ).toEqual({ data: { pass: null } });
    const lookalike = code.replace(/1/g, 'l').replace(/0/g, 'O');
    expect((await h.execute(PASS, { code: lookalike })).data!.pass.code).toBe(code);
  });
});
