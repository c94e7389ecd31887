import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ownGraphqlEndpoint } from './loopback.js';

/**
 * Where the links of the network's mails land: confirming or cancelling a guest's
 * registration, and unsubscribing from an optional message. A GET shows a page with one
 * button, which POSTs: mail scanners that follow links cannot confirm or cancel anything.
 * An unsubscribe link also takes the one-click POST of RFC 8058 straight from the mail client.
 * Each POST calls the mutation of the partner the link names, through the gateway; an
 * unsubscribe link of the network's own mails names `network` (a slug no partner may take) and
 * calls the network's `unsubscribeFromPassMessage`.
 */
export function mailLinkRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_request, body, done) => done(null, body),
    );

    const registration = (path: string, action: 'confirm' | 'cancel') => {
      const copy = ACTIONS[action];
      app.get(`/inscription/${path}/:id/:token`, (_request, reply) =>
        page(reply, 200, copy.title, [copy.question], copy.button),
      );
      app.post(`/inscription/${path}/:id/:token`, async (request, reply) => {
        const { id, token } = request.params as { id: string; token: string };
        const answer = await ask(request, copy.mutation, { input: { registrationId: id, token } });
        const payload = answer?.[copy.field] as RegistrationAnswer | undefined;
        if (!payload) return page(reply, 502, 'Un problème est survenu', [RETRY]);
        if (payload.error)
          return page(reply, 400, 'Lien non valide', [refusal(payload.error.code)]);
        const status = payload.registration?.status;
        if (action === 'cancel') return page(reply, 200, 'Inscription annulée', [CANCELLED]);
        if (status === 'WAITING')
          return page(reply, 200, "Inscription sur liste d'attente", [WAITING]);
        return page(reply, 200, 'Inscription confirmée', [CONFIRMED]);
      });
    };
    registration('confirmer', 'confirm');
    registration('annuler', 'cancel');

    app.get('/desabonnement/:partner/:token', (_request, reply) =>
      page(
        reply,
        200,
        'Se désabonner',
        ['Ne plus recevoir ce type de message à cette adresse ?'],
        'Me désabonner',
      ),
    );
    app.post('/desabonnement/:partner/:token', async (request, reply) => {
      const { partner, token } = request.params as { partner: string; token: string };
      const network = partner === NETWORK_LINKS;
      const answer = network
        ? await ask(request, UNSUBSCRIBE_NETWORK, { input: { token } })
        : await ask(request, UNSUBSCRIBE, { input: { partner, token } });
      const payload = answer?.[network ? 'unsubscribeFromPassMessage' : 'unsubscribe'] as
        { error: { code: string } | null } | undefined;
      if (!payload) return page(reply, 502, 'Un problème est survenu', [RETRY]);
      if (payload.error) return page(reply, 400, 'Lien non valide', [refusal(payload.error.code)]);
      return page(reply, 200, 'Désabonnement enregistré', [
        `Vous ne recevrez plus ce type de message. ${network ? "Les messages qui concernent vos pass (émission du pass, réservations) continuent de vous parvenir. Vous pouvez changer d'avis depuis Mon espace." : 'Les messages qui concernent vos inscriptions (confirmation, changement, annulation) continuent de vous parvenir.'}`,
      ]);
    });
  };
}

interface RegistrationAnswer {
  registration: { status: string } | null;
  error: { code: string } | null;
}

const REGISTRATION_FIELDS = 'registration { status } error { code }';
const ACTIONS = {
  confirm: {
    title: 'Confirmer votre inscription',
    question: 'Confirmez-vous votre inscription à cet événement ?',
    button: 'Confirmer mon inscription',
    field: 'confirmGuestRegistration',
    mutation: /* GraphQL */ `mutation ConfirmGuestRegistration($input: RegistrationLinkInput!) {
      confirmGuestRegistration(input: $input) { ${REGISTRATION_FIELDS} } }`,
  },
  cancel: {
    title: 'Annuler votre inscription',
    question: 'Voulez-vous annuler votre inscription à cet événement ?',
    button: 'Annuler mon inscription',
    field: 'cancelGuestRegistration',
    mutation: /* GraphQL */ `mutation CancelGuestRegistration($input: RegistrationLinkInput!) {
      cancelGuestRegistration(input: $input) { ${REGISTRATION_FIELDS} } }`,
  },
} as const;
/** The partner segment of the network's own unsubscribe links (`NETWORK_LINK_SEGMENT`). */
const NETWORK_LINKS = 'network';
const UNSUBSCRIBE_NETWORK = /* GraphQL */ `
  mutation UnsubscribeFromPassMessage($input: UnsubscribeFromPassMessageInput!) {
    unsubscribeFromPassMessage(input: $input) {
      kind
      error {
        code
      }
    }
  }
`;
const UNSUBSCRIBE = /* GraphQL */ `
  mutation Unsubscribe($input: UnsubscribeInput!) {
    unsubscribe(input: $input) {
      kind
      error {
        code
      }
    }
  }
`;

const CONFIRMED =
  "Votre inscription est confirmée : une place vous attend. Un mail de confirmation vous parvient avec l'événement pour votre agenda et un lien pour annuler.";
const WAITING =
  "L'événement est complet : vous êtes sur la liste d'attente. Si une place se libère, un mail vous le dira.";
const CANCELLED =
  "Votre inscription est annulée. Si vous teniez une place, elle va à la personne suivante de la liste d'attente.";
const RETRY = 'Le service ne répond pas pour le moment ; réessayez dans quelques minutes.';

function refusal(code: string): string {
  if (code === 'ALREADY_CANCELLED')
    return "Cette inscription est annulée (par vous, ou faute de confirmation à temps). Inscrivez-vous de nouveau depuis la page de l'événement.";
  return "Ce lien n'est pas valide. Vérifiez qu'il est complet, tel qu'il figure dans le mail.";
}

async function ask(
  request: FastifyRequest,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<string, unknown> | null> {
  try {
    const response = await fetch(ownGraphqlEndpoint(request), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { data?: Record<string, unknown> | null };
    return body.data ?? null;
  } catch {
    return null;
  }
}

const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(
  reply: FastifyReply,
  status: number,
  title: string,
  paragraphs: string[],
  button?: string,
): FastifyReply {
  const body = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(title)} — Réseau des tiers-lieux</title>
<style>body{font-family:sans-serif;line-height:1.5;max-width:36em;margin:3em auto;padding:0 1em}button{font-size:1em;padding:.5em 1em}</style></head>
<body><main><h1>${esc(title)}</h1>
${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
${button ? `<form method="post"><button type="submit">${esc(button)}</button></form>` : ''}
<p><a href="/">Réseau des tiers-lieux</a></p></main></body></html>`;
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(body);
}

export function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
