/**
 * The French sentence of every error code a person can meet on the web page. The API's
 * messages stay English, for developers; the page never shows them and reads only the code:
 * the `UserError` codes of the partner contract, the `NetworkUserError` codes of the network,
 * and the GraphQL codes of the gateway and the subgraphs (`extensions.code`).
 * `web/test/error-messages.test.ts` checks that every code of both SDLs has its sentence.
 */
import type { NetworkUserErrorCode, UserErrorCode } from './__generated__/graphql.js';

/** The partner contract's `UserErrorCode`. */
export const USER_ERROR_MESSAGES: Record<UserErrorCode, string> = {
  INVALID_INPUT: 'Une des valeurs saisies n’est pas valable : vérifiez le formulaire.',
  WRONG_PARTNER: 'Cette demande ne concerne pas ce lieu.',
  UNKNOWN_SPACE: 'Ce lieu n’existe pas ou plus.',
  UNKNOWN_EVENT: 'Cet événement n’existe plus.',
  UNKNOWN_MEMBER: 'Vous n’avez pas de fiche d’adhérent chez ce partenaire.',
  UNKNOWN_REGISTRATION: 'Cette inscription n’existe plus.',
  EVENT_CLOSED: 'Les inscriptions sont closes : l’événement a commencé, est passé ou a été annulé.',
  EVENT_FULL: 'L’événement est complet.',
  ALREADY_REGISTERED: 'Vous êtes déjà inscrit(e) à cet événement.',
  GUEST_LIMIT:
    'Cette adresse e-mail a déjà cinq inscriptions à des événements à venir de ce partenaire. Contactez le lieu pour en ajouter.',
  ALREADY_CANCELLED: 'Cette inscription est déjà annulée.',
  EMAIL_TAKEN: 'Une autre fiche utilise déjà cette adresse e-mail.',
  ALREADY_CHECKED_IN: 'Cette personne est déjà enregistrée sur place.',
  NOT_CHECKED_IN: 'Cette personne n’est pas enregistrée sur place.',
  PERSON_TAKEN: 'Une autre fiche de ce partenaire est déjà liée à ce compte.',
  ALREADY_MEMBER: 'Cette personne a déjà cette formule dans ce lieu sur une période qui chevauche.',
  INVALID_TOKEN: 'Ce lien n’est pas valable ou a expiré.',
  UNKNOWN_OUTBOX_MESSAGE: 'Ce courriel est introuvable.',
};

/** The network's `NetworkUserErrorCode`. */
export const NETWORK_USER_ERROR_MESSAGES: Record<NetworkUserErrorCode, string> = {
  INVALID_INPUT: 'Une des valeurs saisies n’est pas valable : vérifiez le formulaire.',
  UNKNOWN_PARTNER: 'Ce partenaire ne fait pas partie du réseau.',
  SLUG_TAKEN: 'Un autre partenaire porte déjà cet identifiant.',
  NETWORK_FULL: 'Le réseau compte déjà le nombre maximal de partenaires.',
  PARTNER_SUSPENDED: 'Ce partenaire est suspendu : il ne vend ni n’accepte de pass.',
  UNKNOWN_PRODUCT: 'Ce type de pass n’existe pas.',
  UNKNOWN_CODE: 'Aucun pass ne porte ce code.',
  UNKNOWN_REDEMPTION: 'Ce passage n’existe pas.',
  NOT_VALID_AT_SPACE: 'Ce pass n’est pas valable dans ce lieu.',
  EXPIRED: 'Ce pass a expiré.',
  NOT_ENOUGH_ENTRIES: 'Il ne reste pas assez d’entrées sur ce pass.',
  VOIDED: 'Ce passage est déjà annulé.',
  IDEMPOTENCY_KEY_REUSED: 'Cette demande a déjà été envoyée pour un autre passage.',
  PARTNER_UNREACHABLE: 'Le partenaire ne répond pas pour le moment.',
  PARTNER_NONCONFORMING: 'Le service du partenaire ne respecte pas le contrat du réseau.',
  UNKNOWN_PERSON: 'Ce compte n’existe pas ou a été fermé.',
  UNKNOWN_GRANT: 'Ce rôle n’existe pas.',
  ALREADY_GRANTED: 'Cette personne a déjà ce rôle.',
  ALREADY_REVOKED: 'Ce rôle est déjà retiré.',
  INVALID_TOKEN: 'Ce lien n’est pas valable ou a expiré.',
  LAST_COORDINATOR:
    'Vous êtes la dernière personne à coordonner le réseau : confiez d’abord ce rôle à quelqu’un d’autre.',
  EMAIL_TAKEN: 'Un autre compte utilise déjà cette adresse e-mail.',
  UNKNOWN_BOOKING: 'Cette réservation est introuvable.',
  BOOKING_REFUSED: 'Le lieu a refusé cette réservation : le créneau n’est peut-être plus libre.',
  PARTNER_UNAVAILABLE: 'Le lieu ne répond pas pour le moment ; réessayez dans quelques minutes.',
};

