/**
 * The space page's "Réserver": the space's resources and their rules, the free slots of a day,
 * and booking one, for oneself (`bookResource`, paid at the desk), with a network pass
 * (`bookWithPass`), or at the front desk for a visitor. A chunk of its own, fetched only for a
 * space that has resources.
 */
import { instantFromParisWallClock } from '@tiers-lieux/schema/paris-time';
import type { ResourceKind, SpaceResourcesQuery } from '../__generated__/graphql.js';
import { bookingErrorMessage, passBookingFailureMessage } from '../booking-error-messages.js';
import { graphqlErrorMessage, networkUserErrorMessage } from '../error-messages.js';
import {
  BOOK_RESOURCE,
  BOOK_WITH_PASS,
  FREE_SLOTS,
  SPACE_RESOURCES,
} from '../graphql/booking-operations.js';
import type { Answer } from '../graphql/client.js';
import { parisDate, parisWallClock } from '../paris-time.js';
import { ask, otherErrors } from './api.js';
import { bookingCalendarLink } from './booking-calendar.js';
import { field, h, options, replace, uid } from './dom.js';
import { hour, longDay, period, plural, price } from './format.js';
import { currentSession, signInHref } from './session.js';

// Here rather than in labels.ts: labels.ts is in the main bundle, and this belongs to the booking chunk.
const RESOURCE_KINDS: Record<ResourceKind, string> = {
  MEETING_ROOM: 'Salle de réunion',
  FLEXIBLE_DESK: 'Poste nomade',
  FIXED_DESK: 'Poste fixe',
  VISIO_KIT: 'Matériel de visio-conférence',
  PRINTER: 'Imprimante professionnelle',
  OTHER_EQUIPMENT: 'Équipement',
};

type Space = NonNullable<SpaceResourcesQuery['space']>;
type Resource = NonNullable<Space['resources']>[number];
type Money = { amountCents: number; currency: string } | null | undefined;

function failure(answer: Answer<unknown> | null): string {
  if (!answer) return graphqlErrorMessage({ extensions: { code: 'TRANSPORT_ERROR' } });
  return graphqlErrorMessage(otherErrors(answer)[0] ?? answer.errors[0] ?? null);
}

