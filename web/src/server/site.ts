import { gzipSync } from 'node:zlib';
import { buildSite, type Site, type SiteFile } from '../build.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requestUrl, sendText } from './loopback.js';

/** The routes of the web application, all served by its one HTML page. */
const PAGES = ['/', '/agenda', '/pass', '/lieux/:id', '/evenements/:id', '/mon-espace'];

/**
 * The page's headers. Its sign-out form leads to the sign-in provider (the gateway ends the
 * session there too), and browsers check `form-action` on a form's redirects as well.
 */
function securityHeaders(signInOrigin: string | null): Record<string, string> {
  const formTargets = ["'self'", ...(signInOrigin ? [signInOrigin] : [])].join(' ');
  return {
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action ${formTargets}`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
}

interface Served {
  contentType: string;
  immutable: boolean;
  body: Buffer;
  gzipped: Buffer;
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  file: Served,
  headers: Record<string, string>,
): FastifyReply {
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  return reply
    .type(file.contentType)
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('vary', 'accept-encoding')
    .headers(headers)
    .headers(gzip ? { 'content-encoding': 'gzip' } : {})
    .send(gzip ? file.gzipped : file.body);
}

/**
 * Serves the web page (web/), built by esbuild when the gateway is ready: nothing generated is
 * committed and a fresh clone needs no build step. The build runs once, in the background;
 * requests that come before it ends wait for it.
 */
export function siteRoutes(options: {
  log: (message: string) => void;
  build?: () => Promise<Site>;
  /** The origin of the sign-in provider's pages (its end-session endpoint), if any. */
  signInOrigin?: string | null;
}): FastifyPluginAsync {
  const headers = securityHeaders(options.signInOrigin ?? null);
  const build = () => {
    const started = Date.now();
    return (options.build ?? buildSite)().then(
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
  };
  let building: ReturnType<typeof build> | null = null;
  const site = () => (building ??= build());
  const unavailable = (reply: FastifyReply) =>
    sendText(reply, 503, 'La page web n’a pas pu être construite ; voir le journal du gateway.');
  return async (app) => {
    // Once the server is ready, not while the network starts: the build takes a core for half
    // a second, which the databases opening and the first answer need more.
    app.addHook('onReady', async () => {
      void site();
    });
    for (const path of PAGES)
      app.get(path, async (request, reply) => {
        const built = await site();
        if (!built) return unavailable(reply);
        return send(request, reply, built.page, headers);
      });
    app.get('/assets/:file', async (request, reply) => {
      const built = await site();
      if (!built) return unavailable(reply);
      const file = built.assets.get(requestUrl(request).pathname);
      if (!file) return sendText(reply, 404, 'Not found');
      return send(request, reply, file, headers);
    });
  };
}
