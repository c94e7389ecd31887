import { testEngines } from '@tiers-lieux/schema/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, errorCode, viewers, type GraphQLResult, type Harness } from './harness.js';
import { MEMBERS, operations, registerSeedPartners, SPACES } from './fixtures.js';

/**
 * The coordinators' pass API of the "Réseau" console: the list of passes, the sales figures
 * and the changes to a product, over passes issued at known instants around the Paris month
 * and daylight-saving boundaries.
 */

const PASSES = /* GraphQL */ `
  query ($search: String, $productId: ID, $first: Int, $after: String) {
    passes(search: $search, productId: $productId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          code
          issuedAt
          price {
            amountCents
          }
          product {
            name
          }
        }
      }
    }
  }
`;

const SALES = /* GraphQL */ `
  query ($from: Date!, $to: Date!, $by: PassSalesGrouping!, $first: Int) {
    passSales(from: $from, to: $to, by: $by, first: $first) {
      key
      label
      passes
      amount {
        amountCents
        currency
      }
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation ($input: UpdatePassProductInput!) {
    updatePassProduct(input: $input) {
      passProduct {
        id
        name
        price {
          amountCents
        }
        validityDays
        entries
      }
      error {
        code
        field
      }
    }
  }
`;

interface Node {
  id: string;
  code: string;
  issuedAt: string;
  price: { amountCents: number };
  product: { name: string };
}

function page(result: GraphQLResult): {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Node[];
} {
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  const { totalCount, pageInfo, edges } = result.data!.passes;
  return { totalCount, pageInfo, nodes: edges.map((e: { node: Node }) => e.node) };
}

function buckets(result: GraphQLResult) {
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.passSales.map(
    (b: { key: string; label: string; passes: number; amount: { amountCents: number } }) => [
      b.key,
      b.label,
      b.passes,
      b.amount.amountCents,
    ],
  );
}

const OCTOBER_NOVEMBER = { from: '2026-10-01', to: '2026-11-30' };

