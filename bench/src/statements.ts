import type { Databases } from './databases.js';
import { startNetwork } from './network.js';
import { directoryRequest } from './operations.js';

export interface StatementCount {
  spaces: number;
  /** The page size asked for, and the spaces the page held. */
  first: number;
  edges: number;
  /** SQL statements the partner subgraph sent per request. */
  statements: number;
}

const REQUESTS = 10;

/**
 * SQL statements per directory request, counted by drizzle's logger in a partner subgraph
 * running in this process, for partners holding each number of spaces, with the web page's
 * first page (30) and a long page (200): the count must not follow the size of the result.
 */
export async function countStatements(
  databases: Databases,
  params: { spaceCounts: number[]; seed: number; now: Date; viewerPublicKey: string },
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
    } finally {
      await network.close();
    }
  }
  return counts;
}
