import type { Databases, StatementCounter } from './databases.js';
import { startNetwork } from './network.js';
import { directoryRequest } from './operations.js';
import {
  SEEDED_PEOPLE,
  seededPersonId,
  NETWORK_PASSES,
  PASS_SALES,
  signViewerSync,
  VIEWER_HEADER,
  type BoundRequest,
} from './workspace.js';

export interface StatementCount {
  spaces: number;
  /**
   * The page size asked for, and the spaces the page held; 0 for the partner's figures of the
   * coordinators' console (its four aggregates over a year, and the rows they answered);
   * `FREE_RESOURCES` for the search of free resources (and the resources it found).
   */
  first: number;
  edges: number;
  /** SQL statements the partner subgraph sent per request. */
  statements: number;
}

const REQUESTS = 10;

/** SQL statements the network subgraph sends for one request of the coordinators' console. */
export interface NetworkStatementCount {
  /** Passes the network holds. */
  passes: number;
  request: NetworkRequest;
  /** Rows the request answered: buckets of the three groupings, or passes in the page. */
  rows: number;
  statements: number;
}

/**
 * The requests of the "Réseau" console's pass pages: `passSales` by product, seller and month
 * over the year (one request, three fields), the first page of `passes`, and a page of a
 * search by the start of a code.
 */
export type NetworkRequest = 'sales' | 'passes' | 'search';

/**
 * Asks once to warm up, then `REQUESTS` times: the rows the last answer held and the statements
 * `counter` saw per request.
 */
async function perRequest(
  counter: StatementCounter,
  ask: () => Promise<number>,
): Promise<{ rows: number; statements: number }> {
  await ask();
  counter.statements = 0;
  let rows = 0;
  for (let i = 0; i < REQUESTS; i++) rows = await ask();
  return { rows, statements: counter.statements / REQUESTS };
}

/**
 * POSTs a GraphQL request, signed for a coordinator when `sign` is given, with `headers`; its
 * data, or an error when it has none or has errors.
 */
export async function post<Data>(
  url: string,
  body: string,
  sign: { audience: string; signingKey: string } | null,
  headers: Record<string, string> = {},
): Promise<Data> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...headers,
      ...(sign
        ? {
            [VIEWER_HEADER]: signViewerSync(COORDINATOR, sign.signingKey, {
              audience: sign.audience,
              request: JSON.parse(body) as BoundRequest,
            }),
          }
        : {}),
    },
    body,
  });
  const answer = (await response.json()) as { data?: Data | null; errors?: unknown[] };
  if (!answer.data || answer.errors) throw new Error(`request failed: ${JSON.stringify(answer)}`);
  return answer.data;
}

/** `first` of the rows counting the search of free resources (a room in every space). */
export const FREE_RESOURCES = -1;

/** "A room for 4 for two hours" on the day after `now`, the partner's part of the search. */
function freeResourcesRequest(now: Date): string {
  const from = new Date(now.getTime() + 86_400_000);
  const to = new Date(from.getTime() + 12 * 3_600_000);
  return JSON.stringify({
    query: /* GraphQL */ `
      query Free($filter: FreeResourceFilter!) {
        freeResources(filter: $filter, first: 100) {
          totalCount
          edges {
            node {
              id
              name
              capacity
              firstFreeAt
              pricePerHour {
                amountCents
                currency
              }
              space {
                id
                name
              }
            }
          }
        }
      }
    `,
    variables: {
      filter: { from: from.toISOString(), to: to.toISOString(), minutes: 120, minCapacity: 4 },
    },
  });
}

/**
 * SQL statements per directory request, counted by drizzle's logger in a partner subgraph
 * running in this process, for partners holding each number of spaces, with the web page's
 * first page (30) and a long page (200): the count must not follow the size of the result.
 */
