import type { FastifyPluginAsync } from 'fastify';
import { communeIndex } from './communes.js';

const CACHE = 'public, max-age=86400';

/**
 * `GET /communes?q=nyons` (or `q=05200`): up to 8 communes of France, best first;
 * `GET /communes/05046`: one, by INSEE code. What the directory's "near" field asks.
 */
export function communeRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get('/communes', async (request, reply) => {
      const q = String((request.query as { q?: unknown }).q ?? '').slice(0, 100);
      return reply.header('cache-control', CACHE).send({ communes: communeIndex().search(q) });
    });
    app.get('/communes/:code', async (request, reply) => {
      const commune = communeIndex().byCode((request.params as { code: string }).code);
      if (!commune) return reply.code(404).send({ error: 'No commune has this INSEE code' });
      return reply.header('cache-control', CACHE).send(commune);
    });
  };
}
