import type { OpenDataQuery } from '../__generated__/graphql.js';
import { allPages, missingPartners, request } from '../graphql/client.js';
import { OPEN_DATA } from '../graphql/operations.js';
import { toCsv } from '../opendata/csv.js';
import { COLUMNS, lieuxFromSpaces } from '../opendata/lieux.js';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ownGraphqlEndpoint, sendText } from './loopback.js';

type Space = OpenDataQuery['spaces']['edges'][number]['node'];

const SOURCE = 'Réseau des tiers-lieux';
const MAX_SPACES = 10_000;

class IncompleteExport extends Error {}

/** Every open space of the network; an export missing a partner is refused, not published. */
async function openSpaces(req: FastifyRequest): Promise<Space[]> {
  const endpoint = ownGraphqlEndpoint(req);
  return allPages(async (after) => {
    const answer = await request(endpoint, OPEN_DATA, { first: 200, after });
    const missing = missingPartners(answer.errors, { relayed: true, breachesServed: true });
    if (missing.length > 0 || !answer.data)
      throw new IncompleteExport(
        missing.length > 0
          ? `Partner ${missing.map((m) => m.partner).join(', ')} did not answer; the export would be incomplete. Try again later.`
          : `The gateway answered an error: ${answer.errors[0]?.message ?? 'no data'}`,
      );
    const page = answer.data.spaces;
    return { items: page.edges.map((e) => e.node), pageInfo: page.pageInfo };
  }, MAX_SPACES);
}

function exportRoute(
  app: FastifyInstance,
  path: string,
  write: (reply: FastifyReply, result: ReturnType<typeof lieuxFromSpaces>) => FastifyReply,
): void {
  app.get(path, async (req, reply) => {
    let spaces: Space[];
    try {
      spaces = await openSpaces(req);
    } catch (error) {
      if (!(error instanceof IncompleteExport)) throw error;
      return sendText(reply, 503, error.message, { 'retry-after': '300' });
    }
    const result = lieuxFromSpaces(spaces, { generatedAt: new Date(), source: SOURCE });
    reply.header('cache-control', 'public, max-age=600');
    reply.header('x-lieux-exclus', String(result.rejections.length));
    return write(reply, result);
  });
}

/**
 * The directory's open spaces in the national schéma des lieux de médiation numérique:
 * `/opendata/lieux.json` and `/opendata/lieux.csv` hold the records the ANCT library
 * validated, `/opendata/lieux-exclus.json` the spaces it refused and why.
 */
export function openDataRoutes(): FastifyPluginAsync {
  return async (app) => {
    exportRoute(app, '/opendata/lieux.json', (reply, { lieux }) =>
      reply.type('application/json; charset=utf-8').send(JSON.stringify(lieux, null, 2)),
    );
    exportRoute(app, '/opendata/lieux.csv', (reply, { lieux }) =>
      reply
        .type('text/csv; charset=utf-8; header=present')
        .header('content-disposition', 'attachment; filename="lieux-de-mediation-numerique.csv"')
        .send(toCsv(COLUMNS, lieux)),
    );
    exportRoute(app, '/opendata/lieux-exclus.json', (reply, { rejections }) =>
      reply.type('application/json; charset=utf-8').send(JSON.stringify(rejections, null, 2)),
    );
  };
}
