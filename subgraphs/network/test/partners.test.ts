import { testEngines } from '@tiers-lieux/schema/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, errorCode, viewers, type Harness } from './harness.js';
import { MEMBERS, operations, registerSeedPartners, SPACES } from './fixtures.js';
import { startSpacePartner, type TestSubgraph } from './partner-subgraphs.js';

const PARTNERS = /* GraphQL */ `
  query ($status: PartnerStatus) {
    partners(status: $status) {
      slug
      name
      kind
      territory
      status
      subgraphUrl
    }
  }
`;
const PARTNER_FIELDS =
  'partner { slug name kind territory status subgraphUrl } error { code message field }';
const REGISTER = `mutation ($input: RegisterPartnerInput!) { registerPartner(input: $input) { ${PARTNER_FIELDS} } }`;
const UPDATE = `mutation ($input: UpdatePartnerInput!) { updatePartner(input: $input) { ${PARTNER_FIELDS} } }`;
const SUSPEND = `mutation ($slug: String!) { suspendPartner(slug: $slug) { ${PARTNER_FIELDS} } }`;
const REACTIVATE = `mutation ($slug: String!) { reactivatePartner(slug: $slug) { ${PARTNER_FIELDS} } }`;
const CREATE_PRODUCT = /* GraphQL */ `
  mutation ($input: CreatePassProductInput!) {
    createPassProduct(input: $input) {
      passProduct {
        name
        seller {
          slug
        }
        validAt {
          id
        }
        entries
        entryMinutes
        price {
          amountCents
        }
        validityDays
      }
      error {
        code
        message
        field
      }
    }
  }
`;

// Registering checks the partner's subgraph: La Ruche's is a real one, started below.
const ruche = {
  slug: 'ruche',
  name: 'La Ruche',
  kind: 'COMPANY',
  territory: 'Paris',
  subgraphUrl: '',
};
let rucheSubgraph: TestSubgraph;
beforeAll(async () => {
  rucheSubgraph = await startSpacePartner('ruche');
  ruche.subgraphUrl = rucheSubgraph.url;
});
afterAll(() => rucheSubgraph?.close());
const productInput = {
  name: 'Pass Toulouse',
  sellerSlug: 'laserre',
  validAtSpaceIds: [SPACES.toulouseLaSerre, SPACES.toulouseLaCantine],
  entries: 10,
  entryMinutes: 240,
  priceCents: 12000,
  validityDays: 180,
};

