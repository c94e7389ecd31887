import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildSite, type Site, type SiteFile } from '@tiers-lieux/web/build';
import type { HttpRoute } from '../http.js';
import { sendText } from './loopback.js';

/** The routes of the web application, all served by its one HTML page. */
const PAGES = /^\/(?:|agenda|pass|lieux\/[^/]+|evenements\/[^/]+)$/;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

interface Served extends SiteFile {
  gzipped: Uint8Array;
}

function send(req: IncomingMessage, res: ServerResponse, file: Served): void {
  res.setHeader('content-type', file.contentType);
  res.setHeader(
    'cache-control',
    file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  res.setHeader('vary', 'accept-encoding');
  for (const [key, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(key, value);
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) res.setHeader('content-encoding', 'gzip');
  res.end(gzip ? file.gzipped : file.body);
}

/**
 * Serves the web page (web/), built by esbuild when the gateway starts: nothing generated is
 * committed and a fresh clone needs no build step. The build runs once, in the background;
 * requests that come before it ends wait for it.
 */
export function siteRoutes(options: {
  log: (message: string) => void;
  build?: () => Promise<Site>;
}): HttpRoute[] {
  const started = Date.now();
  const site = (options.build ?? buildSite)().then(
    (built) => {
      options.log(`web page built in ${Date.now() - started} ms`);
      const served = (file: SiteFile): Served => ({ ...file, gzipped: gzipSync(file.body) });
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
  const unavailable = (res: ServerResponse) =>
    sendText(res, 503, 'La page web n’a pas pu être construite ; voir le journal du gateway.');
  return [
    {
      method: 'GET',
      path: PAGES,
      handle: async (req, res) => {
        const built = await site;
        if (!built) return unavailable(res);
        send(req, res, built.page);
      },
    },
    {
      method: 'GET',
      path: /^\/assets\/[^/]+$/,
      handle: async (req, res, url) => {
        const built = await site;
        if (!built) return unavailable(res);
        const file = built.assets.get(url.pathname);
        if (!file) return sendText(res, 404, 'Not found');
        send(req, res, file);
      },
    },
  ];
}
