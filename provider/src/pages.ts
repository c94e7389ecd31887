/**
 * The provider's pages, in French: self-contained (styles inline, no script, no font or image
 * from elsewhere), readable by a screen reader (labels, the error announced and tied to its
 * field), usable without a mouse.
 */

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f1ea; color: #1f2a24; margin: 0; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  h1 { font-size: 1.5rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { display: block; width: 100%; box-sizing: border-box; font-size: 1rem; padding: .5rem;
          margin-top: .25rem; border: 1px solid #5b6b62; border-radius: 4px; }
  input:focus, button:focus { outline: 3px solid #1d6b45; outline-offset: 2px; }
  button { font-size: 1rem; padding: .6rem 1rem; margin-top: 1.5rem; border-radius: 4px;
           border: 0; background: #1d6b45; color: #fff; cursor: pointer; }
  button.secondary { background: #e6e1d6; color: #1f2a24; margin-left: .5rem; }
  .error { background: #fbe9e7; color: #8a1c0f; border-left: 4px solid #8a1c0f; padding: .75rem; }
  .hint { color: #4a5750; font-size: .9rem; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} — Réseau des tiers-lieux</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export function loginPage(options: { uid: string; email?: string; error?: string }): string {
  const error = options.error
    ? `<p class="error" id="erreur" role="alert">${escapeHtml(options.error)}</p>`
    : '';
  const described = options.error ? ' aria-describedby="erreur" aria-invalid="true"' : '';
  return page(
    'Connexion',
    `<h1>Connexion au réseau des tiers-lieux</h1>
${error}
<form method="post" action="/interaction/${encodeURIComponent(options.uid)}/login" novalidate>
  <label for="email">Adresse e-mail</label>
  <input id="email" name="email" type="email" autocomplete="username" required autofocus
         value="${escapeHtml(options.email ?? '')}"${described}>
  <label for="password">Mot de passe</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${described}>
  <button type="submit">Se connecter</button>
</form>
<form method="post" action="/interaction/${encodeURIComponent(options.uid)}/abort">
  <button type="submit" class="secondary">Annuler</button>
</form>`,
  );
}

export function consentPage(options: { uid: string; clientName: string }): string {
  return page(
    'Autorisation',
    `<h1>Autoriser ${escapeHtml(options.clientName)} ?</h1>
<p>Ce site demande à connaître votre nom et votre adresse e-mail, et à agir sur le réseau des
tiers-lieux en votre nom.</p>
<form method="post" action="/interaction/${encodeURIComponent(options.uid)}/confirm">
  <button type="submit">Autoriser</button>
</form>
<form method="post" action="/interaction/${encodeURIComponent(options.uid)}/abort">
  <button type="submit" class="secondary">Refuser</button>
</form>`,
  );
}

export function logoutPage(form: string): string {
  return page(
    'Déconnexion',
    `<h1>Se déconnecter ?</h1>
<p>Vous allez être déconnecté(e) du réseau des tiers-lieux.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Oui, me déconnecter</button>
<button type="submit" form="op.logoutForm" class="secondary">Non, rester connecté(e)</button>`,
  );
}

export function signedOutPage(): string {
  return page('Déconnexion', `<h1>Vous êtes déconnecté(e)</h1><p>À bientôt.</p>`);
}

export function errorPage(message: string): string {
  return page(
    'Erreur',
    `<h1>La connexion n’a pas abouti</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p class="hint">Revenez au site et recommencez la connexion.</p>`,
  );
}
