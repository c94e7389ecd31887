import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VIEWER_HEADER } from '@tiers-lieux/schema';
import { seedPartner } from '@tiers-lieux/space-subgraph/seed';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  forward,
  post,
  seededPeople,
  startGateway,
  startPartner,
  tokens,
  type Answer,
  type RunningPartner,
} from '../src/testing/index.js';

interface Recorded {
  headers: IncomingHttpHeaders;
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
}

/**
 * What sits on the wire between the gateway and a partner: it records every request, and
 * either passes it on or keeps it (the partner never sees it, and its header is unused).
 */
class Eavesdropper {
  mode: 'pass' | 'withhold' = 'pass';
  recorded: Recorded[] = [];
  url = '';
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      this.recorded.push({ headers: req.headers, body: JSON.parse(body.toString('utf8')) });
      if (this.mode === 'withhold') {
        res.statusCode = 503;
        return void res.end();
      }
      forward(this.target, req, res, body);
    });
  });

  constructor(private readonly target: string) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The one recorded request whose document selects `field`. */
  captured(field: string): Recorded {
    const matching = this.recorded.filter((r) => r.body.query.includes(field));
    expect(matching).toHaveLength(1);
    return matching[0]!;
  }
}

/** A request sent straight to the partner, as an attacker who holds a captured header would. */
async function atPartner(url: string, body: Recorded['body'], header: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [VIEWER_HEADER]: header },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Answer;
}

const MEMBER_EMAILS = '{ members(first: 50) { edges { node { id email } } } }';
const ANOTHER_QUERY = {
  query: '{ members(first: 50) { edges { node { displayName email phone } } } }',
};
const CREATE_MEMBER = {
  query: `mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } error { code } } }`,
  variables: {
    input: { partner: 'cantine', displayName: 'Intrus', email: 'intrus@example.org' },
  },
};
const renameEvent = (id: string) => ({
  query: `mutation ($input: UpdateEventInput!) { updateEvent(input: $input) { event { title } error { code } } }`,
  variables: { input: { id, title: 'Annulé, payez par virement' } },
});

/** Someone who manages two partners and staffs one of them. */
const TWO_HATS = {
  email: 'deux.casquettes@example.org',
  person: {
    personId: 'network:person:6a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
    manages: ['cantine', 'laserre'],
    staffs: ['laserre'],
  },
};