/**
 * The codes of GraphQL errors (`errors[].extensions.code`): the gateway's, the partner
 * router's, the subgraphs' relayed through it, Apollo Server's, and the page's own
 * `TRANSPORT_ERROR` (an answer that is not GraphQL).
 */
export const GRAPHQL_ERROR_MESSAGES = {
  UNAUTHENTICATED: 'Connectez-vous pour continuer.',
  FORBIDDEN: 'Vous n’avez pas accès à cette information ou à cette action.',
  NOT_FOUND: 'Ce que vous cherchez n’existe pas ou plus.',
  BAD_USER_INPUT: 'Une des valeurs envoyées n’est pas valable.',
  BAD_REQUEST: 'La demande n’a pas pu être comprise.',
  RATE_LIMITED: 'Trop de demandes en peu de temps : patientez une minute avant de réessayer.',
  RESPONSE_TOO_LARGE: 'La réponse est trop volumineuse : demandez moins d’éléments à la fois.',
  GRAPHQL_PARSE_FAILED: 'La demande n’a pas pu être comprise.',
  GRAPHQL_VALIDATION_FAILED: 'La demande n’a pas pu être comprise.',
  OPERATION_RESOLUTION_FAILURE: 'La demande n’a pas pu être comprise.',
  PERSISTED_QUERY_NOT_FOUND: 'La demande n’a pas pu être comprise.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'La demande n’a pas pu être comprise.',
  INTERNAL_SERVER_ERROR: 'Une erreur est survenue de notre côté. Réessayez dans quelques minutes.',
  DOWNSTREAM_SERVICE_ERROR: 'Un service du réseau a rencontré une erreur. Réessayez plus tard.',
  SIGN_IN_UNAVAILABLE:
    'Le service de connexion est indisponible pour le moment. Réessayez dans quelques minutes.',
  UNKNOWN_PARTNER: 'Ce partenaire ne fait pas partie du réseau.',
  PARTNER_UNAVAILABLE:
    'Le partenaire ne répond pas pour le moment. Réessayez dans quelques minutes.',
  PARTNER_TIMEOUT: 'Le partenaire met trop de temps à répondre. Réessayez dans quelques minutes.',
  PARTNER_BAD_RESPONSE: 'Le partenaire a envoyé une réponse incorrecte ; une partie manque.',
  PARTNER_ERROR: 'Le partenaire n’a pas pu répondre à une partie de la demande.',
  PARTNER_SUSPENDED: 'Ce partenaire est suspendu du réseau pour le moment.',
  PARTNER_INCOMPATIBLE: 'Le service de ce partenaire n’est plus compatible avec le réseau.',
  PARTNER_OUTDATED:
    'Le service de ce partenaire n’est pas à jour : certaines informations manquent.',
  SUBGRAPH_TIMEOUT:
    'Le service du réseau met trop de temps à répondre. Réessayez dans quelques minutes.',
  SUBGRAPH_UNAVAILABLE:
    'Le service du réseau ne répond pas pour le moment. Réessayez dans quelques minutes.',
  TRANSPORT_ERROR: 'Le service ne répond pas. Réessayez dans quelques minutes.',
} as const;

export type GraphqlErrorCode = keyof typeof GRAPHQL_ERROR_MESSAGES;

/** What a code the catalogue does not know yet says. */
export const UNKNOWN_ERROR_MESSAGE =
  'Une erreur inattendue est survenue. Réessayez dans quelques minutes.';

/**
 * The guest form speaks of an email address, not of "you": its own sentences for the codes
 * where that matters.
 */
export const GUEST_MESSAGES: Partial<Record<UserErrorCode, string>> = {
  ALREADY_REGISTERED: 'Cette adresse e-mail est déjà inscrite à cet événement.',
};

export function lookup(table: Readonly<Record<string, string>>, code: unknown): string | undefined {
  return typeof code === 'string' && Object.hasOwn(table, code) ? table[code] : undefined;
}

/** The French sentence of a partner's `UserError`. */
export function userErrorMessage(code: string, overrides: Partial<Record<string, string>> = {}) {
  return (
    lookup(overrides as Record<string, string>, code) ??
    lookup(USER_ERROR_MESSAGES, code) ??
    UNKNOWN_ERROR_MESSAGE
  );
}

/** The French sentence of the network's `NetworkUserError`. */
export function networkUserErrorMessage(code: string): string {
  return lookup(NETWORK_USER_ERROR_MESSAGES, code) ?? UNKNOWN_ERROR_MESSAGE;
}

/** The French sentence of a GraphQL error, by its `extensions.code`. */
export function graphqlErrorMessage(error: { extensions?: { code?: unknown } } | null): string {
  return lookup(GRAPHQL_ERROR_MESSAGES, error?.extensions?.code) ?? UNKNOWN_ERROR_MESSAGE;
}
