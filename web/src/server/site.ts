import { gzipSync } from 'node:zlib';
import { buildSite, type Site, type SiteFile } from '../build.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requestUrl, sendText } from './loopback.js';

/** The routes of the web application, all served by its one HTML page. */
const PAGES = ['/', '/agenda', '/pass', '/lieux/:id', '/evenements/:id'];
/** The console's routes (`web/src/console/`), served by its own page and bundle. */
const CONSOLE_PAGES = ['/gestion', '/gestion/*'];

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

interface Served {
  contentType: string;
  immutable: boolean;
  body: Buffer;
  gzipped: Buffer;
}

function send(request: FastifyRequest, reply: FastifyReply, file: Served): FastifyReply {
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  return reply
    .type(file.contentType)
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('vary', 'accept-encoding')
    .headers(SECURITY_HEADERS)
    .headers(gzip ? { 'content-encoding': 'gzip' } : {})
    .send(gzip ? file.gzipped : file.body);
}

/**
 * Serves the web page (web/), built by esbuild when the gateway starts: nothing generated is
 * committed and a fresh clone needs no build step. The build runs once, in the background;
 * requests that come before it ends wait for it.
 */
export function siteRoutes(options: {
  log: (message: string) => void;
  build?: () => Promise<Site>;
}): FastifyPluginAsync {
  const started = Date.now();
  const site = (options.build ?? buildSite)().then(
    (built) => {
      options.log(`web page built in ${Date.now() - started} ms`);
      const served = (file: SiteFile): Served => ({
        contentType: file.contentType,
        immutable: file.immutable,
        body: Buffer.from(file.body),
        gzipped: gzipSync(file.body),
      });
      return {
        page: served(built.page),
        consolePage: served(built.consolePage),
        assets: new Map([...built.assets].map(([path, file]) => [path, served(file)])),
      };
    },
    (error: unknown) => {
      options.log(
        `web page build failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    },
  );
  const unavailable = (reply: FastifyReply) =>
    sendText(reply, 503, 'La page web n’a pas pu être construite ; voir le journal du gateway.');
  return async (app) => {
    for (const path of PAGES)
      app.get(path, async (request, reply) => {
        const built = await site;
        if (!built) return unavailable(reply);
        return send(request, reply, built.page);
      });
    for (const path of CONSOLE_PAGES)
      app.get(path, async (request, reply) => {
        const built = await site;
        if (!built) return unavailable(reply);
        return send(request, reply, built.consolePage);
      });
    app.get('/assets/:file', async (request, reply) => {
      const built = await site;
      if (!built) return unavailable(reply);
      const file = built.assets.get(requestUrl(request).pathname);
      if (!file) return sendText(reply, 404, 'Not found');
      return send(request, reply, file);
    });
  };
}