function duration(minutes: number): string {
  if (minutes % 60 !== 0)
    return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60}`;
  return `${minutes / 60} h`;
}

function prices(resource: Resource): string {
  const parts: string[] = [];
  const add = (money: Money, per: string) => {
    if (money) parts.push(`${price(money.amountCents, money.currency)} ${per}`);
  };
  add(resource.pricePerHour, 'l’heure');
  add(resource.pricePerHalfDay, 'la demi-journée');
  add(resource.pricePerDay, 'la journée');
  return parts.length > 0 ? parts.join(' · ') : 'Gratuit';
}

function resourceItem(resource: Resource): HTMLElement {
  return h(
    'li',
    { 'data-ressource': resource.id },
    h('h3', {}, resource.name),
    h(
      'p',
      {},
      RESOURCE_KINDS[resource.kind],
      ' · ',
      resource.capacity > 1 ? `jusqu’à ${resource.capacity} personnes` : '1 personne',
    ),
    resource.description ? h('p', {}, resource.description) : null,
    h('p', {}, 'Tarifs : ', prices(resource), '.'),
    h(
      'p',
      { class: 'aide' },
      `De ${duration(resource.minMinutes)} à ${duration(resource.maxMinutes)}, jusqu’à ${plural(resource.maxDaysAhead, 'jour')} à l’avance ; annulation sans frais jusqu’à ${resource.freeCancellationHours} h avant le début.`,
      resource.acceptsPass ? ' Réservable avec un pass du réseau.' : '',
    ),
  );
}

/** The instant of a Paris calendar day (`2026-11-30`) at a wall-clock time (`14:30`). */
function parisInstant(date: string, time: string): Date | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const clock = /^(\d{2}):(\d{2})$/.exec(time);
  if (!day || !clock) return null;
  return instantFromParisWallClock({
    year: Number(day[1]),
    month: Number(day[2]),
    day: Number(day[3]),
    hour: Number(clock[1]),
    minute: Number(clock[2]),
    second: 0,
  });
}

function wallTime(instant: Date): string {
  const { hour: h, minute } = parisWallClock(instant);
  return `${String(h).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

function newKey(): string {
  return crypto.randomUUID();
}

export async function mountBooking(container: HTMLElement, spaceId: string): Promise<void> {
  const heading = container.querySelector('h2');
  const [answer, session] = await Promise.all([
    ask(SPACE_RESOURCES, { id: spaceId }).catch(() => null),
    currentSession(),
  ]);
  const space = answer?.data?.space;
  const resources = space?.resources ?? [];
  if (!space || resources.length === 0) {
    replace(
      container,
      heading,
      h('p', { class: 'erreur' }, `Les ressources n’ont pas pu être chargées. ${failure(answer)}`),
    );
    return;
  }
  const partner = space.partner?.slug ?? spaceId.split(':')[0];
  const frontDesk = (answer?.data?.me?.roles ?? []).some(
    (grant) =>
      grant.role === 'COORDINATOR' ||
      ((grant.role === 'MANAGER' || grant.role === 'STAFF') && grant.partner?.slug === partner),
  );
  const place = [
    space.name,
    space.address.street,
    `${space.address.postalCode} ${space.address.commune}`,
  ]
    .filter(Boolean)
    .join(', ');

  const resourceChoice = h(
    'select',
    { name: 'ressource' },
    options(resources.map((r) => [r.id, r.name])),
  );
  const today = parisDate(new Date());
  const dayInput = h('input', {
    type: 'date',
    name: 'jour',
    required: true,
    min: today,
    value: today,
  });
  const slotsArea = h('div', { class: 'creneaux', 'aria-live': 'polite' });
  const startInput = h('input', { type: 'time', name: 'debut', required: true, step: 900 });
  const endInput = h('input', { type: 'time', name: 'fin', required: true, step: 900 });
  const outcome = h('div', { class: 'resultat', role: 'status', 'aria-live': 'polite' });
  const chosen = () => resources.find((r) => r.id === resourceChoice.value) ?? resources[0]!;

  async function showSlots(): Promise<void> {
    const resource = chosen();
    replace(slotsArea, h('p', {}, 'Recherche des créneaux libres…'));
    const slots = await ask(FREE_SLOTS, { id: resource.id, date: dayInput.value }).catch(
      () => null,
    );
    const free = slots?.data?.resource?.freeSlots;
    if (!free) return replace(slotsArea, h('p', { class: 'erreur' }, failure(slots)));
    const titleId = uid('creneaux');
    replace(
      slotsArea,
      h(
        'h3',
        { id: titleId },
        `Créneaux libres de « ${resource.name} », ${longDay(parisInstant(dayInput.value, '12:00')!)}`,
      ),
      free.length === 0
        ? h('p', {}, 'Aucun créneau libre ce jour-là.')
        : h(
            'ul',
            { class: 'liste-creneaux', 'aria-labelledby': titleId },
            free.map((slot) => {
              const start = new Date(slot.startsAt);
              const end = new Date(slot.endsAt);
              const button = h(
                'button',
                { type: 'button', class: 'secondaire' },
                `${hour(start)} – ${hour(end)}`,
                h('span', { class: 'sr-only' }, ' : choisir ce créneau'),
              );
              button.addEventListener('click', () => {
                const longest = Math.min(
                  end.getTime(),
                  start.getTime() + Math.max(resource.minMinutes, 60) * 60_000,
                  start.getTime() + resource.maxMinutes * 60_000,
                );
                startInput.value = wallTime(start);
                endInput.value = wallTime(new Date(longest));
                startInput.focus();
              });
              return h('li', {}, button);
            }),
          ),
    );
  }

  const form = h('form', {
    class: 'reservation',
    novalidate: true,
    'aria-label': 'Réserver une ressource',
  });
  const submit = h('button', { type: 'submit' }, 'Réserver');
  const passCode = h('input', {
    type: 'text',
    name: 'pass',
    autocomplete: 'off',
    spellcheck: false,
  });
  const byPass = h('input', { type: 'radio', name: 'paiement', value: 'pass' });
  const atDesk = h('input', { type: 'radio', name: 'paiement', value: 'sur-place', checked: true });
  const guestName = h('input', {
    type: 'text',
    name: 'visiteur',
    maxlength: 200,
    autocomplete: 'off',
  });
  byPass.id = uid('paiement');
  atDesk.id = uid('paiement');
  const passField = field(
    'Code du pass',
    passCode,
    'Le code imprimé sur votre pass, par exemple W7XD-X0PE-MPRJ.',
  );
  const showPassField = () => {
    const accepts = chosen().acceptsPass;
    byPass.disabled = !accepts;
    if (!accepts) atDesk.checked = true;
    passField.hidden = !byPass.checked;
  };
  byPass.addEventListener('change', showPassField);
  atDesk.addEventListener('change', showPassField);

  // One key per booking attempt: a double click or a retry after a lost answer sends the same
  // key, and the network books once. Changing what is booked starts a new attempt.
  let idempotencyKey = newKey();
  for (const input of [resourceChoice, dayInput, startInput, endInput, passCode])
    input.addEventListener('change', () => {
      idempotencyKey = newKey();
    });
  resourceChoice.addEventListener('change', () => {
    showPassField();
    void showSlots();
  });
  dayInput.addEventListener('change', () => void showSlots());

  const signedIn = session.signedIn;
  replace(
    form,
    field('Ressource', resourceChoice),
    field('Jour', dayInput),
    slotsArea,
    h(
      'fieldset',
      { class: 'horaires-reservation' },
      h('legend', {}, 'Horaires (heure de Paris)'),
      field('Début', startInput),
      field('Fin', endInput),
    ),
    signedIn
      ? [
          h(
            'fieldset',
            {},
            h('legend', {}, 'Paiement'),
            h(
              'div',
              { class: 'case' },
              atDesk,
              h('label', { for: atDesk.id }, 'Sur place, au tarif de la ressource'),
            ),
            h(
              'div',
              { class: 'case' },
              byPass,
              h('label', { for: byPass.id }, 'Avec un pass du réseau'),
            ),
            passField,
          ),
          frontDesk
            ? field(
                'Pour un visiteur (accueil)',
                guestName,
                'Laissez vide pour réserver à votre nom. Le visiteur règle sur place.',
              )
            : null,
          submit,
        ]
      : h('p', {}, h('a', { href: signInHref(), class: 'bouton' }, 'Se connecter pour réserver')),
    outcome,
  );
  showPassField();

  interface Booked {
    id: string;
    startsAt: string;
    endsAt: string;
    names: string[];
    /** Null when booked for oneself paid with a pass (the pass holder). */
    bookedForName: string | null;
    price: Money;
    passEntries: number | null;
    freeCancellationHours: number;
  }

  function confirmation(booked: Booked): void {
    const start = new Date(booked.startsAt);
    const end = new Date(booked.endsAt);
    const freeUntil = new Date(start.getTime() - booked.freeCancellationHours * 3_600_000);
    replace(
      outcome,
      h(
        'div',
        { class: 'succes confirmation-reservation' },
        h(
          'p',
          {},
          `Réservation confirmée : ${booked.names.join(' et ')}, ${period(start, end)}`,
          booked.bookedForName ? `, au nom de ${booked.bookedForName}.` : '.',
        ),
        booked.passEntries !== null
          ? h(
              'p',
              {},
              `Payée avec votre pass (${plural(booked.passEntries, 'entrée')}). Annulation sans frais, entrées rendues, jusqu’au ${longDay(freeUntil)} à ${hour(freeUntil)}.`,
            )
          : booked.price
            ? h(
                'p',
                {},
                `À régler sur place : ${price(booked.price.amountCents, booked.price.currency)}.`,
              )
            : null,
        h(
          'p',
          {},
          bookingCalendarLink({
            id: booked.id,
            title: `${booked.names.join(' et ')} — ${space!.name}`,
            startsAt: booked.startsAt,
            endsAt: booked.endsAt,
            place,
          }),
          ' · ',
          h('a', { href: '/mon-espace' }, 'Voir mes réservations'),
        ),
      ),
    );
  }

  const say = (text: string) => replace(outcome, h('p', { class: 'erreur' }, text));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    const startsAt = parisInstant(dayInput.value, startInput.value);
    const endsAt = parisInstant(dayInput.value, endInput.value);
    if (!startsAt || !endsAt) {
      say('Choisissez un jour, une heure de début et une heure de fin.');
      return (startsAt ? endInput : startInput).focus();
    }
    if (byPass.checked && !passCode.value.trim()) {
      say('Saisissez le code de votre pass.');
      return passCode.focus();
    }
    submit.disabled = true;
    replace(outcome, h('p', {}, 'Réservation en cours…'));
    const resource = chosen();
    try {
      if (byPass.checked) {
        const booked = await ask(BOOK_WITH_PASS, {
          input: {
            resourceId: resource.id,
            startsAt: startsAt.toISOString(),
            endsAt: endsAt.toISOString(),
            passCode: passCode.value.trim(),
            idempotencyKey,
          },
        }).catch(() => null);
        const payload = booked?.data?.bookWithPass;
        const passBooking = payload?.passBooking;
        if (payload?.error) return say(networkUserErrorMessage(payload.error.code));
        if (!passBooking) return say(failure(booked));
        if (passBooking.state === 'CONFIRMED') {
          idempotencyKey = newKey();
          confirmation({
            id: passBooking.booking?.id ?? passBooking.id,
            startsAt: passBooking.startsAt,
            endsAt: passBooking.endsAt,
            names: [resource.name],
            bookedForName: null,
            price: null,
            passEntries: passBooking.redemption?.entries ?? 0,
            freeCancellationHours: resource.freeCancellationHours,
          });
          return void showSlots();
        }
        if (passBooking.state === 'PENDING')
          return replace(
            outcome,
            h(
              'p',
              {},
              'Votre réservation est en cours de finalisation : elle apparaîtra dans Mon espace d’ici une minute, ou sera annulée sans rien vous coûter.',
            ),
          );
        idempotencyKey = newKey();
        return say(passBookingFailureMessage(passBooking.failure));
      }
      const visitor = frontDesk ? guestName.value.trim() : '';
      const booked = await ask(BOOK_RESOURCE, {
        input: {
          resourceId: resource.id,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          ...(visitor ? { guestName: visitor } : {}),
        },
      }).catch(() => null);
      const payload = booked?.data?.bookResource;
      if (payload?.booking) {
        const booking = payload.booking;
        confirmation({
          id: booking.id,
          startsAt: booking.startsAt,
          endsAt: booking.endsAt,
          names: [booking.resource.name, ...booking.bundle.map((b) => b.resource.name)],
          bookedForName: booking.bookedForName,
          price: booking.price,
          passEntries: null,
          freeCancellationHours: resource.freeCancellationHours,
        });
        return void showSlots();
      }
      say(payload?.error ? bookingErrorMessage(payload.error.code) : failure(booked));
    } finally {
      submit.disabled = false;
    }
  });

  replace(
    container,
    heading,
    h('ul', { class: 'ressources liste-simple' }, resources.map(resourceItem)),
    form,
  );
  await showSlots();
}
