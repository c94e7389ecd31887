import { testEngines } from '@tiers-lieux/schema/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedNetwork } from '../src/seed/index.js';
import { createHarness, errorCode, viewers, type GraphQLResult, type Harness } from './harness.js';
import {
  HOURS,
  ledgerMismatches,
  MEMBERS,
  operations,
  registerSeedPartners,
  SPACES,
} from './fixtures.js';

const SETTLEMENT = /* GraphQL */ `
  query ($from: Date!, $to: Date!) {
    settlement(from: $from, to: $to) {
      from
      to
      totalEntries
      total {
        amountCents
        currency
      }
      csv
      lines {
        seller {
          slug
        }
        host {
          slug
        }
        redemptions
        voids
        entries
        amount {
          amountCents
        }
      }
    }
  }
`;

interface Line {
  seller: string | null;
  host: string;
  redemptions: number;
  voids: number;
  entries: number;
  amountCents: number;
}

function linesOf(result: GraphQLResult): Line[] {
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.settlement.lines.map(
    (l: {
      seller: { slug: string } | null;
      host: { slug: string };
      redemptions: number;
      voids: number;
      entries: number;
      amount: { amountCents: number };
    }) => ({
      seller: l.seller?.slug ?? null,
      host: l.host.slug,
      redemptions: l.redemptions,
      voids: l.voids,
      entries: l.entries,
      amountCents: l.amount.amountCents,
    }),
  );
}

const DAY = 24 * HOURS;
const HOSTS = [
  { spaceId: SPACES.serresLaSerre, slug: 'baronnies' },
  { spaceId: SPACES.toulouseLaCantine, slug: 'cantine' },
  { spaceId: SPACES.gapLaLocomotive, slug: 'locomotive' },
  { spaceId: SPACES.toulouseLaSerre, slug: 'laserre' },
];
const SELLERS = ['baronnies', 'cantine', null] as const;

const ledgerArbitrary = fc.record({
  products: fc.array(
    fc.record({
      seller: fc.constantFrom(...SELLERS),
      entries: fc.integer({ min: 1, max: 12 }),
      priceCents: fc.oneof(
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom(5000, 1000, 1, 7, 99_999),
      ),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  passes: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  operations: fc.array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('redeem' as const),
          pass: fc.nat(),
          host: fc.nat(3),
          hours: fc.integer({ min: 1, max: 5 }),
          day: fc.nat(27),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('void' as const),
          redemption: fc.nat(),
          day: fc.nat(27),
        }),
      },
    ),
    { minLength: 1, maxLength: 25 },
  ),
  split: fc.integer({ min: 1, max: 27 }),
});

/** The model of a pass the property test keeps beside the subgraph. */
interface ModelPass {
  code: string;
  product: { id: string; seller: string | null; entries: number; priceCents: number };
  spent: number;
}

function isoDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