export async function countStatements(
  databases: Databases,
  params: {
    spaceCounts: number[];
    seed: number;
    now: Date;
    viewerPublicKey: string;
    viewerSigningKey: string;
  },
): Promise<StatementCount[]> {
  const counts: StatementCount[] = [];
  for (const spaces of params.spaceCounts) {
    const network = await startNetwork(databases, {
      size: { partners: 1, spaces, events: spaces * 20, members: spaces * 50, passes: 0 },
      seed: params.seed,
      now: params.now,
      viewerPublicKey: params.viewerPublicKey,
      withNetwork: false,
    });
    try {
      const partner = network.partners[0]!;
      const count = async (first: number, ask: () => Promise<number>) => {
        const { rows, statements } = await perRequest(network.counter, ask);
        counts.push({ spaces, first, edges: rows, statements });
      };
      for (const first of [30, 200]) {
        await count(first, async () => {
          const data = await post<{ spaces: { edges: unknown[] } }>(
            partner.url,
            directoryRequest(first),
            null,
          );
          return data.spaces.edges.length;
        });
      }
      await count(0, async () => {
        const data = await post<Record<string, unknown[]>>(
          partner.url,
          figuresRequest(params.now),
          {
            audience: `partner:${partner.slug}`,
            signingKey: params.viewerSigningKey,
          },
        );
        return Object.values(data).reduce((rows, list) => rows + list.length, 0);
      });
      await count(FREE_RESOURCES, async () => {
        const data = await post<{ freeResources: { edges: unknown[] } | null }>(
          partner.url,
          freeResourcesRequest(params.now),
          null,
        );
        if (!data.freeResources) throw new Error('free resources failed: null');
        return data.freeResources.edges.length;
      });
    } finally {
      await network.close();
    }
  }
  return counts;
}

/** The network subgraph's audience for viewer headers (`VIEWER_AUDIENCE` of its server). */
const NETWORK_AUDIENCE = 'network';

/**
 * SQL statements per request of the coordinators' pass pages, counted in the network subgraph
 * of a generated network holding each number of passes (issued over the last 300 days).
 */
export async function countNetworkStatements(
  databases: Databases,
  params: {
    passCounts: number[];
    seed: number;
    now: Date;
    viewerPublicKey: string;
    viewerSigningKey: string;
  },
): Promise<NetworkStatementCount[]> {
  const counts: NetworkStatementCount[] = [];
  const sign = { audience: NETWORK_AUDIENCE, signingKey: params.viewerSigningKey };
  for (const passes of params.passCounts) {
    const network = await startNetwork(databases, {
      size: { partners: 2, spaces: 8, events: 16, members: 200, passes },
      seed: params.seed,
      now: params.now,
      viewerPublicKey: params.viewerPublicKey,
      withNetwork: true,
    });
    try {
      const url = network.network!.url;
      // The start of a code shared by about one pass in 32.
      const search = network.network!.passes.crossPartner[0]!.slice(0, 1);
      const requests: Record<NetworkRequest, () => Promise<number>> = {
        sales: async () => {
          const data = await post<Record<string, unknown[]>>(url, salesRequest(params.now), sign);
          return Object.values(data).reduce((rows, list) => rows + list.length, 0);
        },
        passes: async () => {
          const data = await post<{ passes: { edges: unknown[] } }>(url, passesRequest(null), sign);
          return data.passes.edges.length;
        },
        search: async () => {
          const data = await post<{ passes: { edges: unknown[] } }>(
            url,
            passesRequest(search),
            sign,
          );
          return data.passes.edges.length;
        },
      };
      for (const request of Object.keys(requests) as NetworkRequest[]) {
        counts.push({ passes, request, ...(await perRequest(network.counter, requests[request])) });
      }
    } finally {
      await network.close();
    }
  }
  return counts;
}

/** The sales page of the "Réseau" console (its own document) over the year before `now`. */
function salesRequest(now: Date): string {
  const day = (offset: number) =>
    new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return JSON.stringify({ query: PASS_SALES, variables: { from: day(-365), to: day(0) } });
}

/** The console's list of passes (its own document, pages of 50), searched or not. */
function passesRequest(search: string | null): string {
  return JSON.stringify({ query: NETWORK_PASSES, variables: { search } });
}

const COORDINATOR = {
  kind: 'person' as const,
  personId: seededPersonId(SEEDED_PEOPLE.find((p) => p.coordinator)!.email),
  coordinator: true,
  manages: [],
  staffs: [],
};

/** The partner's part of the console's statistics page, over the year before `now`. */
function figuresRequest(now: Date): string {
  const day = (offset: number) =>
    new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return JSON.stringify({
    query: /* GraphQL */ `
      query Figures($from: Date!, $to: Date!) {
        visitsByWeek(from: $from, to: $to, first: 500) {
          week
          visits
          space {
            id
            name
          }
        }
        occupancyByHour(from: $from, to: $to) {
          weekday
          hour
          visitorHours
        }
        eventAttendance(from: $from, to: $to, first: 100) {
          confirmed
          waiting
          capacity
          event {
            id
            title
            startsAt
          }
        }
        directoryOptIns(from: $from, to: $to) {
          month
          members
        }
      }
    `,
    variables: { from: day(-365), to: day(0) },
  });
}
