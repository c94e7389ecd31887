/**
 * The console's access to the gateway: the same typed operations as the public page, sent
 * with the browser's sign-in cookie (same origin). Errors are shown, never swallowed.
 */
import { request, type Answer, type Operation } from '../../../graphql/client.js';

export const ENDPOINT = '/graphql';

export function ask<Result, Variables>(
  op: Operation<Result, Variables>,
  variables: Variables,
): Promise<Answer<Result>> {
  return request(ENDPOINT, op, variables);
}

/** A French sentence for what went wrong with an answer, or null when nothing did. */
export function problemOf(answer: Answer<unknown>): string | null {
  const error = answer.errors[0];
  if (!error) return null;
  const code = error.extensions?.code;
  if (code === 'UNAUTHENTICATED') return 'Votre session a expiré : reconnectez-vous.';
  if (code === 'FORBIDDEN') return 'Votre rôle ne permet pas cette action.';
  if (code === 'BAD_USER_INPUT') return `Saisie refusée : ${error.message}`;
  if (String(code ?? '').startsWith('PARTNER_'))
    return 'Le système de ce partenaire ne répond pas pour le moment. Réessayez dans quelques minutes.';
  return 'Le réseau n’a pas pu traiter la demande. Réessayez dans quelques minutes.';
}
