import { SEEDED_PEOPLE } from '@tiers-lieux/schema/seed-people';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  post,
  startGateway,
  startPartner,
  tokens,
  type RunningPartner,
} from '../src/testing/index.js';

/**
 * Partners upgrade on their own calendar: one partner still serves the partner contract as
 * 1.0.0 was (before this release added, among others, `Space.resources`), the other the
 * current one, behind the same gateway.
 */
describe('a partner one minor version behind the contract', () => {
  let behind: RunningPartner;
  let current: RunningPartner;
  let gateway: Awaited<ReturnType<typeof startGateway>>;

  beforeAll(async () => {
    behind = await startPartner('baronnies', { contractVersion: '1.0.0' });
    current = await startPartner('cantine');
    await behind.seed.space({ name: 'Les Tuves', lat: 44.28, lon: 5.27 });
    await current.seed.space({ name: 'La Cantine', lat: 43.6, lon: 1.44 });
    gateway = await startGateway({
      partners: [behind, current].map((p) => ({ slug: p.slug, url: p.url, status: 'ACTIVE' })),
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await behind?.close();
    await current?.close();
  });

  const SPACES = /* GraphQL */ `
    query Spaces($withResources: Boolean!) {
      spaces(first: 10) {
        edges {
          node {
            name
            partnerSlug
            resources @include(if: $withResources) {
              id
            }
          }
        }
      }
    }
  `;

  it('keeps the partner routed, and says which version it serves', async () => {
    const ready = await fetch(gateway.graphqlUrl.replace('/graphql', '/ready'), {
      headers: { authorization: `Bearer ${await tokens.coordinator()}` },
    });
    const report = (await ready.json()) as {
      partners: { slug: string; routed: boolean; conformance: Record<string, unknown> }[];
    };
    const baronnies = report.partners.find((p) => p.slug === 'baronnies')!;
    expect(baronnies.routed).toBe(true);
    expect(baronnies.conformance).toMatchObject({ verdict: 'compatible', version: '1.0.0' });
    expect(baronnies.conformance.outdated).toContain('Space.resources');
    expect(report.partners.find((p) => p.slug === 'cantine')!.conformance).toMatchObject({
      verdict: 'compatible',
      version: '1.2.0',
      outdated: [],
    });
  });

  it('serves everything it knows, and answers what it lacks with null and PARTNER_OUTDATED', async () => {
    const answer = await post(gateway.graphqlUrl, SPACES, { withResources: true });
    const nodes = (answer.data!.spaces.edges as { node: Record<string, unknown> }[]).map(
      (e) => e.node,
    );
    expect(nodes).toEqual([
      { name: 'La Cantine', partnerSlug: 'cantine', resources: [] },
      { name: 'Les Tuves', partnerSlug: 'baronnies', resources: null },
    ]);
    expect(answer.errors).toEqual([
      expect.objectContaining({
        path: ['spaces'],
        extensions: expect.objectContaining({
          code: 'PARTNER_OUTDATED',
          partner: 'baronnies',
          fields: ['Space.resources'],
          contractVersion: '1.0.0',
        }),
      }),
    ]);
  });

  it('writes a person’s choice of messages at the partner that serves it, and says the other lacks it', async () => {
    const coordinator = SEEDED_PEOPLE.find((p) => p.coordinator)!;
    const personId = `network:person:${coordinator.uuid}`;
    const answer = await post(
      gateway.graphqlUrl,
      /* GraphQL */ `
        mutation ($input: SetEventMessagePreferenceInput!) {
          setEventMessagePreference(input: $input) {
            kind
            subscribed
            error {
              code
            }
          }
        }
      `,
      { input: { personId, kind: 'REMINDER', subscribed: false } },
      await tokens.coordinator(),
    );
    expect(answer.data!.setEventMessagePreference).toEqual({
      kind: 'REMINDER',
      subscribed: false,
      error: null,
    });
    expect(answer.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'PARTNER_OUTDATED', partner: 'baronnies' }),
      }),
    ]);
    const kept = (await current.db.execute(
      sql`select subscribed from message_preferences where subject = ${`person:${coordinator.uuid}`}`,
    )) as unknown as { rows?: unknown[] } | unknown[];
    expect(Array.isArray(kept) ? kept : kept.rows).toEqual([{ subscribed: false }]);
  });

  it('says nothing when the request asks nothing the partner lacks', async () => {
    const answer = await post(gateway.graphqlUrl, SPACES, { withResources: false });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.spaces.edges).toHaveLength(2);
  });
});