describe.each(testEngines())('the partners registry on %s', (engine) => {
  let h: Harness;
  const coordinator = { viewer: viewers.coordinator };
  beforeAll(async () => {
    h = await createHarness({ engine });
    await registerSeedPartners(h);
  });
  afterAll(() => h.close());

  it('lists partners by slug, with subgraph URLs for coordinators only', async () => {
    const anonymous = await h.execute(PARTNERS);
    expect(anonymous.data!.partners.map((p: { slug: string }) => p.slug)).toEqual([
      'baronnies',
      'cantine',
      'laserre',
      'locomotive',
    ]);
    expect(
      anonymous.data!.partners.every((p: { subgraphUrl: string | null }) => p.subgraphUrl === null),
    ).toBe(true);
    expect(
      await h.execute(
        '{ partner(slug: "locomotive") { name kind territory subgraphUrl } }',
        {},
        { viewer: viewers.manager('locomotive') },
      ),
    ).toEqual({
      data: {
        partner: {
          name: 'La Locomotive',
          kind: 'ASSOCIATION',
          territory: 'Gap (Hautes-Alpes)',
          subgraphUrl: null,
        },
      },
    });
    const urls = await h.execute(PARTNERS, {}, coordinator);
    expect(urls.data!.partners.map((p: { subgraphUrl: string }) => p.subgraphUrl)).toEqual([
      'http://127.0.0.1:4101/',
      'http://127.0.0.1:4102/',
      'http://127.0.0.1:4104/',
      'http://127.0.0.1:4103/',
    ]);
    expect(await h.execute('{ partner(slug: "tournefeuille") { name } }')).toEqual({
      data: { partner: null },
    });
  });

  it('lets coordinators register, update, suspend and reactivate a partner', async () => {
    expect(await h.execute(REGISTER, { input: ruche }, coordinator)).toEqual({
      data: { registerPartner: { partner: { ...ruche, status: 'ACTIVE' }, error: null } },
    });
    const updated = await h.execute(
      UPDATE,
      { input: { slug: 'ruche', territory: 'Paris 11e' } },
      coordinator,
    );
    expect(updated.data!.updatePartner).toEqual({
      partner: { ...ruche, territory: 'Paris 11e', status: 'ACTIVE' },
      error: null,
    });
    const suspended = await h.execute(SUSPEND, { slug: 'ruche' }, coordinator);
    expect(suspended.data!.suspendPartner.partner.status).toBe('SUSPENDED');
    expect(
      (await h.execute(SUSPEND, { slug: 'ruche' }, coordinator)).data!.suspendPartner.partner
        .status,
    ).toBe('SUSPENDED');
    expect(
      (await h.execute(PARTNERS, { status: 'SUSPENDED' })).data!.partners.map(
        (p: { slug: string }) => p.slug,
      ),
    ).toEqual(['ruche']);
    const active = await h.execute(REACTIVATE, { slug: 'ruche' }, coordinator);
    expect(active.data!.reactivatePartner.partner.status).toBe('ACTIVE');
  });

  it('answers refused partner mutations with typed errors that change nothing', async () => {
    const cases: [string, string, Record<string, unknown>, unknown][] = [
      [
        'taken',
        REGISTER,
        { input: { ...ruche, slug: 'cantine' } },
        { code: 'SLUG_TAKEN', message: 'Another partner is "cantine"', field: 'input.slug' },
      ],
      [
        'bad slug',
        REGISTER,
        { input: { ...ruche, slug: 'La Ruche' } },
        {
          code: 'INVALID_INPUT',
          message:
            'input.slug must be 2 to 40 lowercase letters, digits and dashes, starting with a letter',
          field: 'input.slug',
        },
      ],
      [
        'reserved',
        REGISTER,
        { input: { ...ruche, slug: 'network' } },
        { code: 'INVALID_INPUT', message: 'input.slug "network" is reserved', field: 'input.slug' },
      ],
      [
        'bad url',
        REGISTER,
        { input: { ...ruche, slug: 'comptoir', subgraphUrl: 'ftp://x' } },
        {
          code: 'INVALID_INPUT',
          message: 'input.subgraphUrl must be an http(s) URL',
          field: 'input.subgraphUrl',
        },
      ],
      [
        'empty name',
        UPDATE,
        { input: { slug: 'cantine', name: '  ' } },
        { code: 'INVALID_INPUT', message: 'input.name must not be empty', field: 'input.name' },
      ],
      [
        'unknown update',
        UPDATE,
        { input: { slug: 'nowhere', name: 'X' } },
        {
          code: 'UNKNOWN_PARTNER',
          message: 'The network has no partner "nowhere"',
          field: 'input.slug',
        },
      ],
      [
        'unknown suspend',
        SUSPEND,
        { slug: 'nowhere' },
        { code: 'UNKNOWN_PARTNER', message: 'The network has no partner "nowhere"', field: 'slug' },
      ],
    ];
    for (const [name, mutation, variables, error] of cases) {
      const before = await h.snapshot();
      const result = await h.execute(mutation, variables, coordinator);
      expect(Object.values(result.data!)[0], name).toEqual({ partner: null, error });
      expect(await h.snapshot(), name).toEqual(before);
    }
  });

  it('refuses registry and product mutations to everyone but coordinators, with coded errors', async () => {
    const mutations: [string, Record<string, unknown>][] = [
      [REGISTER, { input: { ...ruche, slug: 'comptoir' } }],
      [UPDATE, { input: { slug: 'cantine', name: 'X' } }],
      [SUSPEND, { slug: 'cantine' }],
      [REACTIVATE, { slug: 'cantine' }],
      [CREATE_PRODUCT, { input: productInput }],
    ];
    const before = await h.snapshot();
    for (const [mutation, variables] of mutations) {
      for (const [viewer, code] of [
        [viewers.anonymous, 'UNAUTHENTICATED'],
        [viewers.member(MEMBERS.inesBenali), 'FORBIDDEN'],
        [viewers.manager('laserre'), 'FORBIDDEN'],
      ] as const) {
        const result = await h.execute(mutation, variables, { viewer });
        expect(result.data ?? null, mutation).toBeNull();
        expect(errorCode(result), mutation).toBe(code);
      }
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it('creates pass products valid at spaces of registered partners only', async () => {
    expect(await h.execute(CREATE_PRODUCT, { input: productInput }, coordinator)).toEqual({
      data: {
        createPassProduct: {
          passProduct: {
            name: 'Pass Toulouse',
            seller: { slug: 'laserre' },
            validAt: [{ id: SPACES.toulouseLaSerre }, { id: SPACES.toulouseLaCantine }],
            entries: 10,
            entryMinutes: 240,
            price: { amountCents: 12000 },
            validityDays: 180,
          },
          error: null,
        },
      },
    });
    const network = await h.execute(
      CREATE_PRODUCT,
      { input: { ...productInput, name: 'Pass réseau', sellerSlug: null } },
      coordinator,
    );
    expect(network.data!.createPassProduct.passProduct.seller).toBeNull();
    const elsewhere = 'comptoir:space:0b3c2a0e-5a1f-4a57-9d7e-2f1c1d7f4a10';
    const cases: [string, Record<string, unknown>, unknown][] = [
      [
        'unknown host',
        { validAtSpaceIds: [SPACES.toulouseLaSerre, elsewhere] },
        {
          code: 'UNKNOWN_PARTNER',
          message: 'The network has no partner "comptoir"',
          field: 'input.validAtSpaceIds.1',
        },
      ],
      [
        'unknown seller',
        { sellerSlug: 'comptoir' },
        {
          code: 'UNKNOWN_PARTNER',
          message: 'The network has no partner "comptoir"',
          field: 'input.sellerSlug',
        },
      ],
      [
        'no space',
        { validAtSpaceIds: [] },
        {
          code: 'INVALID_INPUT',
          message: 'input.validAtSpaceIds must hold at least one space',
          field: 'input.validAtSpaceIds',
        },
      ],
      [
        'twice',
        {
          validAtSpaceIds: [
            SPACES.toulouseLaSerre,
            SPACES.toulouseLaSerre.toUpperCase().replace('LASERRE:SPACE', 'laserre:space'),
          ],
        },
        {
          code: 'INVALID_INPUT',
          message: 'input.validAtSpaceIds names a space twice',
          field: 'input.validAtSpaceIds',
        },
      ],
      [
        'member id',
        { validAtSpaceIds: [MEMBERS.inesBenali] },
        {
          code: 'INVALID_INPUT',
          message: 'input.validAtSpaceIds.0 is not a space id of the form <partner>:space:<uuid>',
          field: 'input.validAtSpaceIds.0',
        },
      ],
      [
        'no entries',
        { entries: 0 },
        {
          code: 'INVALID_INPUT',
          message: 'input.entries must be an integer from 1 to 1000',
          field: 'input.entries',
        },
      ],
      [
        'negative price',
        { priceCents: -1 },
        {
          code: 'INVALID_INPUT',
          message: 'input.priceCents must be an integer from 0 to 10000000',
          field: 'input.priceCents',
        },
      ],
    ];
    for (const [name, change, error] of cases) {
      const before = await h.snapshot();
      const result = await h.execute(
        CREATE_PRODUCT,
        { input: { ...productInput, ...change } },
        coordinator,
      );
      expect(result, name).toEqual({ data: { createPassProduct: { passProduct: null, error } } });
      expect(await h.snapshot(), name).toEqual(before);
    }
  });

  it('lists the products a partner sells and those a space accepts, and looks one up by id', async () => {
    const op = operations(h);
    const id = await op.product({
      name: 'Carte Locomotive',
      sellerSlug: 'locomotive',
      validAtSpaceIds: [SPACES.gapLaLocomotive],
    });
    const result = await h.execute(
      `query ($id: ID!) {
        partner(slug: "locomotive") { passProducts { totalCount edges { node { id name } } } }
        passProduct(id: $id) { name validAt { id partner { slug } acceptedPasses { name } } }
      }`,
      { id },
    );
    expect(result).toEqual({
      data: {
        partner: {
          passProducts: { totalCount: 1, edges: [{ node: { id, name: 'Carte Locomotive' } }] },
        },
        passProduct: {
          name: 'Carte Locomotive',
          validAt: [
            {
              id: SPACES.gapLaLocomotive,
              partner: { slug: 'locomotive' },
              acceptedPasses: [{ name: 'Carte Locomotive' }],
            },
          ],
        },
      },
    });
    expect(errorCode(await h.execute('{ passProduct(id: "pass:1") { name } }'))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('sells no pass for a suspended seller', async () => {
    const op = operations(h);
    const id = await op.product({
      sellerSlug: 'cantine',
      validAtSpaceIds: [SPACES.toulouseLaCantine],
    });
    await h.execute(SUSPEND, { slug: 'cantine' }, coordinator);
    const before = await h.snapshot();
    const result = await h.execute(
      'mutation ($input: IssuePassInput!) { issuePass(input: $input) { pass { id } error { code message field } } }',
      { input: { productId: id, holderId: MEMBERS.inesBenali } },
      { viewer: viewers.manager('cantine') },
    );
    expect(result).toEqual({
      data: {
        issuePass: {
          pass: null,
          error: {
            code: 'PARTNER_SUSPENDED',
            message: 'cantine is suspended and sells no pass',
            field: null,
          },
        },
      },
    });
    expect(await h.snapshot()).toEqual(before);
    await h.execute(REACTIVATE, { slug: 'cantine' }, coordinator);
  });

  it('holds at most 100 partners, the bound Query.partners is priced at', async () => {
    const count = async () => (await h.execute(PARTNERS)).data!.partners.length as number;
    for (let i = await count(); i < 100; i++) {
      const input = { ...ruche, slug: `partner-${i}`, subgraphUrl: `${ruche.subgraphUrl}?p=${i}` };
      expect((await h.execute(REGISTER, { input }, coordinator)).data!.registerPartner.error).toBe(
        null,
      );
    }
    const before = await h.snapshot();
    expect(
      await h.execute(REGISTER, { input: { ...ruche, slug: 'one-too-many' } }, coordinator),
    ).toEqual({
      data: {
        registerPartner: {
          partner: null,
          error: {
            code: 'NETWORK_FULL',
            message: 'The network holds the most partners it can (100)',
            field: null,
          },
        },
      },
    });
    expect(await h.snapshot()).toEqual(before);
    expect(await count()).toBe(100);
  });
});