describe.each(testEngines())('settlement on %s', (engine) => {
  let h: Harness;
  let op: ReturnType<typeof operations>;
  beforeAll(async () => {
    h = await createHarness({ engine });
    op = operations(h);
    await registerSeedPartners(h);
  });
  afterAll(() => h.close());

  it('values entries by the pass’s position: a used-up pass settles exactly its price, a void gives back the value of the last entries', async () => {
    const product = await op.product({
      sellerSlug: 'cantine',
      entries: 3,
      priceCents: 1000,
      entryMinutes: 60,
      validAtSpaceIds: [SPACES.toulouseLaSerre, SPACES.toulouseLaCantine],
    });
    const at = { viewer: viewers.coordinator, now: new Date('2026-10-05T12:00:00Z') };
    const { code } = await op.issue(product, null, new Date('2026-10-01T12:00:00Z'));
    const redeemed = [];
    for (const spaceId of [
      SPACES.toulouseLaSerre,
      SPACES.toulouseLaCantine,
      SPACES.toulouseLaSerre,
    ]) {
      const result = await op.redeem({ code, spaceId, startedAt: '2026-10-05T09:00:00+02:00' }, at);
      redeemed.push(result.data!.redeemPass.redemption);
    }
    expect(redeemed.map((r) => r.amount.amountCents)).toEqual([333, 333, 334]);
    const october = { from: '2026-10-01', to: '2026-10-31' };
    const full = await h.execute(SETTLEMENT, october, { viewer: viewers.coordinator });
    expect(linesOf(full)).toEqual([
      {
        seller: 'cantine',
        host: 'cantine',
        redemptions: 1,
        voids: 0,
        entries: 1,
        amountCents: 333,
      },
      {
        seller: 'cantine',
        host: 'laserre',
        redemptions: 2,
        voids: 0,
        entries: 2,
        amountCents: 667,
      },
    ]);
    expect(full.data!.settlement.total).toEqual({ amountCents: 1000, currency: 'EUR' });
    expect(full.data!.settlement.totalEntries).toBe(3);
    // Voiding the entry spent at La Cantine takes the pass from 3 to 2 entries: 666 − 1000 cents.
    await h.execute(
      'mutation ($input: VoidRedemptionInput!) { voidRedemption(input: $input) { error { code } } }',
      { input: { redemptionId: redeemed[1].id, reason: 'Erreur de saisie' } },
      at,
    );
    const voided = await h.execute(SETTLEMENT, october, { viewer: viewers.coordinator });
    expect(linesOf(voided)).toEqual([
      { seller: 'cantine', host: 'cantine', redemptions: 1, voids: 1, entries: 0, amountCents: -1 },
      {
        seller: 'cantine',
        host: 'laserre',
        redemptions: 2,
        voids: 0,
        entries: 2,
        amountCents: 667,
      },
    ]);
    expect(voided.data!.settlement.total.amountCents).toBe(Math.floor((1000 * 2) / 3));
  });

  it('counts an entry in the Paris day it is recorded, across the end of a month and of summer time', async () => {
    const product = await op.product({
      sellerSlug: 'baronnies',
      entries: 10,
      priceCents: 5000,
      entryMinutes: 180,
    });
    const { code } = await op.issue(product, null, new Date('2027-10-20T10:00:00+02:00'));
    // 23:30 on Sunday 31 October 2027 (winter time since 03:00 that day) and 00:30 on 1 November.
    for (const now of ['2027-10-31T23:30:00+01:00', '2027-11-01T00:30:00+01:00']) {
      const result = await op.redeem(
        { code, startedAt: '2027-10-31T14:00:00+01:00' },
        { now: new Date(now) },
      );
      expect(result.data!.redeemPass.error).toBeNull();
    }
    const october = await h.execute(
      SETTLEMENT,
      { from: '2027-10-01', to: '2027-10-31' },
      { viewer: viewers.coordinator },
    );
    const november = await h.execute(
      SETTLEMENT,
      { from: '2027-11-01', to: '2027-11-30' },
      { viewer: viewers.coordinator },
    );
    const one = [
      {
        seller: 'baronnies',
        host: 'baronnies',
        redemptions: 1,
        voids: 0,
        entries: 1,
        amountCents: 500,
      },
    ];
    expect(linesOf(october)).toEqual(one);
    expect(linesOf(november)).toEqual(one);
  });

  it('totals the value of the entries spent, to the cent, over a randomised ledger (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(ledgerArbitrary, async (ledger) => {
        // Each run has its own 28 days, far from the others: its statement covers its ledger only.
        const start = new Date(Date.UTC(2040, 0, 1) + run++ * 40 * DAY);
        const startDay = isoDate(start);
        const products = [];
        for (const p of ledger.products) {
          const id = await op.product({
            sellerSlug: p.seller,
            entries: p.entries,
            priceCents: p.priceCents,
            entryMinutes: 60,
            validityDays: 3660,
            validAtSpaceIds: HOSTS.map((host) => host.spaceId),
          });
          products.push({ id, ...p });
        }
        const passes: ModelPass[] = [];
        for (const choice of ledger.passes) {
          const product = products[choice % products.length]!;
          const { code } = await op.issue(product.id, null, new Date(start.getTime() - DAY));
          passes.push({ code, product, spent: 0 });
        }
        const expected = new Map<string, Line>();
        const book = (
          seller: string | null,
          host: string,
          entries: number,
          amountCents: number,
          kind: 'redemptions' | 'voids',
          day: number,
        ) => {
          if (day >= 28) return;
          const key = `${seller}/${host}/${day < ledger.split ? 'a' : 'b'}`;
          const line = expected.get(key) ?? {
            seller,
            host,
            redemptions: 0,
            voids: 0,
            entries: 0,
            amountCents: 0,
          };
          line[kind] += 1;
          line.entries += entries;
          line.amountCents += amountCents;
          expected.set(key, line);
        };
        const consumed = (p: ModelPass, k: number) =>
          Math.floor((p.product.priceCents * k) / p.product.entries);
        const redemptions: {
          id: string;
          pass: ModelPass;
          host: (typeof HOSTS)[number];
          entries: number;
          voided: boolean;
        }[] = [];
        for (const [i, o] of ledger.operations.entries()) {
          const now = new Date(start.getTime() + o.day * DAY + 10 * HOURS + i * 60_000);
          if (o.kind === 'redeem') {
            const pass = passes[o.pass % passes.length]!;
            const host = HOSTS[o.host]!;
            const result = await op.redeem(
              {
                code: pass.code,
                spaceId: host.spaceId,
                minutes: o.hours * 60,
                startedAt: new Date(now.getTime() - HOURS).toISOString(),
              },
              { viewer: viewers.coordinator, now },
            );
            const { redemption, error } = result.data!.redeemPass;
            if (pass.spent + o.hours > pass.product.entries) {
              expect(error?.code).toBe('NOT_ENOUGH_ENTRIES');
              continue;
            }
            const amount = consumed(pass, pass.spent + o.hours) - consumed(pass, pass.spent);
            expect(redemption).toMatchObject({ entries: o.hours, amount: { amountCents: amount } });
            pass.spent += o.hours;
            redemptions.push({ id: redemption.id, pass, host, entries: o.hours, voided: false });
            book(pass.product.seller, host.slug, o.hours, amount, 'redemptions', o.day);
          } else {
            const target = redemptions[o.redemption % Math.max(1, redemptions.length)];
            if (!target) continue;
            const result = await h.execute(
              'mutation ($input: VoidRedemptionInput!) { voidRedemption(input: $input) { error { code } } }',
              { input: { redemptionId: target.id, reason: 'property test' } },
              { viewer: viewers.coordinator, now },
            );
            expect(result.data!.voidRedemption.error).toEqual(
              target.voided ? { code: 'VOIDED' } : null,
            );
            if (target.voided) continue;
            target.voided = true;
            const { pass } = target;
            const amount = consumed(pass, pass.spent - target.entries) - consumed(pass, pass.spent);
            pass.spent -= target.entries;
            book(pass.product.seller, target.host.slug, -target.entries, amount, 'voids', o.day);
          }
        }
        const statement = (from: number, to: number) =>
          h.execute(
            SETTLEMENT,
            {
              from: isoDate(new Date(start.getTime() + from * DAY)),
              to: isoDate(new Date(start.getTime() + to * DAY)),
            },
            { viewer: viewers.coordinator },
          );
        const whole = await statement(0, 27);
        const value = passes.reduce((sum, p) => sum + consumed(p, p.spent), 0);
        const entries = passes.reduce((sum, p) => sum + p.spent, 0);
        expect(whole.data!.settlement.total.amountCents).toBe(value);
        expect(whole.data!.settlement.totalEntries).toBe(entries);
        for (const p of passes.filter((p) => p.spent === p.product.entries)) {
          expect(consumed(p, p.spent)).toBe(p.product.priceCents);
        }
        const order = (lines: Line[]) =>
          [...lines].sort((a, b) =>
            `${a.seller ?? ''}/${a.host}`.localeCompare(`${b.seller ?? ''}/${b.host}`),
          );
        const part = (half: 'a' | 'b') =>
          order([...expected].filter(([key]) => key.endsWith(half)).map(([, line]) => line));
        expect(linesOf(await statement(0, ledger.split - 1))).toEqual(part('a'));
        expect(linesOf(await statement(ledger.split, 27))).toEqual(part('b'));
        const csvRows = (whole.data!.settlement.csv as string)
          .trimEnd()
          .split('\r\n')
          .slice(1)
          .map((row) => row.split(','));
        expect(csvRows.map((r) => Number(r[9])).reduce((a, b) => a + b, 0)).toBe(value);
        expect(csvRows.map((r) => Number(r[8])).reduce((a, b) => a + b, 0)).toBe(entries);
        expect(startDay).toBe(whole.data!.settlement.from);
      }),
      { numRuns: 25 },
    );
    expect(await ledgerMismatches(h)).toEqual([]);
  });
});

