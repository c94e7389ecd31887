import type { FastifyPluginAsync } from 'fastify';
import { calendarRoutes } from '../feeds/routes.js';
import { LANDING_PAGE_CSP, landingPage } from '../landing.js';
import { openDataRoutes } from '../opendata/routes.js';
import { siteRoutes } from './site.js';

/**
 * The network's public face, served by the gateway next to `/graphql`: the web page (web/) at
 * `/`, the calendar feeds and the open-data export. The GraphQL landing page moves to `/api`.
 * Pass to `createGateway({ routes })`.
 */
export function publicRoutes(options: { log: (message: string) => void }): FastifyPluginAsync {
  return async (app) => {
    await app.register(siteRoutes(options));
    await app.register(calendarRoutes());
    await app.register(openDataRoutes());
    app.get('/api', (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', LANDING_PAGE_CSP)
        .send(landingPage()),
    );
  };
}
