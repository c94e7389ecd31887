import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Viewer } from '@tiers-lieux/schema';
import { createPartner } from '../src/data/partners.js';
import { seedPeople } from '../src/seed/index.js';
import {
  SEED_MEMBER_IDS,
  SEED_PARTNERS,
  SEED_SPACE_IDS,
  seededPersonOfMember,
} from '../src/seed/network.js';
import { viewers, type GraphQLResult, type Harness } from './harness.js';

/** Thursday 26 November 2026, 15:00 in Paris: the tests' "now". */
export const NOW = new Date('2026-11-26T14:00:00Z');
export const HOURS = 3_600_000;
export const SPACES = SEED_SPACE_IDS;
export const MEMBERS = SEED_MEMBER_IDS;

/** The seeded partners, and the seeded people with their roles. */
export async function registerSeedPartners(h: Harness): Promise<void> {
  for (const partner of SEED_PARTNERS) await createPartner(h.db, partner);
  await seedPeople(h.db, new Date(NOW.getTime() - 400 * 24 * HOURS));
}

/** The seeded person who is this member, as a person id, if the seed has one. */
export function personIdOfMember(memberId: string): string | null {
  const uuid = seededPersonOfMember(memberId);
  return uuid ? `network:person:${uuid}` : null;
}

export interface ProductInput {
  name?: string;
  sellerSlug?: string | null;
  validAtSpaceIds?: string[];
  entries?: number;
  entryMinutes?: number;
  priceCents?: number;
  validityDays?: number;
}

export const REDEEM = /* GraphQL */ `
  mutation ($input: RedeemPassInput!) {
    redeemPass(input: $input) {
      redemption {
        id
        entries
        minutes
        startedAt
        recordedAt
        amount {
          amountCents
        }
        space {
          id
        }
        pass {
          entriesLeft
        }
        voided
      }
      error {
        code
        message
        field
      }
    }
  }
`;

function ok<T>(result: GraphQLResult, path: string): T {
  const payload = result.data?.[path];
  if (!payload || payload.error || result.errors)
    throw new Error(`${path} failed: ${JSON.stringify(result)}`);
  return payload;
}

/** Operations through GraphQL with sensible defaults, failing loudly when they do not succeed. */
export function operations(h: Harness) {
  return {
    async product(input: ProductInput = {}): Promise<string> {
      const result = await h.execute(
        `mutation ($input: CreatePassProductInput!) { createPassProduct(input: $input) { passProduct { id } error { code message } } }`,
        {
          input: {
            name: 'Carte 10 entrées',
            sellerSlug: 'baronnies',
            validAtSpaceIds: [SPACES.serresLaSerre],
            entries: 10,
            entryMinutes: 180,
            priceCents: 5000,
            validityDays: 365,
            ...input,
          },
        },
        { viewer: viewers.coordinator },
      );
      return ok<{ passProduct: { id: string } }>(result, 'createPassProduct').passProduct.id;
    },

    async issue(
      productId: string,
      holderId: string | null = null,
      now = new Date(NOW.getTime() - 24 * HOURS),
    ) {
      const result = await h.execute(
        `mutation ($input: IssuePassInput!) { issuePass(input: $input) { pass { id code } error { code message } } }`,
        {
          input: {
            productId,
            holderId,
            holderPersonId: holderId ? personIdOfMember(holderId) : null,
          },
        },
        { viewer: viewers.coordinator, now },
      );
      return ok<{ pass: { id: string; code: string } }>(result, 'issuePass').pass;
    },

    redeem(
      input: {
        code: string;
        spaceId?: string;
        startedAt?: string;
        minutes?: number;
        idempotencyKey?: string;
      },
      opts: { viewer?: Viewer; now?: Date } = {},
    ) {
      return h.execute(
        REDEEM,
        {
          input: {
            spaceId: SPACES.serresLaSerre,
            startedAt: new Date(NOW.getTime() - 2 * HOURS).toISOString(),
            minutes: 60,
            idempotencyKey: randomUUID(),
            ...input,
          },
        },
        { viewer: opts.viewer ?? viewers.manager('baronnies'), now: opts.now ?? NOW },
      );
    },

    async entriesLeft(code: string): Promise<number> {
      const result = await h.execute(
        'query ($code: String!) { pass(code: $code) { entriesLeft } }',
        { code },
      );
      return result.data!.pass.entriesLeft;
    },
  };
}

/** Entries left of every pass against its ledger: entries_total minus the ledger's entries. */
export async function ledgerMismatches(h: Harness): Promise<unknown[]> {
  const result: unknown = await h.db.execute(
    sql.raw(`
    select p.id, p.entries_total, p.entries_left, coalesce(sum(l.entries), 0)::int as spent
    from passes p left join ledger_entries l on l.pass_id = p.id
    group by p.id
    having p.entries_left <> p.entries_total - coalesce(sum(l.entries), 0) or p.entries_left < 0`),
  );
  return Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
}