describe('the seeded settlement and who may see it', () => {
  let h: Harness;
  const now = new Date('2026-11-26T14:00:00Z');
  beforeAll(async () => {
    h = await createHarness();
    await seedNetwork(h.db, now);
  });
  afterAll(() => h.close());

  const LAST_WEEKS = { from: '2026-10-20', to: '2026-11-26' };

  it('shows what each seller owes each host over the last weeks', async () => {
    const result = await h.execute(SETTLEMENT, LAST_WEEKS, { viewer: viewers.coordinator, now });
    const lines = linesOf(result);
    console.log(
      `seeded settlement ${LAST_WEEKS.from}..${LAST_WEEKS.to}:\n${result.data!.settlement.csv}`,
    );
    expect(lines).toEqual([
      {
        seller: 'baronnies',
        host: 'baronnies',
        redemptions: 8,
        voids: 0,
        entries: 9,
        amountCents: 5499,
      },
      {
        seller: 'baronnies',
        host: 'locomotive',
        redemptions: 4,
        voids: 0,
        entries: 4,
        amountCents: 3334,
      },
      {
        seller: 'laserre',
        host: 'cantine',
        redemptions: 4,
        voids: 1,
        entries: 4,
        amountCents: 4800,
      },
      {
        seller: 'laserre',
        host: 'laserre',
        redemptions: 2,
        voids: 0,
        entries: 2,
        amountCents: 2400,
      },
    ]);
    expect(result.data!.settlement.total).toEqual({ amountCents: 16033, currency: 'EUR' });
  });

  it('exports the same statement as CSV', async () => {
    const result = await h.execute(SETTLEMENT, LAST_WEEKS, { viewer: viewers.coordinator, now });
    expect(result.data!.settlement.csv).toBe(
      [
        'from,to,seller,seller_name,host,host_name,redemptions,voids,entries,amount_cents,currency',
        '2026-10-20,2026-11-26,baronnies,Parc naturel régional des Baronnies provençales,baronnies,Parc naturel régional des Baronnies provençales,8,0,9,5499,EUR',
        '2026-10-20,2026-11-26,baronnies,Parc naturel régional des Baronnies provençales,locomotive,La Locomotive,4,0,4,3334,EUR',
        '2026-10-20,2026-11-26,laserre,La Serre,cantine,La Cantine,4,1,4,4800,EUR',
        '2026-10-20,2026-11-26,laserre,La Serre,laserre,La Serre,2,0,2,2400,EUR',
        '',
      ].join('\r\n'),
    );
  });

  it('shows the settlement to coordinators only', async () => {
    const cantine = await h.execute(SETTLEMENT, LAST_WEEKS, {
      viewer: viewers.manager('cantine'),
      now,
    });
    expect(errorCode(cantine)).toBe('FORBIDDEN');
    expect(errorCode(await h.execute(SETTLEMENT, LAST_WEEKS))).toBe('UNAUTHENTICATED');
    expect(
      errorCode(
        await h.execute(SETTLEMENT, LAST_WEEKS, { viewer: viewers.member(MEMBERS.inesBenali) }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('rejects a period that ends before it starts or spans more than 366 days', async () => {
    const coordinator = { viewer: viewers.coordinator };
    expect(
      errorCode(await h.execute(SETTLEMENT, { from: '2026-11-02', to: '2026-11-01' }, coordinator)),
    ).toBe('BAD_USER_INPUT');
    expect(
      errorCode(await h.execute(SETTLEMENT, { from: '2026-01-01', to: '2027-01-02' }, coordinator)),
    ).toBe('BAD_USER_INPUT');
    expect(
      errorCode(await h.execute(SETTLEMENT, { from: '2026-02-30', to: '2026-03-01' }, coordinator)),
    ).toBe('BAD_USER_INPUT');
    expect(
      linesOf(await h.execute(SETTLEMENT, { from: '2026-01-01', to: '2026-12-31' }, coordinator)),
    ).toHaveLength(4);
  });
});
