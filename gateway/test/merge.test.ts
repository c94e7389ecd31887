import { compareCursorKeys, type CursorKey } from '@tiers-lieux/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mergeEntityParts,
  mergePages,
  sumCounts,
  type ListOrder,
  type PageKeys,
} from '../src/partners/merge.js';

/**
 * Distinct sort keys of the network's shape: a sort value (a folded name or a distance, one
 * kind per list, as in one connection), then a uuid-like tie-breaker.
 */
const keysOf = (sortValue: fc.Arbitrary<string | number>) =>
  fc
    .uniqueArray(fc.tuple(sortValue, fc.string({ minLength: 1, maxLength: 6 })), {
      maxLength: 60,
      selector: ([, id]) => id,
    })
    .map((list) => list.map((key) => key as CursorKey));
const keys = fc.oneof(
  keysOf(fc.string({ maxLength: 4 })),
  keysOf(fc.integer({ min: -50, max: 50 })),
  keysOf(fc.double({ min: 0, max: 1000, noNaN: true })),
);

const sorted = (list: CursorKey[]) => [...list].sort(compareCursorKeys);

/** A sorted list dealt to `partners` partners at random, each partner's share kept sorted. */
const split = fc.tuple(keys, fc.integer({ min: 1, max: 5 })).chain(([list, partners]) =>
  fc
    .array(fc.integer({ min: 0, max: partners - 1 }), {
      minLength: list.length,
      maxLength: list.length,
    })
    .map((owners) => {
      const all = sorted(list);
      const shares = Array.from({ length: partners }, (_, p) =>
        all.filter((_, i) => owners[i] === p),
      );
      return { all, shares };
    }),
);

/** What a partner answers: its first `first` keys after `after`, as `paging.ts` of a partner does. */
function partnerPage(share: CursorKey[], first: number, after: CursorKey | null): PageKeys {
  const rest = after ? share.filter((k) => compareCursorKeys(k, after) > 0) : share;
  return {
    keys: rest.slice(0, first),
    hasNextPage: rest.length > first,
    hasPreviousPage: after !== null,
  };
}

describe('merging partners’ pages (merge.ts)', () => {
  it('gives back the sorted list from any split of it, when the page holds everything', () => {
    fc.assert(
      fc.property(split, ({ all, shares }) => {
        const pages = shares.map((share) => partnerPage(share, all.length + 1, null));
        const merged = mergePages(pages, all.length, false);
        expect(merged.edges.map((e) => pages[e.page]!.keys[e.index])).toEqual(all);
        expect(merged.hasNextPage).toBe(false);
        expect(merged.hasPreviousPage).toBe(false);
      }),
    );
  });

  it('never repeats nor skips an item while paging through the merge, whatever the page size', () => {
    fc.assert(
      fc.property(split, fc.integer({ min: 1, max: 7 }), ({ all, shares }, first) => {
        const seen: CursorKey[] = [];
        let after: CursorKey | null = null;
        for (let guard = 0; guard <= all.length + 1; guard++) {
          const pages = shares.map((share) => partnerPage(share, first, after));
          const merged = mergePages(pages, first, after !== null);
          const page = merged.edges.map((e) => pages[e.page]!.keys[e.index]!);
          expect(page.length).toBeLessThanOrEqual(first);
          expect(merged.hasPreviousPage).toBe(after !== null);
          seen.push(...page);
          if (!merged.hasNextPage) break;
          expect(page.length).toBe(first);
          after = page.at(-1)!;
        }
        expect(seen).toEqual(all);
      }),
    );
  });

  it('says there is a next page exactly when items are left', () => {
    fc.assert(
      fc.property(split, fc.integer({ min: 1, max: 7 }), ({ all, shares }, first) => {
        const pages = shares.map((share) => partnerPage(share, first, null));
        expect(mergePages(pages, first, false).hasNextPage).toBe(all.length > first);
      }),
    );
  });

  it('sums the counts of every partner', () => {
    fc.assert(
      fc.property(split, ({ all, shares }) => {
        expect(sumCounts(shares.map((share) => share.length))).toBe(all.length);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1_000_000 })), (counts) => {
        expect(sumCounts(counts)).toBe(counts.reduce((a, b) => a + b, 0));
        expect(sumCounts([...counts].reverse())).toBe(sumCounts(counts));
      }),
    );
  });
});

describe('mergeEntityParts', () => {
  const byStart: ListOrder = {
    descending: false,
    valueOf: (item) => (item as { at?: number }).at ?? null,
  };
  /** A person's items dealt to partners, each partner's share in its own order. */
  const dealt = fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { maxLength: 40 }),
      fc.integer({ min: 1, max: 5 }),
    )
    .chain(([instants, partners]) =>
      fc
        .array(fc.integer({ min: 0, max: partners - 1 }), {
          minLength: instants.length,
          maxLength: instants.length,
        })
        .map((owners) =>
          Array.from({ length: partners }, (_, p) => ({
            __typename: 'Person',
            id: 'network:person:0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a12',
            registrations: instants
              .filter((_, i) => owners[i] === p)
              .map((at) => ({ id: `p${p}:${at}`, at })),
            memberships: instants.filter((_, i) => owners[i] === p).map((at) => `p${p}:${at}`),
          })),
        ),
    );

  it('keeps every item of every partner once, ordered by the sort value when it has one', () => {
    fc.assert(
      fc.property(dealt, (parts) => {
        const merged = mergeEntityParts(parts, (key) =>
          key === 'registrations' ? byStart : null,
        )!;
        const all = parts.flatMap((p) => p.registrations);
        expect(merged.registrations).toEqual([...all].sort((a, b) => a.at - b.at));
        // Without an order, partner after partner.
        expect(merged.memberships).toEqual(parts.flatMap((p) => p.memberships));
        expect(merged.id).toBe(parts[0]!.id);
      }),
    );
  });

  it('leaves a list in partner order when an item has no sort value, and descends when told', () => {
    const parts = [{ visits: [{ at: 1 }, { at: 5 }] }, { visits: [{ at: 3 }, {}] }];
    expect(mergeEntityParts(parts, () => byStart)).toEqual({
      visits: [{ at: 1 }, { at: 5 }, { at: 3 }, {}],
    });
    expect(
      mergeEntityParts([{ visits: [{ at: 1 }, { at: 5 }] }, { visits: [{ at: 3 }] }], () => ({
        ...byStart,
        descending: true,
      })),
    ).toEqual({ visits: [{ at: 5 }, { at: 3 }, { at: 1 }] });
  });

  it('takes the parts that came: a partner that failed or answered null adds nothing', () => {
    expect(mergeEntityParts([])).toBeNull();
    expect(mergeEntityParts([null, undefined])).toBeNull();
    expect(
      mergeEntityParts([null, { name: null, visits: [1] }, { name: 'Inès', visits: null }]),
    ).toEqual({ name: 'Inès', visits: [1] });
  });
});
