import { PassThrough } from 'node:stream';
import { constants, createGzip, gzipSync } from 'node:zlib';
import { loadSite, type Site, type SiteFile } from '../build.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ownGraphqlEndpoint, publicOrigin, requestUrl, sendText } from './loopback.js';
import { pageTitle } from '../app/title.js';
import { renderNotFound, renderPage, serverRendered } from './render.js';

/** The routes of the web application that only the script renders (the others: render.ts). */
const BROWSER_PAGES = ['/agenda', '/pass', '/reseau', '/reseau/*', '/gestion', '/gestion/*'];
/** Rendered on the server, then taken over by the script. */
const SERVER_PAGES = ['/', '/lieux/:id', '/evenements/:id', '/mon-espace'];

/** OpenStreetMap's tiles, unless `MAP_TILE_URL` names others. */
export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/**
 * The page's headers. Its images may come from the map's tile server too; its sign-out form
 * leads to the sign-in provider (the gateway ends the session there too), and browsers check
 * `form-action` on a form's redirects as well.
 */
function securityHeaders(tileUrl: string, signInOrigin: string | null) {
  const tiles = /^https?:\/\//.test(tileUrl)
    ? ` ${new URL(tileUrl.replace(/[{}]/g, '')).origin}`
    : '';
  const formTargets = ["'self'", ...(signInOrigin ? [signInOrigin] : [])].join(' ');
  return {
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:${tiles}; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action ${formTargets}`,
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

function sendHtml(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  html: string,
  headers: Record<string, string>,
): FastifyReply {
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('vary', 'accept-encoding')
    .headers(headers)
    .headers(gzip ? { 'content-encoding': 'gzip' } : {})
    .send(gzip ? gzipSync(html) : html);
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

const DIRECTORY_TITLE = pageTitle('Annuaire des tiers-lieux');

/**
 * The directory is always there (200), so its page is sent in two parts: the head and the site's
 * header at once (the browser fetches the styles and paints while the server asks the
 * gateway), then the rendered content. Space and event pages wait for theirs, whose status
 * (404) depends on the answer.
 */
function streamDirectory(
  request: FastifyRequest,
  reply: FastifyReply,
  shell: string,
  rendering: () => Promise<{ html: string }>,
  headers: Record<string, string>,
): FastifyReply {
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const body = gzip ? createGzip({ flush: constants.Z_SYNC_FLUSH }) : new PassThrough();
  const early = shell
    .slice(0, shell.indexOf('<main'))
    .replace(/<title>[^<]*<\/title>/, `<title>${DIRECTORY_TITLE}</title>`);
  const renderRest = () =>
    void rendering()
      .then(
        ({ html }) => html.slice(html.indexOf('<main')),
        () => shell.slice(shell.indexOf('<main')),
      )
      .then((rest) => body.end(rest));
  body.write(early);
  // The compressed head goes out before the render keeps the event loop busy.
  if ('flush' in body) body.flush(renderRest);
  else renderRest();
  return reply
    .code(200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('vary', 'accept-encoding')
    .headers(headers)
    .headers(gzip ? { 'content-encoding': 'gzip' } : {})
    .send(body);
}

/**
 * Serves the web page (web/), built by esbuild when the gateway is ready: nothing generated is
 * committed and a fresh clone needs no build step. The build runs once, in the background;
 * requests that come before it ends wait for it.
 */
export function siteRoutes(options: {
  log: (message: string) => void;
  build?: () => Promise<Site>;
  /** The map's tile URL template (`{z}/{x}/{y}`). */
  tileUrl?: string | undefined;
  /** The origin of the sign-in provider's pages (its end-session endpoint), if any. */
  signInOrigin?: string | null;
}): FastifyPluginAsync {
  const tileUrl = options.tileUrl ?? DEFAULT_TILE_URL;
  const headers = securityHeaders(tileUrl, options.signInOrigin ?? null);
  const withTiles = (body: Uint8Array) =>
    new TextEncoder().encode(
      new TextDecoder()
        .decode(body)
        .replace('%MAP_TILES%', tileUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;')),
    );
  const build = () => {
    const started = Date.now();
    return (options.build ?? loadSite)().then(
      (built) => {
        options.log(`web page ready in ${Date.now() - started} ms`);
        const served = (file: SiteFile): Served => ({
          contentType: file.contentType,
          immutable: file.immutable,
          body: Buffer.from(file.body),
          gzipped: gzipSync(file.body),
        });
        const page = { ...built.page, body: withTiles(built.page.body) };
        return {
          page: served(page),
          shell: new TextDecoder().decode(page.body),
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
    // Once the server is ready, not while the network starts: from the sources the page is
    // bundled then (a core for half a second, which the databases opening need more); from the
    // build it is read from web/dist/site.
    app.addHook('onReady', async () => {
      void site();
    });
    for (const path of BROWSER_PAGES)
      app.get(path, async (request, reply) => {
        const built = await site();
        if (!built) return unavailable(reply);
        return send(request, reply, built.page, headers);
      });
    for (const path of SERVER_PAGES)
      app.get(path, async (request, reply) => {
        const built = await site();
        if (!built) return unavailable(reply);
        const url = new URL(request.url, publicOrigin(request));
        const render = serverRendered(url.pathname);
        if (!render) return notFound(request, reply);
        const rendering = () =>
          renderPage({
            shell: built.shell,
            url,
            origin: url.origin,
            graphqlEndpoint: ownGraphqlEndpoint(request),
            render,
          });
        if (url.pathname === '/')
          return streamDirectory(request, reply, built.shell, rendering, headers);
        const page = await renderPage({
          shell: built.shell,
          url,
          origin: url.origin,
          graphqlEndpoint: ownGraphqlEndpoint(request),
          render,
        });
        return sendHtml(request, reply, page.status, page.html, headers);
      });
    // The fallback: find-my-way tries every static and parametric route first, so the routes
    // other plugins register (`/auth/…`) and the pages above are never answered by it, whatever
    // the order of registration. GraphQL clients keep their JSON.
    const notFound = async (request: FastifyRequest, reply: FastifyReply) => {
      const path = requestUrl(request).pathname;
      if (path === '/graphql' || path.startsWith('/graphql/'))
        return reply.code(404).send({ error: 'Not found' });
      const built = await site();
      if (!built) return sendText(reply, 404, 'Page introuvable.');
      const page = await renderNotFound(built.shell, publicOrigin(request));
      return sendHtml(request, reply, 404, page.html, headers);
    };
    app.get('/*', notFound);
    app.get('/assets/:file', async (request, reply) => {
      const built = await site();
      if (!built) return unavailable(reply);
      const file = built.assets.get(requestUrl(request).pathname);
      if (!file) return notFound(request, reply);
      return send(request, reply, file, headers);
    });
  };
}