describe.each(testEngines())('the coordinators’ passes and sales on %s', (engine) => {
  let h: Harness;
  let baronniesCard: string;
  let ruralPass: string;
  let cantineCard: string;
  /** The passes in the order they were issued (their `issuedAt` order too). */
  const issued: { id: string; code: string }[] = [];

  beforeAll(async () => {
    h = await createHarness({ engine });
    const op = operations(h);
    await registerSeedPartners(h);
    baronniesCard = await op.product({ name: 'Carte Baronnies', priceCents: 5000 });
    ruralPass = await op.product({
      name: 'Pass rural',
      sellerSlug: null,
      priceCents: 12_000,
      validAtSpaceIds: [SPACES.serresLaSerre, SPACES.toulouseLaCantine],
    });
    cantineCard = await op.product({
      name: 'Carte Cantine',
      sellerSlug: 'cantine',
      priceCents: 3000,
      validAtSpaceIds: [SPACES.toulouseLaCantine],
    });
    const issue = async (product: string, holder: string | null, at: string) =>
      issued.push(await op.issue(product, holder, new Date(at)));
    // 23:59:59 on 30 September in Paris (summer time): September, before the period.
    await issue(baronniesCard, MEMBERS.camilleRoux, '2026-09-30T21:59:59Z');
    // 00:00 on 1 October in Paris: the first instant of the period.
    await issue(baronniesCard, MEMBERS.lucasMartin, '2026-09-30T22:00:00Z');
    // 02:30 summer time on 25 October, half an hour before the clocks go back.
    await issue(ruralPass, MEMBERS.inesBenali, '2026-10-25T00:30:00Z');
    // 23:59:59 on 31 October in Paris (winter time): still October.
    await issue(ruralPass, null, '2026-10-31T22:59:59Z');
    // 00:00 on 1 November in Paris.
    await issue(cantineCard, null, '2026-10-31T23:00:00Z');
    // The card costs more from now on: the passes issued before keep their price.
    const raised = await h.execute(
      UPDATE,
      { input: { id: baronniesCard, priceCents: 7000 } },
      { viewer: viewers.coordinator },
    );
    expect(raised.data!.updatePassProduct.error).toBeNull();
    // 23:59:59 on 30 November in Paris: the last instant of the period.
    await issue(baronniesCard, MEMBERS.camilleRoux, '2026-11-30T22:59:59Z');
    // 00:00 on 1 December in Paris: after the period.
    await issue(cantineCard, MEMBERS.thierryVallee, '2026-11-30T23:00:00Z');
  });
  afterAll(() => h.close());

  const asCoordinator = (query: string, variables: Record<string, unknown>) =>
    h.execute(query, variables, { viewer: viewers.coordinator });

  describe('passSales', () => {
    it('counts and sums the passes of the period by product, at the price each was sold', async () => {
      const result = await asCoordinator(SALES, { ...OCTOBER_NOVEMBER, by: 'PRODUCT' });
      expect(buckets(result)).toEqual([
        [baronniesCard, 'Carte Baronnies', 2, 5000 + 7000],
        [cantineCard, 'Carte Cantine', 1, 3000],
        [ruralPass, 'Pass rural', 2, 24_000],
      ]);
      expect(result.data!.passSales[0].amount.currency).toBe('EUR');
    });

    it('groups by seller, the network first, with the partners’ names', async () => {
      const result = await asCoordinator(SALES, { ...OCTOBER_NOVEMBER, by: 'SELLER' });
      expect(buckets(result)).toEqual([
        ['network', 'Réseau des tiers-lieux', 2, 24_000],
        ['baronnies', 'Parc naturel régional des Baronnies provençales', 2, 12_000],
        ['cantine', 'La Cantine', 1, 3000],
      ]);
    });

    it('cuts months at midnight in Paris, summer and winter time alike', async () => {
      const result = await asCoordinator(SALES, {
        from: '2026-09-01',
        to: '2026-12-31',
        by: 'MONTH',
      });
      expect(buckets(result)).toEqual([
        ['2026-09', '2026-09', 1, 5000],
        ['2026-10', '2026-10', 3, 5000 + 12_000 + 12_000],
        ['2026-11', '2026-11', 2, 3000 + 7000],
        ['2026-12', '2026-12', 1, 3000],
      ]);
      const period = await asCoordinator(SALES, { ...OCTOBER_NOVEMBER, by: 'MONTH' });
      expect(buckets(period)).toEqual([
        ['2026-10', '2026-10', 3, 29_000],
        ['2026-11', '2026-11', 2, 10_000],
      ]);
      const oneDay = await asCoordinator(SALES, {
        from: '2026-10-31',
        to: '2026-10-31',
        by: 'MONTH',
      });
      expect(buckets(oneDay)).toEqual([['2026-10', '2026-10', 1, 12_000]]);
    });

    it('answers no bucket for a period without sales, and at most `first` buckets', async () => {
      expect(
        buckets(await asCoordinator(SALES, { from: '2026-01-01', to: '2026-08-31', by: 'SELLER' })),
      ).toEqual([]);
      const first = await asCoordinator(SALES, { ...OCTOBER_NOVEMBER, by: 'SELLER', first: 1 });
      expect(buckets(first)).toEqual([['network', 'Réseau des tiers-lieux', 2, 24_000]]);
    });

    it('counts in one grouped statement per request, whatever the grouping', async () => {
      for (const by of ['PRODUCT', 'SELLER', 'MONTH']) {
        h.resetStatements();
        const result = await asCoordinator(SALES, { from: '2026-09-01', to: '2026-12-31', by });
        expect(result.errors).toBeUndefined();
        const statements = h.statements();
        expect(statements).toHaveLength(1);
        expect(statements[0]).toMatch(/group by/i);
      }
    });

    it('refuses a reversed or too long period and a bad `first` as BAD_USER_INPUT', async () => {
      const refused = [
        { from: '2026-11-30', to: '2026-10-01', by: 'MONTH' },
        { from: '2016-01-01', to: '2026-01-08', by: 'MONTH' },
        { ...OCTOBER_NOVEMBER, by: 'MONTH', first: 0 },
        { ...OCTOBER_NOVEMBER, by: 'MONTH', first: 501 },
      ];
      for (const variables of refused) {
        const result = await asCoordinator(SALES, variables);
        expect(errorCode(result), JSON.stringify(variables)).toBe('BAD_USER_INPUT');
        expect(result.data).toBeNull();
      }
      // 3660 days, both ends included: the longest period.
      const longest = await asCoordinator(SALES, {
        from: '2016-11-30',
        to: '2026-12-07',
        by: 'SELLER',
      });
      expect(longest.errors).toBeUndefined();
      expect(buckets(longest).reduce((n: number, b: number[]) => n + (b[2] as number), 0)).toBe(7);
    });
  });

  describe('passes', () => {
    it('lists every pass, most recently issued first', async () => {
      const all = page(await asCoordinator(PASSES, { first: 100 }));
      expect(all.totalCount).toBe(7);
      expect(all.pageInfo.hasNextPage).toBe(false);
      expect(all.nodes.map((n) => n.id)).toEqual([...issued].reverse().map((p) => p.id));
      expect(all.nodes[0]!.issuedAt).toBe('2026-12-01T00:00:00+01:00');
      expect(all.nodes.map((n) => n.price.amountCents)).toEqual([
        3000, 7000, 3000, 12_000, 12_000, 5000, 5000,
      ]);
    });

    it('pages by cursor without losing or repeating a pass, within 1 to 100', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      const shapes: [number, boolean][] = [];
      do {
        const p = page(await asCoordinator(PASSES, { first: 3, after }));
        expect(p.totalCount).toBe(7);
        seen.push(...p.nodes.map((n) => n.id));
        shapes.push([p.nodes.length, p.pageInfo.hasNextPage]);
        after = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
      } while (after);
      expect(shapes).toEqual([
        [3, true],
        [3, true],
        [1, false],
      ]);
      expect(seen).toEqual([...issued].reverse().map((p) => p.id));
      for (const first of [0, 101, -1]) {
        expect(errorCode(await asCoordinator(PASSES, { first }))).toBe('BAD_USER_INPUT');
      }
      for (const after of ['not a cursor', Buffer.from('["x","y"]').toString('base64url')]) {
        expect(errorCode(await asCoordinator(PASSES, { after }))).toBe('BAD_USER_INPUT');
      }
    });

    it('finds a pass by the start of its code, typed loosely', async () => {
      const target = issued[5]!;
      const start = target.code.slice(0, 7); // "XXXX-XX"
      const loose = ` ${start.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l')} `;
      const found = page(await asCoordinator(PASSES, { search: loose }));
      expect(found.nodes.map((n) => n.id)).toContain(target.id);
      expect(found.nodes.every((n) => n.code.startsWith(start))).toBe(true);
      const whole = page(await asCoordinator(PASSES, { search: target.code.replace(/-/g, '') }));
      expect(whole.nodes.map((n) => n.id)).toEqual([target.id]);
      expect(whole.totalCount).toBe(1);
    });

    it('finds passes by their holder’s name or email, case ignored, and by product', async () => {
      const camille = page(await asCoordinator(PASSES, { search: 'ROUX' }));
      expect(camille.nodes.map((n) => n.id)).toEqual([issued[5]!.id, issued[0]!.id]);
      const lucas = page(await asCoordinator(PASSES, { search: 'lucas.martin@example' }));
      expect(lucas.nodes.map((n) => n.id)).toEqual([issued[1]!.id]);
      // A LIKE wildcard is a character like another.
      const percent = page(await asCoordinator(PASSES, { search: '%' }));
      expect(percent).toMatchObject({ totalCount: 0, nodes: [] });
      const rural = page(await asCoordinator(PASSES, { productId: ruralPass }));
      expect(rural.nodes.map((n) => n.id)).toEqual([issued[3]!.id, issued[2]!.id]);
      expect(rural.totalCount).toBe(2);
      const both = page(
        await asCoordinator(PASSES, { productId: baronniesCard, search: 'camille' }),
      );
      expect(both.nodes.map((n) => n.id)).toEqual([issued[5]!.id, issued[0]!.id]);
      expect(errorCode(await asCoordinator(PASSES, { productId: 'pass:nope' }))).toBe(
        'BAD_USER_INPUT',
      );
    });

    it('reads a page in as many statements for 2 passes as for 7', async () => {
      const count = async (first: number) => {
        h.resetStatements();
        const p = page(await asCoordinator(PASSES, { first }));
        expect(p.nodes).toHaveLength(first);
        return h.statements().length;
      };
      const small = await count(2);
      expect(await count(7)).toBe(small);
      // The page, its count, the products of its passes.
      expect(small).toBe(3);
    });
  });

  it('shows passes and sales to coordinators only, not to managers, staff or holders', async () => {
    const who = [
      { viewer: viewers.anonymous, code: 'UNAUTHENTICATED' },
      { viewer: viewers.manager('baronnies'), code: 'FORBIDDEN' },
      { viewer: viewers.staff('cantine'), code: 'FORBIDDEN' },
      { viewer: viewers.member(MEMBERS.camilleRoux), code: 'FORBIDDEN' },
    ];
    for (const { viewer, code } of who) {
      const list = await h.execute(PASSES, { search: 'camille' }, { viewer });
      expect(errorCode(list)).toBe(code);
      expect(list.data).toBeNull();
      const sales = await h.execute(SALES, { ...OCTOBER_NOVEMBER, by: 'SELLER' }, { viewer });
      expect(errorCode(sales)).toBe(code);
      expect(sales.data).toBeNull();
    }
    // The holder sees their own passes on their account, not the network's list.
    const own = await h.execute(
      '{ me { passes { id } } }',
      {},
      { viewer: viewers.member(MEMBERS.camilleRoux) },
    );
    expect(own.data!.me.passes.map((p: { id: string }) => p.id)).toEqual([
      issued[5]!.id,
      issued[0]!.id,
    ]);
  });
});

