import type { FastifyPluginAsync } from 'fastify';
import { apiRoutes } from './api-page.js';
import { calendarRoutes } from './feeds/routes.js';
import { openDataRoutes } from './opendata.js';
import { communeRoutes } from './communes-routes.js';
import { siteRoutes } from './site.js';

export { calendarRoutes } from './feeds/routes.js';
export { openDataRoutes } from './opendata.js';

/**
 * The network's public face, served next to the gateway's `/graphql`: the web page at `/`, the
 * calendar feeds (`/calendar/…`), the open-data export (`/opendata/…`) and a small GraphQL
 * explorer at `/api`. A Fastify plugin: `createGateway({ routes: publicSite({ log }) })`.
 */
export function publicSite(options: {
  log: (message: string) => void;
  /** The map's tile URL template (`MAP_TILE_URL`); OpenStreetMap's by default. */
  tileUrl?: string;
}): FastifyPluginAsync {
  return async (app) => {
    await app.register(siteRoutes(options));
    await app.register(communeRoutes());
    await app.register(calendarRoutes());
    await app.register(openDataRoutes());
    await app.register(apiRoutes());
  };
}
