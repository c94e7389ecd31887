import { readSdl } from '@tiers-lieux/schema';
import { composeOrThrow } from '@tiers-lieux/schema/compose';
import { Kind, parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedNetwork } from '../src/seed/index.js';
import { SEED_MEMBER_IDS, SEED_PRODUCT_IDS, SEED_SPACE_IDS } from '../src/seed/network.js';
import { createHarness, viewers, type Harness } from './harness.js';

const ENTITIES = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      __typename
      ... on Space {
        id
        partner {
          slug
          name
        }
        acceptedPasses {
          id
          name
        }
      }
      ... on Member {
        id
        passes {
          id
          code
          entriesLeft
        }
      }
      ... on Partner {
        slug
        name
        kind
        territory
        status
        subgraphUrl
      }
      ... on PassProduct {
        id
        name
        entries
        entryMinutes
        price {
          amountCents
          currency
        }
        seller {
          slug
        }
        validAt {
          id
        }
      }
      ... on Pass {
        id
        code
        entriesTotal
        entriesLeft
        passStatus: status
        holder {
          id
        }
      }
    }
  }
`;

const TOULOUSE_PASS = `pass-product:${SEED_PRODUCT_IDS.toulousePass}`;
const SERRES_CARD = `pass-product:${SEED_PRODUCT_IDS.serresCard}`;
const RURAL_PASS = `pass-product:${SEED_PRODUCT_IDS.ruralPass}`;
const CAMILLE_PASS = 'pass:03c95e3e-6b84-4ac9-b2c6-1114503a9fc2';

describe('entities of the network subgraph, fetched as the gateway does', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
    await seedNetwork(h.db, new Date());
  });
  afterAll(() => h.close());

  it('resolves Space references with their partner and accepted passes, in order, in one query per kind', async () => {
    h.resetStatements();
    const ids = [
      SEED_SPACE_IDS.serresLaSerre,
      SEED_SPACE_IDS.toulouseLaCantine,
      'ruche:space:0b3c2a0e-5a1f-4a57-9d7e-2f1c1d7f4a10',
      'not an id',
    ];
    const result = await h.execute(ENTITIES, { r: ids.map((id) => ({ __typename: 'Space', id })) });
    expect(result).toEqual({
      data: {
        _entities: [
          {
            __typename: 'Space',
            id: SEED_SPACE_IDS.serresLaSerre,
            partner: { slug: 'baronnies', name: 'Parc naturel régional des Baronnies provençales' },
            acceptedPasses: [
              { id: SERRES_CARD, name: 'Carte d’abonnement 10 entrées La Serre (Serres)' },
              { id: RURAL_PASS, name: 'Pass rural Baronnies – Gapençais' },
            ],
          },
          {
            __typename: 'Space',
            id: SEED_SPACE_IDS.toulouseLaCantine,
            partner: { slug: 'cantine', name: 'La Cantine' },
            acceptedPasses: [{ id: TOULOUSE_PASS, name: 'Pass co-working Toulouse' }],
          },
          {
            __typename: 'Space',
            id: 'ruche:space:0b3c2a0e-5a1f-4a57-9d7e-2f1c1d7f4a10',
            partner: null,
            acceptedPasses: [],
          },
          { __typename: 'Space', id: 'not an id', partner: null, acceptedPasses: [] },
        ],
      },
    });
    expect(h.statements()).toHaveLength(2);
  });

  it('resolves Partner references by slug, null for an unknown slug, the URL for coordinators only', async () => {
    const r = ['laserre', 'nowhere', 'baronnies'].map((slug) => ({ __typename: 'Partner', slug }));
    const anonymous = await h.execute(ENTITIES, { r });
    expect(anonymous).toEqual({
      data: {
        _entities: [
          {
            __typename: 'Partner',
            slug: 'laserre',
            name: 'La Serre',
            kind: 'COOPERATIVE',
            territory: 'Toulouse',
            status: 'ACTIVE',
            subgraphUrl: null,
          },
          null,
          {
            __typename: 'Partner',
            slug: 'baronnies',
            name: 'Parc naturel régional des Baronnies provençales',
            kind: 'REGIONAL_NATURAL_PARK',
            territory: 'Baronnies provençales (Drôme, Hautes-Alpes)',
            status: 'ACTIVE',
            subgraphUrl: null,
          },
        ],
      },
    });
    const coordinator = await h.execute(ENTITIES, { r }, { viewer: viewers.coordinator });
    expect(
      coordinator.data!._entities.map(
        (p: { subgraphUrl: string } | null) => p?.subgraphUrl ?? null,
      ),
    ).toEqual(['http://127.0.0.1:4104/', null, 'http://127.0.0.1:4101/']);
  });

  it('resolves PassProduct references with their terms and spaces', async () => {
    const r = [SERRES_CARD, 'pass-product:00000000-0000-4000-8000-000000000000', 'pass:nope'].map(
      (id) => ({
        __typename: 'PassProduct',
        id,
      }),
    );
    expect(await h.execute(ENTITIES, { r })).toEqual({
      data: {
        _entities: [
          {
            __typename: 'PassProduct',
            id: SERRES_CARD,
            name: 'Carte d’abonnement 10 entrées La Serre (Serres)',
            entries: 10,
            entryMinutes: 180,
            price: { amountCents: 5000, currency: 'EUR' },
            seller: { slug: 'baronnies' },
            validAt: [{ id: SEED_SPACE_IDS.serresLaSerre }],
          },
          null,
          null,
        ],
      },
    });
  });

  it('resolves Pass references: the balance for anyone, the code and holder for those allowed', async () => {
    const r = [{ __typename: 'Pass', id: CAMILLE_PASS }];
    const expected = (code: string | null, holder: { id: string } | null) => ({
      data: {
        _entities: [
          {
            __typename: 'Pass',
            id: CAMILLE_PASS,
            code,
            entriesTotal: 10,
            entriesLeft: 4,
            passStatus: 'ACTIVE',
            holder,
          },
        ],
      },
    });
    expect(await h.execute(ENTITIES, { r })).toEqual(expected(null, null));
    expect(await h.execute(ENTITIES, { r }, { viewer: viewers.manager('cantine') })).toEqual(
      expected(null, null),
    );
    const holder = { id: SEED_MEMBER_IDS.camilleRoux };
    expect(
      await h.execute(ENTITIES, { r }, { viewer: viewers.member(SEED_MEMBER_IDS.camilleRoux) }),
    ).toEqual(expected('XM5B-659N-D5F7', holder));
    expect(await h.execute(ENTITIES, { r }, { viewer: viewers.manager('baronnies') })).toEqual(
      expected('XM5B-659N-D5F7', holder),
    );
  });

  it('resolves Member references with their passes for the member, their managers and coordinators only', async () => {
    const r = [SEED_MEMBER_IDS.inesBenali, SEED_MEMBER_IDS.camilleRoux].map((id) => ({
      __typename: 'Member',
      id,
    }));
    const ines = [
      { id: 'pass:d7ef0e3e-fcbe-4373-9325-253d54b01ef9', code: 'DMVX-A3W0-KMQ4', entriesLeft: 5 },
    ];
    const camille = [{ id: CAMILLE_PASS, code: 'XM5B-659N-D5F7', entriesLeft: 4 }];
    const members = (a: unknown[], b: unknown[]) => ({
      data: {
        _entities: [
          { __typename: 'Member', id: SEED_MEMBER_IDS.inesBenali, passes: a },
          { __typename: 'Member', id: SEED_MEMBER_IDS.camilleRoux, passes: b },
        ],
      },
    });
    expect(await h.execute(ENTITIES, { r })).toEqual(members([], []));
    expect(
      await h.execute(ENTITIES, { r }, { viewer: viewers.member(SEED_MEMBER_IDS.inesBenali) }),
    ).toEqual(members(ines, []));
    expect(await h.execute(ENTITIES, { r }, { viewer: viewers.manager('baronnies') })).toEqual(
      members([], camille),
    );
    h.resetStatements();
    expect(await h.execute(ENTITIES, { r }, { viewer: viewers.coordinator })).toEqual(
      members(ines, camille),
    );
    expect(h.statements()).toHaveLength(1);
  });

  it('serves through _service an SDL with its entity keys, which composes with the partner contract', async () => {
    const result = await h.execute('{ _service { sdl } }');
    const sdl: string = result.data!._service.sdl;
    const keys = Object.fromEntries(
      parse(sdl).definitions.flatMap((definition) => {
        if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return [];
        const key = definition.directives?.find((d) => d.name.value === 'key');
        return key ? [[definition.name.value, print(key.arguments![0]!.value)]] : [];
      }),
    );
    expect(keys).toEqual({
      Partner: '"slug"',
      Space: '"id"',
      Member: '"id"',
      PassProduct: '"id"',
      Pass: '"id"',
      Person: '"id"',
      Booking: '"id"',
    });
    const supergraph = composeOrThrow([
      { name: 'space', url: 'http://127.0.0.1:4101/', sdl: readSdl('space') },
      { name: 'network', url: 'http://127.0.0.1:4100/', sdl },
    ]);
    expect(supergraph).toContain(
      '  ): [PassProduct!] @join__field(graph: NETWORK) @listSize(slicingArguments: ["first"])',
    );
  });
});
