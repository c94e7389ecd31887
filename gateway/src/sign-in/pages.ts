/** The sign-in routes' few pages, in French; no inline style or script (the edge's CSP). */

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Réseau des tiers-lieux</title></head>
<body><main>
${body}
</main></body>
</html>`;
}

export function signInFailedPage(message: string): string {
  return page(
    'Connexion impossible',
    `<h1>La connexion n’a pas abouti</h1>
<p role="alert">${escapeHtml(message)}</p>
<p><a href="/auth/login">Recommencer la connexion</a> · <a href="/">Revenir à l’accueil</a></p>`,
  );
}

export function signOutPage(options: { name: string | null; csrfToken: string | null }): string {
  if (!options.csrfToken) {
    return page(
      'Déconnexion',
      `<h1>Vous n’êtes pas connecté(e)</h1><p><a href="/">Revenir à l’accueil</a></p>`,
    );
  }
  const who = options.name ? ` (${escapeHtml(options.name)})` : '';
  return page(
    'Déconnexion',
    `<h1>Se déconnecter ?</h1>
<p>Vous êtes connecté(e)${who}.</p>
<form method="post" action="/auth/logout">
  <input type="hidden" name="csrf" value="${escapeHtml(options.csrfToken)}">
  <button type="submit">Se déconnecter</button>
</form>
<p><a href="/">Revenir à l’accueil sans se déconnecter</a></p>`,
  );
}
