/**
 * The API explorer at `/api`: GraphiQL (documentation explorer, variables, headers, history),
 * served from the package with React, nothing from a CDN, and a short introduction for the
 * frontend developers of partners, in French and English. The public schema is served too, as
 * SDL (`/api/schema.graphql`) and as an introspection result (`/api/schema.json`), which the
 * explorer reads: its documentation works where the gateway refuses introspection (production).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  buildASTSchema,
  introspectionFromSchema,
  parse,
  printSchema,
  type GraphQLSchema,
} from 'graphql';
import type { FastifyPluginAsync } from 'fastify';

const require = createRequire(import.meta.url);

/** A file of a package that does not export it (`react/umd/…`): found beside its entry. */
function packageFile(path: string): string {
  if (path.startsWith('/')) return path;
  const [name, ...rest] = path.split('/');
  const entry = require.resolve(name!);
  const root = entry.slice(
    0,
    entry.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}`.length,
  );
  return join(root, ...rest);
}

/** The explorer's files, by URL path: the page links them, so its CSP needs no inline code. */
const FILES: Record<string, { module: string; type: string }> = {
  '/api/assets/react.js': {
    module: 'react/umd/react.production.min.js',
    type: 'text/javascript; charset=utf-8',
  },
  '/api/assets/react-dom.js': {
    module: 'react-dom/umd/react-dom.production.min.js',
    type: 'text/javascript; charset=utf-8',
  },
  '/api/assets/graphiql.js': {
    module: 'graphiql/graphiql.min.js',
    type: 'text/javascript; charset=utf-8',
  },
  '/api/assets/graphiql.css': {
    module: 'graphiql/graphiql.min.css',
    type: 'text/css; charset=utf-8',
  },
  '/api/assets/explorer.js': {
    module: new URL('./api-explorer.js', import.meta.url).pathname,
    type: 'text/javascript; charset=utf-8',
  },
  '/api/assets/api.css': {
    module: new URL('./api-page.css', import.meta.url).pathname,
    type: 'text/css; charset=utf-8',
  },
};

/** GraphiQL sets some styles through attributes (CodeMirror's measures), hence 'unsafe-inline' for styles only. */
export const API_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

let schema: Promise<GraphQLSchema> | null = null;
/**
 * The public API schema: the supergraph without its federation machinery nor @inaccessible
 * parts. The composer is loaded on the first request for it, not at every start. It is built
 * from the composer's document (plain data), not its schema object, which belongs to the
 * composer's own copy of graphql.
 */
function apiSchema(): Promise<GraphQLSchema> {
  // A failure is not kept: the next request tries again.
  return (schema ??= (async () => {
    const [{ composeServices }, { networkSubgraphs }] = await Promise.all([
      import('@apollo/composition'),
      import('@tiers-lieux/schema/compose'),
    ]);
    const result = composeServices(
      networkSubgraphs().map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
    );
    if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
    return buildASTSchema(result.schema.toAPISchema().toAST());
  })().catch((error: unknown) => {
    schema = null;
    throw error;
  }));
}

const EXAMPLE_QUERY = `# Les lieux ouverts autour d’un point, du plus proche au plus lointain.
# Spaces open around a point, nearest first.
query NearbySpaces($near: NearInput!, $first: Int = 5) {
  spaces(filter: { near: $near, statuses: [OPEN] }, orderBy: DISTANCE, first: $first) {
    totalCount
    edges {
      node {
        id
        name
        address { commune department }
        distanceKm
        openNow
        openingHours
        nextOpenings(count: 2) { opensAt closesAt }
      }
    }
  }
}
`;

const EXAMPLE_VARIABLES = `{
  "near": { "lat": 44.56, "lon": 6.49, "radiusKm": 100 },
  "first": 5
}
`;

export function apiPage(): string {
  const config = JSON.stringify({ query: EXAMPLE_QUERY, variables: EXAMPLE_VARIABLES }).replace(
    /</g,
    '\\u003c',
  );
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API GraphQL – Réseau des tiers-lieux</title>
<link rel="stylesheet" href="/api/assets/graphiql.css">
<link rel="stylesheet" href="/api/assets/api.css">
</head>
<body>
<header class="intro">
<p class="site"><a href="/">Réseau des tiers-lieux</a></p>
<h1>L’API GraphQL du réseau</h1>
<div class="langues">
<section lang="fr" aria-labelledby="fr">
<h2 id="fr">Pour les développeurs et développeuses front</h2>
<ul>
<li>Un seul point d’accès pour tout le réseau&nbsp;: <code>POST /graphql</code> (JSON <code>{"query", "variables"}</code>). Les lieux, les événements et les pass de tous les partenaires y sont&#8239;; un partenaire qui ne répond pas laisse les autres répondre, avec une erreur qui le nomme (<code>extensions.partner</code>).</li>
<li>Le schéma&nbsp;: <a href="/api/schema.graphql">schema.graphql</a> (SDL) ou <a href="/api/schema.json">schema.json</a> (introspection), et l’onglet «&nbsp;Docs&nbsp;» de l’explorateur ci-dessous.</li>
<li>Sans jeton, vous lisez tout ce qui est public et pouvez inscrire un invité à un événement. Pour le reste, envoyez <code>Authorization: Bearer &lt;jeton&gt;</code> (onglet «&nbsp;Headers&nbsp;»)&nbsp;: un jeton du fournisseur d’identité du réseau, que ses coordinateurs vous délivrent.</li>
<li>CORS&nbsp;: les appels depuis un navigateur sont acceptés pour les origines que le réseau a déclarées (<code>CORS_ORIGINS</code>)&#8239;; demandez l’ajout de la vôtre.</li>
<li>Les erreurs ont un code stable (<code>extensions.code</code>&nbsp;: <code>BAD_USER_INPUT</code>, <code>FORBIDDEN</code>, <code>NOT_FOUND</code>…)&#8239;; les refus attendus d’une mutation sont dans son champ <code>error</code>.</li>
</ul>
</section>
<section lang="en" aria-labelledby="en">
<h2 id="en">For frontend developers</h2>
<ul>
<li>One endpoint for the whole network: <code>POST /graphql</code> (JSON <code>{"query", "variables"}</code>). Every partner’s spaces, events and passes are there; a partner that does not answer leaves the others answering, with an error naming it (<code>extensions.partner</code>).</li>
<li>The schema: <a href="/api/schema.graphql">schema.graphql</a> (SDL) or <a href="/api/schema.json">schema.json</a> (introspection), and the explorer’s “Docs” tab below.</li>
<li>Without a token you read everything public and may register a guest for an event. For the rest, send <code>Authorization: Bearer &lt;token&gt;</code> (“Headers” tab): a token of the network’s identity provider, issued by its coordinators.</li>
<li>CORS: browser calls are accepted from the origins the network declared (<code>CORS_ORIGINS</code>); ask for yours to be added.</li>
<li>Errors carry a stable code (<code>extensions.code</code>: <code>BAD_USER_INPUT</code>, <code>FORBIDDEN</code>, <code>NOT_FOUND</code>…); a mutation’s expected refusals are in its <code>error</code> field.</li>
</ul>
</section>
</div>
</header>
<main id="explorateur" aria-label="Explorateur GraphQL" data-exemple="${config.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">
<p>L’explorateur a besoin de JavaScript. Sans lui, envoyez vos requêtes à <code>POST /graphql</code>.</p>
</main>
<script src="/api/assets/react.js"></script>
<script src="/api/assets/react-dom.js"></script>
<script src="/api/assets/graphiql.js"></script>
<script src="/api/assets/explorer.js"></script>
</body>
</html>`;
}

/** `/api`, its files and the schema. */
export function apiRoutes(): FastifyPluginAsync {
  const files = new Map<string, Promise<Buffer>>();
  return async (app) => {
    app.get('/api', (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', API_PAGE_CSP)
        .header('cache-control', 'no-cache')
        .send(apiPage()),
    );
    for (const [path, file] of Object.entries(FILES))
      app.get(path, async (_request, reply) => {
        if (!files.has(path)) files.set(path, readFile(packageFile(file.module)));
        return reply
          .type(file.type)
          .header('cache-control', 'public, max-age=3600')
          .send(await files.get(path)!);
      });
    app.get('/api/schema.graphql', async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send(printSchema(await apiSchema())),
    );
    app.get('/api/schema.json', async (_request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send({ data: introspectionFromSchema(await apiSchema()) }),
    );
  };
}
