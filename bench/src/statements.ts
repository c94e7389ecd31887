import type { Databases } from './databases.js';
import { startNetwork } from './network.js';
import { directoryRequest } from './operations.js';
import {
  SEEDED_PEOPLE,
  seededPersonId,
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
      for (const first of [30, 200]) {
        const ask = async () => {
          const response = await fetch(network.partners[0]!.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: directoryRequest(first),
          });
          const body = (await response.json()) as {
            data?: { spaces: { edges: unknown[] } };
            errors?: unknown[];
          };
          if (!body.data || body.errors)
            throw new Error(`directory failed: ${JSON.stringify(body)}`);
          return body.data.spaces.edges.length;
        };
        await ask();
        network.counter.statements = 0;
        let edges = 0;
        for (let i = 0; i < REQUESTS; i++) edges = await ask();
        counts.push({ spaces, first, edges, statements: network.counter.statements / REQUESTS });
      }
      const partner = network.partners[0]!;
      const askFigures = async () => {
        const body = figuresRequest(params.now);
        const response = await fetch(partner.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [VIEWER_HEADER]: signViewerSync(COORDINATOR, params.viewerSigningKey, {
              audience: `partner:${partner.slug}`,
              request: JSON.parse(body) as BoundRequest,
            }),
          },
          body,
        });
        const answer = (await response.json()) as { data?: Record<string, unknown[]> | null };
        if (!answer.data) throw new Error(`figures failed: ${JSON.stringify(answer)}`);
        return Object.values(answer.data).reduce((rows, list) => rows + list.length, 0);
      };
      await askFigures();
      network.counter.statements = 0;
      let rows = 0;
      for (let i = 0; i < REQUESTS; i++) rows = await askFigures();
      counts.push({
        spaces,
        first: 0,
        edges: rows,
        statements: network.counter.statements / REQUESTS,
      });
      const askFree = async () => {
        const response = await fetch(partner.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: freeResourcesRequest(params.now),
        });
        const answer = (await response.json()) as {
          data?: { freeResources: { edges: unknown[] } | null } | null;
          errors?: unknown[];
        };
        if (!answer.data?.freeResources || answer.errors)
          throw new Error(`free resources failed: ${JSON.stringify(answer)}`);
        return answer.data.freeResources.edges.length;
      };
      await askFree();
      network.counter.statements = 0;
      let found = 0;
      for (let i = 0; i < REQUESTS; i++) found = await askFree();
      counts.push({
        spaces,
        first: FREE_RESOURCES,
        edges: found,
        statements: network.counter.statements / REQUESTS,
      });
    } finally {
      await network.close();
    }
  }
  return counts;
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
