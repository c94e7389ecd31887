import { parse, print, visit } from 'graphql';
import { COMMUNES, NEAR_ME } from './places.js';
import { Random } from './random.js';
import { CALENDAR, DIRECTORY, PASS, SPACE_PAGE } from './workspace.js';

/**
 * The operations the frontends send: the web page's own documents (web/src/graphql) with the
 * variables its pages use, and a host recording a visit. Where an operation must go to one
 * partner subgraph directly, it is the same document without what the network subgraph adds
 * to a space (its partner, the passes it accepts): what a space's own site would ask.
 */
export type OperationName =
  | 'directory'
  | 'nearMe'
  | 'calendar'
  | 'spacePage'
  | 'passLookup'
  | 'redemption'
  | 'spaceSite'
  | 'mixed';

export const TITLES: Record<OperationName, string> = {
  directory: 'Directory, first page with filters',
  nearMe: '"Near me" search',
  calendar: 'Network calendar, coming week',
  spacePage: 'Space page with its events',
  passLookup: 'Pass lookup, spaces across partners',
  redemption: 'Redemption (coordinator)',
  spaceSite: "Space page, its partner's part",
  mixed: "Mixed: the web page's operations, drawn with distinct variables",
};

export interface Operation {
  /** An `OperationName`, or the name of a section's own operation. */
  name: string;
  title: string;
  /** The next request body; operations rotate over ids so caches see many keys. */
  body: () => string;
  /** Headers of one request, made for its body (a viewer header is bound to its request). */
  headersFor?: (body: string) => Record<string, string>;
  /** Whether an answer is a success (data and no error). */
  verify: (body: string) => boolean;
}

/** Fields the network subgraph adds to a partner's space. */
const NETWORK_FIELDS = new Set(['partner', 'acceptedPasses']);

/** The document without the network's fields: what one partner subgraph answers on its own. */
export function partnersPart(document: string): string {
  return print(
    visit(parse(document), {
      Field: (node) => (NETWORK_FIELDS.has(node.name.value) ? null : undefined),
    }),
  );
}

const REDEEM = /* GraphQL */ `
  mutation Redeem($input: RedeemPassInput!) {
    redeemPass(input: $input) {
      redemption {
        id
        entries
        minutes
        amount {
          amountCents
          currency
        }
        pass {
          entriesLeft
        }
      }
      error {
        code
        message
      }
    }
  }
`;

/** What the operations need from a generated network (a calendar needs nothing). */
export interface Samples {
  /** Space ids for the space page (of one partner, so that it can be sent to it directly). */
  spaceIds: string[];
  /** Pass codes for the pass lookup. */
  passCodes: string[];
  /** Passes with a large balance and a space where each is valid. */
  redemptions: { code: string; spaceId: string }[];
}

const succeeded = (body: string) => body.includes('"data"') && !body.includes('"errors"');

function rotate<T>(items: readonly T[], what: string): () => T {
  let i = 0;
  return () => {
    if (items.length === 0) throw new Error(`the network has no ${what} to load`);
    return items[i++ % items.length]!;
  };
}

const request = (query: string, variables: Record<string, unknown>) =>
  JSON.stringify({ query, variables });

/** The web directory's page size, and the filters of its first page here. */
const DIRECTORY_PAGE = 30;
const DIRECTORY_FILTER = {
  statuses: ['OPEN', 'PROJECT'],
  kinds: ['COWORKING'],
  amenities: ['WIFI'],
};

/** The partner's part of a directory request for a page of `first` spaces. */
export const directoryRequest = (first: number) =>
  request(partnersPart(DIRECTORY), {
    filter: DIRECTORY_FILTER,
    first,
    at: new Date().toISOString(),
  });

const KINDS = ['COWORKING', 'FAB_LAB', 'TELECENTRE', 'TIERS_LIEU', 'ESPACE_PUBLIC_NUMERIQUE'];
const AMENITIES = ['WIFI', 'FIBRE', 'MEETING_ROOM', 'PRINTER', 'KITCHEN', 'PARKING'];
const WORDS = ['coworking', 'atelier', 'fab', 'numérique', 'tiers-lieu', 'maison'];

/**
 * What many visitors of the web page send at once: its operations in the proportions a
 * directory sees (the directory and space pages most), each with its own variables (filters,
 * page sizes, places and radii, calendar windows) and spaces whose popularity is skewed (a few
 * pages are asked often, most seldom). Drawn from a seeded generator, so that every run
 * draws from the same distribution; identical requests in flight together are then as rare as with
 * real visitors, and sharing them cannot carry the figure.
 */
