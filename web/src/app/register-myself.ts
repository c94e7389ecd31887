/**
 * On an event's page, a signed-in person registers as themselves, with one button and no form;
 * visitors without an account keep the guest form.
 */
import type { MyUpcomingRegistrationsQuery } from '../__generated__/graphql.js';
import { graphqlErrorMessage, userErrorMessage } from '../error-messages.js';
import { MY_UPCOMING_REGISTRATIONS, REGISTER_MYSELF } from '../graphql/my-operations.js';
import { ask, otherErrors } from './api.js';
import { h, replace } from './dom.js';
import { seatsText } from './pages/space.js';
import { currentSession } from './session.js';

interface EventShown {
  id: string;
  title: string;
  capacity?: number | null;
  status: string;
}

type Me = NonNullable<MyUpcomingRegistrationsQuery['me']>;

function registeredText(title: string, status: string, position: number | null | undefined) {
  return status === 'CONFIRMED'
    ? `Vous êtes inscrit(e) à « ${title} » : votre place est réservée.`
    : `Vous êtes sur la liste d’attente de « ${title} », en position ${position ?? '?'}. Le lieu vous préviendra si une place se libère.`;
}

function toMySpace(): HTMLElement {
  return h('p', {}, h('a', { href: '/mon-espace' }, 'Voir et gérer mes inscriptions (Mon espace)'));
}

function selfRegistration(event: EventShown, seats: HTMLElement, me: Me): HTMLElement {
  const outcome = h('div', { class: 'resultat', role: 'status', 'aria-live': 'polite' });
  const section = h(
    'section',
    { class: 'inscription-personne', 'aria-labelledby': 'titre-inscription' },
    h('h2', { id: 'titre-inscription' }, 'S’inscrire'),
  );
  const held = me.registrations.find((r) => r.event.id === event.id && r.status !== 'CANCELLED');
  if (held) {
    section.append(
      h('p', { class: 'succes' }, registeredText(event.title, held.status, held.waitingPosition)),
      toMySpace(),
    );
    return section;
  }
  const button = h('button', { type: 'submit' }, 'M’inscrire');
  const form = h(
    'form',
    { novalidate: true },
    h('p', {}, `Vous vous inscrivez en tant que ${me.displayName}.`),
    button,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    replace(outcome);
    try {
      const answer = await ask(REGISTER_MYSELF, {
        eventId: event.id,
        displayName: me.displayName,
      });
      const payload = answer.data?.registerForEvent;
      if (payload?.registration) {
        const r = payload.registration;
        seats.textContent = seatsText({ ...event, seatsLeft: r.event.seatsLeft });
        form.remove();
        replace(
          outcome,
          h('p', { class: 'succes' }, registeredText(event.title, r.status, r.waitingPosition)),
          toMySpace(),
        );
        return;
      }
      const message = payload?.error
        ? userErrorMessage(payload.error.code)
        : graphqlErrorMessage(
            otherErrors(answer)[0] ?? { extensions: { code: 'PARTNER_UNAVAILABLE' } },
          );
      replace(outcome, h('p', { class: 'erreur' }, message));
    } catch {
      replace(
        outcome,
        h(
          'p',
          { class: 'erreur' },
          graphqlErrorMessage({ extensions: { code: 'TRANSPORT_ERROR' } }),
        ),
      );
    }
    button.disabled = false;
  });
  section.append(form, outcome);
  return section;
}

/**
 * The registration area of an open event: the guest form, replaced by the one-button
 * registration once the page knows the visitor is signed in.
 */
export function registrationArea(
  event: EventShown,
  seats: HTMLElement,
  guestForm: HTMLElement,
): HTMLElement {
  const area = h('div', { class: 'zone-inscription' }, guestForm);
  void (async () => {
    const session = await currentSession();
    if (!session.signedIn) return;
    const answer = await ask(MY_UPCOMING_REGISTRATIONS, {}).catch(() => null);
    const me = answer?.data?.me;
    // A session the network does not resolve to a person keeps the guest form.
    if (me) replace(area, selfRegistration(event, seats, me));
  })();
  return area;
}
