import type { FastifyPluginAsync } from 'fastify';
import { apiRoutes } from './api-page.js';
import { communeRoutes } from './communes-routes.js';
import { devMailRoutes, type DevMail } from './dev-mails.js';
import { calendarRoutes, type CalendarHorizon } from './feeds/routes.js';
import { mailLinkRoutes } from './mail-links.js';
import { openDataRoutes } from './opendata.js';
import { siteRoutes } from './site.js';

export {
  calendarRoutes,
  DEFAULT_CALENDAR_HORIZON,
  type CalendarHorizon,
  type CalendarOptions,
} from './feeds/routes.js';
export { openDataRoutes } from './opendata.js';
export { devMailRoutes, type DevMail } from './dev-mails.js';
export { mailLinkRoutes } from './mail-links.js';

/**
 * The network's public face, served next to the gateway's `/graphql`: the web page at `/`, the
 * calendar feeds (`/calendar/…`), the open-data export (`/opendata/…`), the GraphQL explorer at
 * `/api`, and the pages the links of the network's mails land on (`/inscription/…`,
 * `/desabonnement/…`). A Fastify plugin: `createGateway({ routes: publicSite({ log }) })`.
 */
export function publicSite(options: {
  log: (message: string) => void;
  /** The map's tile URL template (`MAP_TILE_URL`); OpenStreetMap's by default. */
  tileUrl?: string | undefined;
  /** The embedded network's caught mails, for `/dev/mails`; never given in production. */
  devMails?: (() => readonly DevMail[]) | undefined;
  /** The sign-in provider's origin (`OIDC_ISSUER_URL`'s), where signing out ends. */
  signInOrigin?: string | null;
  /** What the calendar feeds hold: 30 days back and 12 months ahead unless given. */
  calendarHorizon?: CalendarHorizon | undefined;
}): FastifyPluginAsync {
  return async (app) => {
    await app.register(siteRoutes(options));
    await app.register(communeRoutes());
    await app.register(mailLinkRoutes());
    if (options.devMails) await app.register(devMailRoutes(options.devMails));
    await app.register(
      calendarRoutes(options.calendarHorizon ? { horizon: options.calendarHorizon } : {}),
    );
    await app.register(openDataRoutes());
    await app.register(apiRoutes());
  };
}