function mixedBodies(samples: Samples, now: Date, seed: number): () => string {
  const random = new Random(seed);
  const popularSpace = () => {
    // A power law over the list: the first spaces are the popular ones.
    const index = Math.floor(samples.spaceIds.length * random.next() ** 2.5);
    return samples.spaceIds[index]!;
  };
  const directoryFilter = () => ({
    statuses: random.chance(0.7) ? ['OPEN'] : ['OPEN', 'PROJECT'],
    ...(random.chance(0.5) ? { kinds: random.subset(KINDS, 1, 2) } : {}),
    ...(random.chance(0.4) ? { amenities: random.subset(AMENITIES, 1, 2) } : {}),
    ...(random.chance(0.25) ? { text: random.pick(WORDS) } : {}),
  });
  const draws: [number, () => string][] = [
    [
      35,
      () =>
        request(DIRECTORY, {
          filter: directoryFilter(),
          first: random.pick([10, 20, 30]),
          at: now.toISOString(),
        }),
    ],
    [
      15,
      () => {
        const town = random.pick(COMMUNES);
        const near = {
          lat: town.lat + (random.next() - 0.5) * 0.1,
          lon: town.lon + (random.next() - 0.5) * 0.1,
          radiusKm: random.int(10, 100),
        };
        return request(DIRECTORY, {
          filter: { statuses: ['OPEN', 'PROJECT'], near },
          first: DIRECTORY_PAGE,
          at: now.toISOString(),
        });
      },
    ],
    [30, () => request(SPACE_PAGE, { id: popularSpace() })],
    [
      10,
      () => {
        const from = new Date(now.getTime() + random.int(0, 20) * 86_400_000);
        const days = random.pick([7, 7, 14, 31]);
        return request(CALENDAR, {
          filter: {
            from: from.toISOString(),
            to: new Date(from.getTime() + days * 86_400_000).toISOString(),
          },
          first: random.pick([50, 100, 200]),
        });
      },
    ],
    [10, () => request(PASS, { code: random.pick(samples.passCodes) })],
  ];
  const total = draws.reduce((sum, [weight]) => sum + weight, 0);
  return () => {
    let draw = random.next() * total;
    for (const [weight, body] of draws) {
      draw -= weight;
      if (draw < 0) return body();
    }
    return draws[0]![1]();
  };
}

/** The operations over a network's samples; "the coming week" starts at `now`. */
export function operations(
  samples: Samples,
  now: Date,
  runTag: string,
): Record<OperationName, Operation> {
  const spaceId = rotate(samples.spaceIds, 'space');
  const passCode = rotate(samples.passCodes, 'pass');
  const target = rotate(samples.redemptions, 'pass to redeem');
  const week = {
    from: now.toISOString(),
    to: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
  };
  // Visits are recorded as they end: two hours ago, one entry of an hour.
  const startedAt = new Date(now.getTime() - 2 * 3_600_000).toISOString();
  const spaceSite = partnersPart(SPACE_PAGE);
  let key = 0;
  const found = (field: string) => (body: string) =>
    succeeded(body) && !body.includes(`"${field}":null`);
  return {
    directory: {
      name: 'directory',
      title: TITLES.directory,
      body: () =>
        request(DIRECTORY, {
          filter: DIRECTORY_FILTER,
          first: DIRECTORY_PAGE,
          at: now.toISOString(),
        }),
      verify: succeeded,
    },
    nearMe: {
      name: 'nearMe',
      title: TITLES.nearMe,
      body: () =>
        request(DIRECTORY, {
          filter: { statuses: DIRECTORY_FILTER.statuses, near: NEAR_ME },
          first: DIRECTORY_PAGE,
          at: now.toISOString(),
        }),
      verify: succeeded,
    },
    calendar: {
      name: 'calendar',
      title: TITLES.calendar,
      // The web calendar asks for 200 events at once.
      body: () => request(CALENDAR, { filter: week, first: 200 }),
      verify: succeeded,
    },
    spacePage: {
      name: 'spacePage',
      title: TITLES.spacePage,
      body: () => request(SPACE_PAGE, { id: spaceId() }),
      verify: found('space'),
    },
    spaceSite: {
      name: 'spaceSite',
      title: TITLES.spaceSite,
      body: () => request(spaceSite, { id: spaceId() }),
      verify: found('space'),
    },
    passLookup: {
      name: 'passLookup',
      title: TITLES.passLookup,
      body: () => request(PASS, { code: passCode() }),
      verify: found('pass'),
    },
    mixed: {
      name: 'mixed',
      title: TITLES.mixed,
      body: mixedBodies(samples, now, 20261130),
      verify: succeeded,
    },
    redemption: {
      name: 'redemption',
      title: TITLES.redemption,
      body: () => {
        const { code, spaceId } = target();
        return request(REDEEM, {
          input: {
            code,
            spaceId,
            startedAt,
            minutes: 60,
            idempotencyKey: `bench-${runTag}-${++key}`,
          },
        });
      },
      verify: (body) => succeeded(body) && body.includes('"error":null'),
    },
  };
}
