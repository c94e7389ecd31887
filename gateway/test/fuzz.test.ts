import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededNetwork, tokens } from '../src/testing/index.js';

const SPACE = 'cantine:space:c8b6a4e2-0d1f-4e3a-b5c7-9e1d3f5a7b63';
const EVENT = 'cantine:event:2e3a5c7d-9f1b-4d3f-8b5c-7e9a1b3d5f29';
const MEMBER = 'cantine:member:ad2f4b6c-8e0a-4c2e-9a4b-6d8f0a2c4e52';
const PASS = 'DMVX-A3W0-KMQ4';

/** Operations the frontends send, with every variable left to the fuzzer. */
const OPERATIONS = [
  'query ($t: String, $d: [String!], $f: Int, $a: String) { spaces(filter: { text: $t, departments: $d }, first: $f, after: $a) { totalCount edges { cursor node { name } } } }',
  'query ($lat: Float!, $lon: Float!, $r: Float!) { spaces(filter: { near: { lat: $lat, lon: $lon, radiusKm: $r } }) { edges { node { distanceKm } } } }',
  'query ($at: DateTime) { spaces(filter: { openAt: $at }) { totalCount } }',
  'query ($from: DateTime, $to: DateTime, $f: Int) { events(filter: { from: $from, to: $to }, first: $f) { edges { node { title seatsLeft } } } }',
  'query ($id: ID!) { space(id: $id) { name events { title } acceptedPasses { name } } }',
  'query ($id: ID!) { member(id: $id) { displayName email passes { entriesLeft } } }',
  'query ($code: String!) { pass(code: $code) { entriesLeft validAt { name } } }',
  'mutation ($e: ID!, $n: String!, $m: String!) { registerForEvent(input: { eventId: $e, guest: { name: $n, email: $m } }) { registration { status } error { code } } }',
  'mutation ($id: ID!) { cancelRegistration(input: { id: $id }) { error { code } } }',
  'mutation ($c: String!, $s: ID!, $at: DateTime!, $min: Int!, $k: String!) { redeemPass(input: { code: $c, spaceId: $s, startedAt: $at, minutes: $min, idempotencyKey: $k }) { redemption { entries } error { code } } }',
  'mutation ($id: ID!, $h: String) { updateSpace(input: { id: $id, openingHours: $h }) { error { code } } }',
];

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    "'; DROP TABLE spaces; --",
    'la serre',
    'tuvés',
    '\u0000',
    '%',
    '_',
    '\u202e',
    'Mo-Fr 25:00-26:00',
    'Mo,Tu 09:00-17:00',
  ),
);
const id = fc.oneof(
  fc.constantFrom(
    SPACE,
    EVENT,
    MEMBER,
    'atlantis:space:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31',
    'cantine:registration:00000000-0000-4000-8000-000000000000',
  ),
  text,
);
const instant = fc.oneof(
  fc
    .date({ min: new Date('1800-01-01'), max: new Date('2300-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  text,
);
const variables = fc.record({
  t: fc.option(text),
  d: fc.option(fc.array(text, { maxLength: 3 })),
  f: fc.option(fc.oneof(fc.integer(), fc.integer({ min: 1, max: 200 }))),
  a: fc.option(text),
  lat: fc.double(),
  lon: fc.double(),
  r: fc.double(),
  at: instant,
  from: fc.option(instant),
  to: fc.option(instant),
  id,
  e: fc.oneof(fc.constant(EVENT), id),
  s: fc.oneof(fc.constant(SPACE), id),
  n: text,
  m: fc.oneof(fc.emailAddress(), text),
  code: fc.oneof(fc.constant(PASS), text),
  c: fc.oneof(fc.constant(PASS), text),
  min: fc.integer(),
  k: fc.oneof(fc.uuid(), text),
  h: fc.option(text),
});

describe('random operations through the gateway', () => {
  let network: Awaited<ReturnType<typeof startSeededNetwork>>;
  let coordinator: string;
  beforeAll(async () => {
    network = await startSeededNetwork({ production: true });
    coordinator = await tokens.coordinator();
  });
  afterAll(() => network?.stop());

  it('never answers 5xx, never crashes, and keeps the pass and event invariants', async () => {
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(OPERATIONS.length - 1),
        variables,
        fc.boolean(),
        async (which, vars, asCoordinator) => {
          requests++;
          const response = await fetch(network.gateway.graphqlUrl, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(asCoordinator ? { authorization: `Bearer ${coordinator}` } : {}),
            },
            body: JSON.stringify({ query: OPERATIONS[which], variables: vars }),
          });
          const body = await response.text();
          expect(response.status, body.slice(0, 300)).toBeLessThan(500);
          const answer = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
          for (const error of answer.errors ?? []) {
            expect(error.extensions?.code, body.slice(0, 300)).not.toBe('INTERNAL_SERVER_ERROR');
          }
        },
      ),
      { numRuns: 150, seed: 20261122 },
    );
    const dump = (await network.dump()) as Record<
      string,
      Record<string, Record<string, unknown>[]>
    >;
    for (const pass of dump.network!.passes!) {
      expect(pass.entries_left as number).toBeGreaterThanOrEqual(0);
      const spent = dump
        .network!.ledger_entries!.filter((e) => e.pass_id === pass.id)
        .reduce((sum, e) => sum + (e.entries as number), 0);
      expect(pass.entries_left).toBe((pass.entries_total as number) - spent);
    }
    for (const [slug, tables] of Object.entries(dump).filter(([name]) => name !== 'network')) {
      for (const event of tables.events!) {
        const confirmed = tables.registrations!.filter(
          (r) => r.event_id === event.id && r.status === 'CONFIRMED',
        ).length;
        if (event.capacity !== null)
          expect(confirmed, `${slug} ${event.title}`).toBeLessThanOrEqual(event.capacity as number);
      }
    }
    const health = await fetch(`${network.gateway.url}/health`);
    expect(health.status).toBe(200);
    console.log(`fuzzing: ${requests} random operations, no 5xx, invariants hold`);
  });
});