describe.each(testEngines())('updatePassProduct on %s', (engine) => {
  let h: Harness;
  let op: ReturnType<typeof operations>;
  let card: string;
  beforeAll(async () => {
    h = await createHarness({ engine });
    op = operations(h);
    await registerSeedPartners(h);
    card = await op.product({ name: 'Carte 10 entrées', priceCents: 5000, validityDays: 365 });
  });
  afterAll(() => h.close());

  const update = (input: Record<string, unknown>, viewer = viewers.coordinator) =>
    h.execute(UPDATE, { input }, { viewer });

  it('changes the price and validity of the passes issued afterwards only', async () => {
    const before = await op.issue(card, null, new Date('2026-11-20T10:00:00Z'));
    const result = await update({ id: card, priceCents: 6500, validityDays: 30 });
    expect(result).toEqual({
      data: {
        updatePassProduct: {
          passProduct: {
            id: card,
            name: 'Carte 10 entrées',
            price: { amountCents: 6500 },
            validityDays: 30,
            entries: 10,
          },
          error: null,
        },
      },
    });
    const after = await op.issue(card, null, new Date('2026-11-20T10:00:00Z'));
    const terms = async (code: string) =>
      (
        await h.execute(
          'query ($code: String!) { pass(code: $code) { price { amountCents } expiresAt } }',
          {
            code,
          },
        )
      ).data!.pass;
    expect(await terms(before.code)).toEqual({
      price: { amountCents: 5000 },
      expiresAt: '2027-11-20T00:00:00+01:00',
    });
    expect(await terms(after.code)).toEqual({
      price: { amountCents: 6500 },
      expiresAt: '2026-12-20T00:00:00+01:00',
    });
    // Omitted fields keep their value.
    const renamed = await update({ id: card, name: 'Carte dix entrées' });
    expect(renamed.data!.updatePassProduct.passProduct).toMatchObject({
      name: 'Carte dix entrées',
      price: { amountCents: 6500 },
      validityDays: 30,
    });
    // An update that names nothing answers the product as it is.
    const nothing = await update({ id: card });
    expect(nothing.data!.updatePassProduct.passProduct.name).toBe('Carte dix entrées');
  });

  it('takes the bounds of price and validity', async () => {
    for (const [priceCents, validityDays] of [
      [0, 1],
      [10_000_000, 3660],
    ]) {
      const result = await update({ id: card, priceCents, validityDays });
      expect(result.data!.updatePassProduct).toMatchObject({
        passProduct: { price: { amountCents: priceCents }, validityDays },
        error: null,
      });
    }
  });

  it('refuses a bad input with a typed error naming the field, changing nothing', async () => {
    const refused: [Record<string, unknown>, string, string][] = [
      [{ id: card, priceCents: -1 }, 'INVALID_INPUT', 'input.priceCents'],
      [{ id: card, priceCents: 10_000_001 }, 'INVALID_INPUT', 'input.priceCents'],
      [{ id: card, validityDays: 0 }, 'INVALID_INPUT', 'input.validityDays'],
      [{ id: card, validityDays: 3661 }, 'INVALID_INPUT', 'input.validityDays'],
      [{ id: card, name: '   ' }, 'INVALID_INPUT', 'input.name'],
      [{ id: card, name: 'x'.repeat(201) }, 'INVALID_INPUT', 'input.name'],
      // A valid change next to an invalid one is not applied either.
      [{ id: card, priceCents: 4200, validityDays: 0 }, 'INVALID_INPUT', 'input.validityDays'],
      [{ id: 'pass-product:not-a-uuid', priceCents: 100 }, 'INVALID_INPUT', 'input.id'],
      [
        { id: card.replace('pass-product:', 'pass:'), priceCents: 100 },
        'INVALID_INPUT',
        'input.id',
      ],
      [
        { id: 'pass-product:00000000-0000-4000-8000-000000000000', priceCents: 100 },
        'UNKNOWN_PRODUCT',
        'input.id',
      ],
    ];
    const before = await h.snapshot();
    for (const [input, code, field] of refused) {
      const result = await update(input);
      expect(result.errors, JSON.stringify(input)).toBeUndefined();
      expect(result.data!.updatePassProduct, JSON.stringify(input)).toEqual({
        passProduct: null,
        error: { code, field },
      });
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it('lets coordinators only change a product, not the seller’s managers', async () => {
    const before = await h.snapshot();
    for (const [viewer, code] of [
      [viewers.anonymous, 'UNAUTHENTICATED'],
      [viewers.manager('baronnies'), 'FORBIDDEN'],
      [viewers.staff('baronnies'), 'FORBIDDEN'],
      [viewers.member(MEMBERS.camilleRoux), 'FORBIDDEN'],
    ] as const) {
      const result = await update({ id: card, priceCents: 1 }, viewer);
      expect(errorCode(result)).toBe(code);
      expect(result.data).toBeNull();
    }
    expect(await h.snapshot()).toEqual(before);
  });
});
