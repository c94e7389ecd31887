/**
 * "Mes réservations" in "Mon espace": the person's bookings at every partner (`me { bookings }`,
 * which the partner router merges), upcoming and past, with cancelling: `cancelBooking`, or the
 * network's `cancelPassBooking` for one paid with a pass (entries given back in the free
 * cancellation period).
 */
import type { MyBookingFragment } from '../__generated__/graphql.js';
import { bookingErrorMessage } from '../booking-error-messages.js';
import { graphqlErrorMessage, networkUserErrorMessage } from '../error-messages.js';
import { CANCEL_BOOKING, CANCEL_PASS_BOOKING, MY_BOOKINGS } from '../graphql/booking-operations.js';
import type { Answer } from '../graphql/client.js';
import { spacePath } from '../paths.js';
import { ask, otherErrors } from './api.js';
import { bookingCalendarLink } from './booking-calendar.js';
import { h, replace } from './dom.js';
import { hour, longDay, period, price } from './format.js';

const STATUS: Record<MyBookingFragment['status'], string> = {
  HELD: 'En cours de confirmation',
  CONFIRMED: 'Réservée',
  CANCELLED: 'Annulée',
  RELEASED: 'Non aboutie',
};

function failure(answer: Answer<unknown> | null): string {
  if (!answer) return graphqlErrorMessage({ extensions: { code: 'TRANSPORT_ERROR' } });
  return graphqlErrorMessage(otherErrors(answer)[0] ?? answer.errors[0] ?? null);
}

function payment(booking: MyBookingFragment): string {
  if (booking.payment === 'PASS' || booking.passBooking) return 'Payée avec un pass du réseau';
  if (booking.payment === 'INCLUDED') return 'Comprise dans votre abonnement';
  return booking.price
    ? `À régler sur place : ${price(booking.price.amountCents, booking.price.currency)}`
    : 'Gratuite';
}

function bookingItem(booking: MyBookingFragment, upcoming: boolean): HTMLElement {
  const names = [booking.resource.name, ...booking.bundle.map((b) => b.resource.name)].join(' et ');
  const space = booking.resource.space;
  const state = h('span', { class: 'etat' }, STATUS[booking.status]);
  const outcome = h('div', { class: 'resultat', role: 'status', 'aria-live': 'polite' });
  const freeUntil = new Date(booking.freeCancellationUntil);
  const paidWithPass = Boolean(booking.passBooking);
  const live = booking.status === 'CONFIRMED' || booking.status === 'HELD';
  const item = h(
    'li',
    { 'data-reservation': booking.id },
    h('p', {}, h('strong', {}, names)),
    h(
      'p',
      {},
      period(new Date(booking.startsAt), new Date(booking.endsAt)),
      ' — ',
      h('a', { href: spacePath(space.id) }, space.name),
      ` (${space.address.commune})`,
    ),
    h('p', {}, state, ` · ${payment(booking)}`),
  );
  if (upcoming && live && paidWithPass)
    item.append(
      h(
        'p',
        { class: 'aide' },
        freeUntil > new Date()
          ? `Annulation sans frais jusqu’au ${longDay(freeUntil)} à ${hour(freeUntil)} : les entrées de votre pass vous sont alors rendues.`
          : 'La période d’annulation sans frais est passée : annulée maintenant, la réservation garde les entrées de votre pass.',
      ),
    );
  if (upcoming && booking.status === 'CONFIRMED') {
    item.append(
      h(
        'p',
        {},
        bookingCalendarLink({
          id: booking.id,
          title: `${names} — ${space.name}`,
          startsAt: booking.startsAt,
          endsAt: booking.endsAt,
          place: `${space.name}, ${space.address.commune}`,
        }),
      ),
    );
    const button = h(
      'button',
      { type: 'button', class: 'secondaire' },
      'Annuler la réservation',
      h(
        'span',
        { class: 'sr-only' },
        ` de « ${names} », ${period(new Date(booking.startsAt), new Date(booking.endsAt))}`,
      ),
    );
    button.addEventListener('click', async () => {
      button.disabled = true;
      const said = (kind: 'succes' | 'erreur', text: string) =>
        replace(outcome, h('p', { class: kind }, text));
      if (booking.passBooking) {
        const answer = await ask(CANCEL_PASS_BOOKING, { id: booking.passBooking.id }).catch(
          () => null,
        );
        const payload = answer?.data?.cancelPassBooking;
        if (payload?.passBooking?.state === 'CANCELLED') {
          state.textContent = STATUS.CANCELLED;
          button.remove();
          const givenBack = payload.passBooking.redemption?.voided ?? false;
          return said(
            'succes',
            givenBack
              ? `Réservation annulée : les entrées de votre pass vous sont rendues.`
              : 'Réservation annulée, après la période d’annulation sans frais : les entrées de votre pass restent dépensées.',
          );
        }
        button.disabled = false;
        return said(
          'erreur',
          payload?.error ? networkUserErrorMessage(payload.error.code) : failure(answer),
        );
      }
      const answer = await ask(CANCEL_BOOKING, { id: booking.id }).catch(() => null);
      const payload = answer?.data?.cancelBooking;
      if (payload?.booking) {
        state.textContent = STATUS.CANCELLED;
        button.remove();
        return said('succes', `Votre réservation de « ${names} » est annulée.`);
      }
      button.disabled = false;
      said('erreur', payload?.error ? bookingErrorMessage(payload.error.code) : failure(answer));
    });
    item.append(button);
  }
  item.append(outcome);
  return item;
}

/** The section, filled once the bookings are in (they are asked after the rest of the page). */
export function myBookingsSection(): HTMLElement {
  const body = h('div', {}, h('p', {}, 'Chargement de vos réservations…'));
  void (async () => {
    const answer = await ask(MY_BOOKINGS, {}).catch(() => null);
    const bookings = answer?.data?.me?.bookings;
    if (!bookings) {
      replace(
        body,
        h(
          'p',
          { class: 'erreur' },
          `Vos réservations n’ont pas pu être chargées. ${failure(answer)}`,
        ),
      );
      return;
    }
    const now = Date.now();
    const shown = bookings.filter((b) => b.status !== 'RELEASED');
    const upcoming = shown
      .filter((b) => new Date(b.endsAt).getTime() > now)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const past = shown
      .filter((b) => new Date(b.endsAt).getTime() <= now)
      .sort((a, b) => b.startsAt.localeCompare(a.startsAt));
    const list = (items: MyBookingFragment[], isUpcoming: boolean, none: string) =>
      items.length === 0
        ? h('p', {}, none)
        : h(
            'ul',
            { class: 'liste-simple' },
            items.map((b) => bookingItem(b, isUpcoming)),
          );
    replace(
      body,
      h('h3', {}, 'À venir'),
      list(upcoming, true, 'Aucune réservation à venir.'),
      h('h3', {}, 'Passées'),
      list(past, false, 'Aucune réservation passée.'),
    );
  })();
  return h(
    'section',
    { 'aria-labelledby': 'titre-reservations' },
    h('h2', { id: 'titre-reservations' }, 'Mes réservations'),
    body,
  );
}
