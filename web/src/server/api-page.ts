import { createHash } from 'node:crypto';

/**
 * A small GraphQL console at `/api`: Apollo Server's default landing page loads Apollo Sandbox
 * from a CDN, which an offline deployment cannot reach. This one needs nothing but the gateway.
 */
const EXAMPLE = `query Directory {
  spaces(filter: { text: "serre" }, first: 10) {
    totalCount
    edges { node { id name address { commune department } openNow openingHours partner { name } } }
  }
}`;

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
  textarea, pre { width: 100%; box-sizing: border-box; font: 14px/1.4 ui-monospace, monospace; }
  textarea { min-height: 14rem; }
  pre { background: #f3f3f3; padding: 1rem; overflow: auto; min-height: 6rem; }
  button { font: inherit; padding: .4rem 1rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
`;

const SCRIPT = `
document.getElementById('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = document.getElementById('token').value.trim();
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
    body: JSON.stringify({ query: document.getElementById('query').value }),
  });
  document.getElementById('result').textContent = JSON.stringify(await response.json(), null, 2);
});
`;

const hash = (inline: string) => `'sha256-${createHash('sha256').update(inline).digest('base64')}'`;

/** What the page may load: its own inline style and script, by hash, and the gateway. */
export const API_PAGE_CSP = [
  "default-src 'self'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export function apiPage(): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Réseau des tiers-lieux — GraphQL</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Réseau des tiers-lieux</h1>
<p>Le point d'accès GraphQL du réseau est <code>POST /graphql</code>. Santé : <a href="/health">/health</a>, partenaires : <a href="/ready">/ready</a>.</p>
<form id="form">
<label for="query">Requête</label>
<textarea id="query" name="query" spellcheck="false">${EXAMPLE}</textarea>
<label for="token">Jeton (facultatif, <code>pnpm token --email helene.duval@reseau-tiers-lieux.example</code>)</label>
<input id="token" name="token" size="60" autocomplete="off">
<p><button type="submit">Exécuter</button></p>
</form>
<label for="result">Réponse</label>
<pre id="result" role="status" aria-live="polite"></pre>
</main>
<script>${SCRIPT}</script>
</body>
</html>`;
}
