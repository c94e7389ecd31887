import { calendarRoutes } from '../feeds/routes.js';
import type { HttpRoute } from '../http.js';
import { landingPage } from '../landing.js';
import { openDataRoutes } from '../opendata/routes.js';
import { siteRoutes } from './site.js';

/**
 * The network's public face, served by the gateway next to `/graphql`: the web page (web/) at
 * `/`, the calendar feeds and the open-data export. The GraphQL landing page moves to `/api`.
 * Pass to `createGateway({ routes })`.
 */
export function publicRoutes(options: { log: (message: string) => void }): HttpRoute[] {
  return [
    ...siteRoutes(options),
    ...calendarRoutes(),
    ...openDataRoutes(),
    {
      method: 'GET',
      path: '/api',
      handle: (_req, res) => {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(landingPage());
      },
    },
  ];
}
