import { startStandaloneServer } from '@apollo/server/standalone';
import { createDb } from '@tiers-lieux/network-subgraph/db';
import { createServer as createNetworkServer } from '@tiers-lieux/network-subgraph/server';
import { networkSubgraphs, composeOrThrow } from '@tiers-lieux/schema/compose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  post,
  startGateway,
  startPartner,
  tokens,
  VIEWER_KEYS,
  type RunningPartner,
} from '../src/testing/index.js';

/**
 * The whole network graph end to end: the network subgraph and three partner subgraphs on
 * loopback ports, the gateway reading its partners from the network's registry.
 */
describe('the network graph, end to end', () => {
  const partners: RunningPartner[] = [];
  let network: { url: string; stop(): Promise<void> };
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let coordinator: string;
  const POLL_MS = 200;
  const spaceIds: Record<string, string> = {};
  let holderId = '';
  let passCode = '';

  const gql = async (query: string, variables?: Record<string, unknown>, token?: string) =>
    post(gateway.graphqlUrl, query, variables, token);

  const waitForRegistry = () => new Promise((resolve) => setTimeout(resolve, POLL_MS * 3));

  beforeAll(async () => {
    const handle = await createDb({});
    await handle.migrate();
    const { server, context } = createNetworkServer({
      db: handle.db,
      viewerPublicKey: VIEWER_KEYS.publicKey,
    });
    const started = await startStandaloneServer(server, {
      listen: { host: '127.0.0.1', port: 0 },
      context,
    });
    network = { url: started.url, stop: async () => (await server.stop(), await handle.close()) };

    for (const slug of ['baronnies', 'cantine', 'locomotive'])
      partners.push(await startPartner(slug));
    const [baronnies, cantine, locomotive] = partners as [
      RunningPartner,
      RunningPartner,
      RunningPartner,
    ];
    spaceIds.serres = (
      await baronnies.seed.space({
        name: 'La Serre',
        commune: 'Serres',
        inseeCode: '05166',
        postalCode: '05700',
      })
    ).publicId;
    spaceIds.tuves = (
      await baronnies.seed.space({
        name: 'Les Tuves',
        commune: 'Buis-les-Baronnies',
        inseeCode: '26063',
        postalCode: '26170',
        department: '26',
      })
    ).publicId;
    spaceIds.cantine = (
      await cantine.seed.space({
        name: 'La Cantine',
        commune: 'Toulouse',
        inseeCode: '31555',
        postalCode: '31000',
        department: '31',
      })
    ).publicId;
    spaceIds.locomotive = (await locomotive.seed.space({ name: 'La Locomotive' })).publicId;
    holderId = (
      await cantine.seed.member({ displayName: 'Inès Benali', email: 'ines@example.org' })
    ).publicId;

    gateway = await startGateway({
      supergraphSdl: composeOrThrow(networkSubgraphs()),
      partners: [],
      registry: 'network',
      registryPollMs: POLL_MS,
      subgraphUrls: { network: network.url },
    });
    coordinator = await tokens.coordinator();
    for (const partner of partners.slice(0, 2)) {
      const answer = await gql(
        `mutation ($input: RegisterPartnerInput!) { registerPartner(input: $input) { partner { slug } error { code message } } }`,
        {
          input: {
            slug: partner.slug,
            name: partner.slug,
            kind: 'ASSOCIATION',
            territory: 'Sud',
            subgraphUrl: partner.url,
          },
        },
        coordinator,
      );
      expect(answer.data!.registerPartner.error).toBeNull();
    }
    await gateway.registry.refresh();
  });
  afterAll(async () => {
    await gateway?.stop();
    await network?.stop();
    for (const p of partners) await p.close();
  });

  it('routes to a partner registered in the network subgraph while running, and stops for a suspended one', async () => {
    const slugs = async () =>
      (
        (await gql(`{ spaces { edges { node { partnerSlug } } } }`)).data!.spaces.edges as {
          node: { partnerSlug: string };
        }[]
      )
        .map((e) => e.node.partnerSlug)
        .sort();
    expect(await slugs()).toEqual(['baronnies', 'baronnies', 'cantine']);
    await gql(
      `mutation ($input: RegisterPartnerInput!) { registerPartner(input: $input) { error { code } } }`,
      {
        input: {
          slug: 'locomotive',
          name: 'La Locomotive',
          kind: 'ASSOCIATION',
          territory: 'Gap',
          subgraphUrl: partners[2]!.url,
        },
      },
      coordinator,
    );
    await waitForRegistry();
    expect(await slugs()).toEqual(['baronnies', 'baronnies', 'cantine', 'locomotive']);
    await gql(
      `mutation { suspendPartner(slug: "locomotive") { error { code } } }`,
      {},
      coordinator,
    );
    await waitForRegistry();
    expect(await slugs()).toEqual(['baronnies', 'baronnies', 'cantine']);
    await gql(
      `mutation { reactivatePartner(slug: "locomotive") { error { code } } }`,
      {},
      coordinator,
    );
    await waitForRegistry();
    expect(await slugs()).toEqual(['baronnies', 'baronnies', 'cantine', 'locomotive']);
  });

  it("lists each partner's spaces from the partner's own subgraph (Partner.spaces)", async () => {
    const one = await gql(
      `{ partner(slug: "baronnies") { name spaces(first: 10) { totalCount edges { node { name partnerSlug } } } } }`,
    );
    expect(one.errors).toBeUndefined();
    expect(one.data!.partner.spaces).toEqual({
      totalCount: 2,
      edges: [
        { node: { name: 'La Serre', partnerSlug: 'baronnies' } },
        { node: { name: 'Les Tuves', partnerSlug: 'baronnies' } },
      ],
    });
    const all = await gql(`{ partners { slug spaces(filter: { text: "la" }) { totalCount } } }`);
    expect(all.errors).toBeUndefined();
    expect(
      Object.fromEntries(
        (all.data!.partners as { slug: string; spaces: { totalCount: number } }[]).map((p) => [
          p.slug,
          p.spaces.totalCount,
        ]),
      ),
    ).toEqual({ baronnies: 1, cantine: 1, locomotive: 1 });
  });

  it('resolves a pass valid at spaces of three partners, every space, and Member.passes across subgraphs', async () => {
    const product = await gql(
      `mutation ($input: CreatePassProductInput!) { createPassProduct(input: $input) { passProduct { id } error { code message } } }`,
      {
        input: {
          name: 'Pass rural Baronnies – Gapençais',
          sellerSlug: 'baronnies',
          validAtSpaceIds: [spaceIds.serres, spaceIds.tuves, spaceIds.locomotive, spaceIds.cantine],
          entries: 10,
          entryMinutes: 180,
          priceCents: 5000,
          validityDays: 365,
        },
      },
      coordinator,
    );
    expect(product.data!.createPassProduct.error).toBeNull();
    const issued = await gql(
      `mutation ($input: IssuePassInput!) { issuePass(input: $input) { pass { code } error { code message } } }`,
      { input: { productId: product.data!.createPassProduct.passProduct.id, holderId } },
      coordinator,
    );
    expect(issued.data!.issuePass.error).toBeNull();
    passCode = issued.data!.issuePass.pass.code;

    const lookup = await gql(
      `query ($code: String!) { pass(code: $code) { entriesLeft validAt { name address { commune } partner { slug } } } }`,
      { code: passCode },
    );
    expect(lookup).toEqual({
      data: {
        pass: {
          entriesLeft: 10,
          validAt: expect.arrayContaining([
            { name: 'La Serre', address: { commune: 'Serres' }, partner: { slug: 'baronnies' } },
            {
              name: 'Les Tuves',
              address: { commune: 'Buis-les-Baronnies' },
              partner: { slug: 'baronnies' },
            },
            { name: 'La Cantine', address: { commune: 'Toulouse' }, partner: { slug: 'cantine' } },
            { name: 'La Locomotive', address: { commune: 'Gap' }, partner: { slug: 'locomotive' } },
          ]),
        },
      },
    });
    expect(lookup.data!.pass.validAt).toHaveLength(4);

    const member = await gql(
      `query ($id: ID!) { member(id: $id) { displayName passes { entriesLeft product { name } } } }`,
      { id: holderId },
      await tokens.manager('cantine'),
    );
    expect(member).toEqual({
      data: {
        member: {
          displayName: 'Inès Benali',
          passes: [{ entriesLeft: 10, product: { name: 'Pass rural Baronnies – Gapençais' } }],
        },
      },
    });
    const spaces = await gql(
      `query ($id: ID!) { space(id: $id) { name acceptedPasses { name } } }`,
      { id: spaceIds.tuves },
    );
    expect(spaces).toEqual({
      data: {
        space: {
          name: 'Les Tuves',
          acceptedPasses: [{ name: 'Pass rural Baronnies – Gapençais' }],
        },
      },
    });
  });

  it('redeems a pass at a host partner’s space only by that partner’s manager', async () => {
    const redeem = `mutation ($input: RedeemPassInput!) { redeemPass(input: $input) { redemption { entries } error { code } } }`;
    const input = {
      code: passCode,
      spaceId: spaceIds.locomotive,
      startedAt: new Date().toISOString(),
      minutes: 200,
      idempotencyKey: 'e2e-redemption-1',
    };
    const other = await gql(redeem, { input }, await tokens.manager('cantine'));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const host = await gql(redeem, { input }, await tokens.manager('locomotive'));
    expect(host).toEqual({ data: { redeemPass: { redemption: { entries: 2 }, error: null } } });
  });

  it('keeps answering with partial data and a coded error when a partner is stopped mid-test', async () => {
    const cantine = partners[1]!;
    await cantine.close();
    const answer = await gql(
      `query ($code: String!) { pass(code: $code) { validAt { name } } spaces { totalCount } }`,
      { code: passCode },
    );
    expect(answer.data!.spaces.totalCount).toBe(3);
    expect(answer.data!.pass.validAt).toEqual([
      { name: 'La Serre' },
      { name: 'Les Tuves' },
      { name: 'La Locomotive' },
      null,
    ]);
    const codes = (answer.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.partner]);
    expect(codes).toContainEqual(['PARTNER_UNAVAILABLE', 'cantine']);
  });
});
