import type { FastifyPluginAsync } from 'fastify';
import { API_PAGE_CSP, apiPage } from './api-page.js';
import { devMailRoutes, type DevMail } from './dev-mails.js';
import { calendarRoutes } from './feeds/routes.js';
import { mailLinkRoutes } from './mail-links.js';
import { openDataRoutes } from './opendata.js';
import { siteRoutes } from './site.js';

export { calendarRoutes } from './feeds/routes.js';
export { openDataRoutes } from './opendata.js';
export { devMailRoutes, type DevMail } from './dev-mails.js';
export { mailLinkRoutes } from './mail-links.js';

/**
 * The network's public face, served next to the gateway's `/graphql`: the web page at `/`, the
 * calendar feeds (`/calendar/…`), the open-data export (`/opendata/…`), a small GraphQL
 * console at `/api`, and the pages the links of the network's mails land on (`/inscription/…`,
 * `/desabonnement/…`). A Fastify plugin: `createGateway({ routes: publicSite({ log }) })`.
 */
export function publicSite(options: {
  log: (message: string) => void;
  /** The embedded network's caught mails, for `/dev/mails`; never given in production. */
  devMails?: (() => readonly DevMail[]) | undefined;
}): FastifyPluginAsync {
  return async (app) => {
    await app.register(siteRoutes(options));
    await app.register(mailLinkRoutes());
    if (options.devMails) await app.register(devMailRoutes(options.devMails));
    await app.register(calendarRoutes());
    await app.register(openDataRoutes());
    app.get('/api', (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', API_PAGE_CSP)
        .send(apiPage()),
    );
  };
}
