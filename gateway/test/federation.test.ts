import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { readSdl } from '@tiers-lieux/schema';
import { composeOrThrow } from '@tiers-lieux/schema/compose';
import { GraphQLError, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultyProxy,
  post,
  startGateway,
  startPartner,
  type RunningPartner,
} from '../src/testing/index.js';

async function serve(typeDefs: string, resolvers: Record<string, unknown>) {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }),
  });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return { url, stop: () => server.stop() };
}

describe('with one partner, on a supergraph that is not ours', () => {
  const CATALOG = /* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Product @key(fields: "id") {
      id: ID!
      name: String!
      price: Int
    }
    type Query {
      product(id: ID!): Product
      products: [Product!]!
      broken: String
    }
  `;
  const REVIEWS = /* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Review {
      body: String!
      product: Product
    }
    type Product @key(fields: "id") {
      id: ID!
      reviews: [Review!]!
    }
    type Query {
      reviews: [Review!]!
    }
  `;
  const products = new Map([
    ['1', { id: '1', name: 'Carte 10 entrées', price: 5000 }],
    ['2', { id: '2', name: 'Pass co-working', price: 9000 }],
  ]);
  const reviews = [
    { body: 'Parfait pour télétravailler', productId: '1' },
    { body: 'Introuvable', productId: '404' },
    { body: 'Pratique entre La Serre et La Cantine', productId: '2' },
  ];
  let servers: { url: string; stop(): Promise<void> }[] = [];
  let ours: Awaited<ReturnType<typeof startGateway>>;
  let plain: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    const catalog = await serve(CATALOG, {
      Query: {
        product: (_: unknown, { id }: { id: string }) => products.get(id) ?? null,
        products: () => [...products.values()],
        broken: () => {
          throw new GraphQLError('The catalogue is closed', {
            extensions: { code: 'CATALOGUE_CLOSED' },
          });
        },
      },
      Product: { __resolveReference: ({ id }: { id: string }) => products.get(id) ?? null },
    });
    const reviewSubgraph = await serve(REVIEWS, {
      Query: { reviews: () => reviews },
      Review: {
        product: (r: { productId: string }) => ({ __typename: 'Product', id: r.productId }),
      },
      Product: { reviews: ({ id }: { id: string }) => reviews.filter((r) => r.productId === id) },
    });
    servers = [catalog, reviewSubgraph];
    const supergraphSdl = composeOrThrow([
      { name: 'catalog', url: catalog.url, sdl: CATALOG },
      { name: 'reviews', url: reviewSubgraph.url, sdl: REVIEWS },
    ]);
    ours = await startGateway({
      supergraphSdl,
      partnerSubgraph: 'catalog',
      partnerContractSdl: CATALOG,
      partners: [{ slug: 'shop', url: catalog.url, status: 'ACTIVE' }],
      viewerSigningKey: undefined,
      auth: null,
    });
    const gateway = new ApolloGateway({
      supergraphSdl,
      buildService: ({ url }) => new RemoteGraphQLDataSource({ url }),
    });
    const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: true });
    const started = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
    plain = { url: started.url, stop: () => server.stop() };
  });
  afterAll(async () => {
    await ours?.stop();
    await plain?.stop();
    for (const s of servers) await s.stop();
  });

  const operations = [
    `{ products { id name price reviews { body } } }`,
    `{ reviews { body product { name price } } }`,
    `{ product(id: "2") { name reviews { body product { id } } } }`,
    `{ product(id: "404") { name } }`,
    `{ broken products { name } }`,
    `{ nope }`,
    `{ a: product(id: "1") { name } b: product(id: "2") { name } }`,
  ];

  it('answers exactly what a plain @apollo/gateway answers, data and errors', async () => {
    for (const query of operations) {
      const [mine, theirs] = await Promise.all([
        post(ours.graphqlUrl, query),
        post(plain.url, query),
      ]);
      expect(mine, query).toEqual(theirs);
    }
    console.log(`identical answers to a plain @apollo/gateway for ${operations.length} operations`);
  });
});

describe('entities of several partners in one fetch', () => {
  const REVIEWS = /* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Review {
      body: String!
      space: Space
    }
    type Space @key(fields: "id", resolvable: false) {
      id: ID!
    }
    type Query {
      reviews: [Review!]!
    }
  `;
  const partners: RunningPartner[] = [];
  let ids: string[] = [];
  let reviewsServer: { url: string; stop(): Promise<void> };
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const down = new FaultyProxy('http://127.0.0.1:1/');

  beforeAll(async () => {
    for (const slug of ['baronnies', 'cantine', 'locomotive'])
      partners.push(await startPartner(slug));
    const [serres, tuves] = await partners[0]!.seed.spaces([
      { name: 'La Serre' },
      { name: 'Les Tuves' },
    ]);
    const cantine = await partners[1]!.seed.space({ name: 'La Cantine' });
    const locomotive = await partners[2]!.seed.space({ name: 'La Locomotive' });
    await down.start();
    down.mode = 'hang';
    ids = [
      tuves!.publicId,
      cantine.publicId,
      'atlantis:space:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31',
      locomotive.publicId,
      'ghost:space:6f1d2c3a-8b7e-4c1a-9d2e-0a5b7c9e1f31',
      serres!.publicId,
    ];
    reviewsServer = await serve(REVIEWS, {
      Query: { reviews: () => ids.map((id, i) => ({ body: `avis ${i}`, space: { id } })) },
    });
    gateway = await startGateway({
      supergraphSdl: composeOrThrow([
        { name: 'space', url: 'http://127.0.0.1:1/', sdl: readSdl('space') },
        { name: 'reviews', url: reviewsServer.url, sdl: REVIEWS },
      ]),
      partners: [
        ...partners.map((p) => ({ slug: p.slug, url: p.url, status: 'ACTIVE' as const })),
        { slug: 'ghost', url: down.url, status: 'ACTIVE' },
      ],
      partnerTimeoutMs: 300,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await reviewsServer?.stop();
    await down.close();
    for (const p of partners) await p.close();
  });

  it('partitions representations by partner and reassembles them in order, errors at their paths', async () => {
    const answer = await post(
      gateway.graphqlUrl,
      `{ reviews { body space { name partnerSlug } } }`,
    );
    expect(answer.data).toEqual({
      reviews: [
        { body: 'avis 0', space: { name: 'Les Tuves', partnerSlug: 'baronnies' } },
        { body: 'avis 1', space: { name: 'La Cantine', partnerSlug: 'cantine' } },
        { body: 'avis 2', space: null },
        { body: 'avis 3', space: { name: 'La Locomotive', partnerSlug: 'locomotive' } },
        { body: 'avis 4', space: null },
        { body: 'avis 5', space: { name: 'La Serre', partnerSlug: 'baronnies' } },
      ],
    });
    expect(answer.errors).toEqual([
      expect.objectContaining({
        path: ['reviews', 2, 'space'],
        extensions: expect.objectContaining({ code: 'UNKNOWN_PARTNER', partner: 'atlantis' }),
      }),
      expect.objectContaining({
        path: ['reviews', 4, 'space'],
        extensions: expect.objectContaining({ code: 'PARTNER_TIMEOUT', partner: 'ghost' }),
      }),
    ]);
  });
});