describe('the viewer header between the gateway and a partner', () => {
  let cantine: RunningPartner;
  let laserre: RunningPartner;
  let wire: Eavesdropper;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let eventId: string;

  beforeAll(async () => {
    const now = new Date();
    cantine = await startPartner('cantine');
    laserre = await startPartner('laserre');
    await seedPartner(cantine.db, 'cantine', now);
    await seedPartner(laserre.db, 'laserre', now);
    wire = new Eavesdropper(cantine.url);
    await wire.start();
    const people = seededPeople();
    people.set(TWO_HATS.email, TWO_HATS.person);
    gateway = await startGateway({
      partners: [
        { slug: 'cantine', url: wire.url, status: 'ACTIVE' },
        { slug: 'laserre', url: laserre.url, status: 'ACTIVE' },
      ],
      people,
    });
    const events = await fetch(cantine.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ events(first: 1) { edges { node { id } } } }' }),
    });
    eventId = ((await events.json()) as Answer).data!.events.edges[0].node.id;
  });
  afterAll(async () => {
    await gateway?.stop();
    await wire?.close();
    await cantine?.close();
    await laserre?.close();
  });
  beforeEach(() => {
    wire.mode = 'pass';
    wire.recorded = [];
  });

  /** Cantine's members as a coordinator sees them, read through the gateway. */
  async function coordinatorReadsMembers(): Promise<Answer> {
    return post(gateway.graphqlUrl, MEMBER_EMAILS, undefined, await tokens.coordinator());
  }

  /** What cannot have changed: cantine's members and events, read from its database. */
  async function cantineState() {
    const rows = async (sql: string) => {
      const result: unknown = await cantine.db.execute(sql);
      return JSON.parse(JSON.stringify((result as { rows: unknown[] }).rows)) as unknown[];
    };
    return {
      members: await rows('select * from members order by id'),
      events: await rows('select * from events order by id'),
    };
  }

  function expectAnonymous(answer: Answer) {
    const emails = answer.data!.members.edges.map(
      (e: { node: { email: string | null } }) => e.node.email,
    );
    expect(emails.length).toBeGreaterThan(0);
    expect(emails.every((email: string | null) => email === null)).toBe(true);
  }

  function expectRefused(answer: Answer, field: string) {
    expect(answer.data?.[field] ?? null).toBeNull();
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  }

  it('is good for one delivery: replayed for the same request, another query or a mutation, it is anonymous', async () => {
    const before = await cantineState();
    const read = await coordinatorReadsMembers();
    const seen = read.data!.members.edges.filter((e: { node: { id: string } }) =>
      e.node.id.startsWith('cantine:'),
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e: { node: { email: unknown } }) => typeof e.node.email === 'string')).toBe(
      true,
    );

    const { headers, body } = wire.captured('members');
    const header = headers[VIEWER_HEADER] as string;
    expect(header).toBeTruthy();
    expectAnonymous(await atPartner(cantine.url, body, header));
    expectAnonymous(await atPartner(cantine.url, ANOTHER_QUERY, header));
    expectRefused(await atPartner(cantine.url, CREATE_MEMBER, header), 'registerMember');
    expectRefused(await atPartner(cantine.url, renameEvent(eventId), header), 'updateEvent');
    expect(await cantineState()).toEqual(before);
  });

  it('kept from the partner, it is good for no other request than its own', async () => {
    const before = await cantineState();
    wire.mode = 'withhold';
    const read = await coordinatorReadsMembers();
    expect(read.errors?.map((e) => e.extensions?.partner)).toContain('cantine');
    const header = wire.captured('members').headers[VIEWER_HEADER] as string;
    expect(header).toBeTruthy();
    expectAnonymous(await atPartner(cantine.url, ANOTHER_QUERY, header));
    expectRefused(await atPartner(cantine.url, CREATE_MEMBER, header), 'registerMember');
    expectRefused(await atPartner(cantine.url, renameEvent(eventId), header), 'updateEvent');
    expect(await cantineState()).toEqual(before);
  });

  it('reaches a partner only with requests whose answer depends on the viewer', async () => {
    const directory = `{
      spaces(first: 50) { totalCount edges { node { id name openNow contact { email } events(first: 3) { title seatsLeft } } } }
      events(first: 50) { edges { node { id title space { name } } } }
    }`;
    for (const token of [undefined, await tokens.coordinator(), await tokens.manager('cantine')]) {
      wire.recorded = [];
      const answer = await post(gateway.graphqlUrl, directory, undefined, token);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.spaces.edges.length).toBeGreaterThan(0);
      expect(wire.recorded.length).toBeGreaterThan(0);
      expect(wire.recorded.filter((r) => r.headers[VIEWER_HEADER] !== undefined)).toEqual([]);
    }
    // An event's registrations depend on who asks: that request carries the viewer.
    wire.recorded = [];
    const registrations = await post(
      gateway.graphqlUrl,
      `query ($id: ID!) { event(id: $id) { title registrations { name } } }`,
      { id: eventId },
      await tokens.manager('cantine'),
    );
    expect(registrations.errors).toBeUndefined();
    expect(wire.recorded.map((r) => typeof r.headers[VIEWER_HEADER])).toEqual(['string']);
  });

  it('tells each partner only the roles that concern it', async () => {
    const answer = await post(
      gateway.graphqlUrl,
      MEMBER_EMAILS,
      undefined,
      await tokens.person(TWO_HATS.email),
    );
    expect(answer.errors).toBeUndefined();
    const header = wire.captured('members').headers[VIEWER_HEADER] as string;
    const claims = JSON.parse(Buffer.from(header.split('.')[1]!, 'base64url').toString()) as {
      aud: string;
      viewer: unknown;
    };
    expect(claims.aud).toBe('partner:cantine');
    expect(claims.viewer).toEqual({
      kind: 'person',
      personId: TWO_HATS.person.personId,
      coordinator: false,
      manages: ['cantine'],
      staffs: [],
    });
  });
});
