/**
 * The French sentences of booking a resource: the partner contract's `BookingErrorCode`, and
 * why a pass booking failed. Apart from `error-messages.ts` (which the main bundle carries) so
 * that only the booking chunks carry them.
 */
import type { BookingErrorCode } from './__generated__/graphql.js';
import { lookup, NETWORK_USER_ERROR_MESSAGES, UNKNOWN_ERROR_MESSAGE } from './error-messages.js';

/** The partner contract's `BookingErrorCode`. */
export const BOOKING_ERROR_MESSAGES: Record<BookingErrorCode, string> = {
  INVALID_INPUT: 'Une des valeurs saisies n’est pas valable : vérifiez le formulaire.',
  UNKNOWN_RESOURCE: 'Cette ressource n’existe pas ou n’est plus proposée à la réservation.',
  UNKNOWN_SPACE: 'Ce lieu n’existe pas ou plus.',
  UNKNOWN_MEMBER: 'Cette fiche d’adhérent est introuvable chez ce partenaire.',
  UNKNOWN_BOOKING: 'Cette réservation est introuvable.',
  INVALID_RANGE: 'L’heure de fin doit venir après l’heure de début.',
  IN_THE_PAST: 'Ce créneau est déjà passé : choisissez une heure à venir.',
  TOO_FAR_AHEAD: 'Ce créneau est trop loin dans le temps pour cette ressource.',
  TOO_SHORT: 'Ce créneau est plus court que la durée minimale de réservation.',
  TOO_LONG: 'Ce créneau dépasse la durée maximale de réservation.',
  OUTSIDE_BOOKABLE_HOURS:
    'Ce créneau sort des horaires de réservation de la ressource ou des horaires du lieu.',
  SLOT_TAKEN: 'Ce créneau vient d’être réservé par quelqu’un d’autre : choisissez-en un autre.',
  PASS_NOT_ACCEPTED: 'Cette ressource ne se réserve pas avec un pass du réseau.',
  PAID_WITH_PASS: 'Cette réservation a été payée avec un pass : annulez-la depuis Mon espace.',
  ALREADY_CANCELLED: 'Cette réservation est déjà annulée.',
  HOLD_RELEASED: 'La réservation n’a pas pu aboutir : le créneau a été libéré.',
  ALREADY_CONFIRMED: 'Cette réservation est déjà confirmée.',
};

/** The French sentence of a `BookingError`. */
export function bookingErrorMessage(code: string): string {
  return lookup(BOOKING_ERROR_MESSAGES, code) ?? UNKNOWN_ERROR_MESSAGE;
}

/** Why a pass booking failed: the host's `BookingErrorCode` or the network's code. */
export function passBookingFailureMessage(failure: string | null | undefined): string {
  return (
    lookup(BOOKING_ERROR_MESSAGES, failure) ??
    lookup(NETWORK_USER_ERROR_MESSAGES, failure) ??
    UNKNOWN_ERROR_MESSAGE
  );
}
