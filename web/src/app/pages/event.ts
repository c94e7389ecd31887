/** An event's page, and the form to register as a guest. */
import type { EventPageQuery, UserErrorCode } from '../../__generated__/graphql.js';
import { EVENT_PAGE, REGISTER_GUEST } from '../../graphql/operations.js';
import { EVENT_KINDS } from '../../labels.js';
import { ask, otherErrors } from '../api.js';
import { field, h, replace } from '../dom.js';
import { period, price } from '../format.js';
import { eventJsonLd, setJsonLd } from '../jsonld.js';
import { absent } from './problems.js';
import { seatsText } from './space.js';
import { spacePath } from '../../paths.js';

type EventData = NonNullable<EventPageQuery['event']>;

const REFUSALS: Partial<Record<UserErrorCode, string>> = {
  ALREADY_REGISTERED: 'Cette adresse e-mail est déjà inscrite à cet événement.',
  EVENT_CLOSED: 'Les inscriptions sont closes : l’événement a commencé, est passé ou a été annulé.',
  GUEST_LIMIT:
    'Cette adresse e-mail a déjà cinq inscriptions à des événements à venir de ce partenaire. Contactez le lieu pour en ajouter.',
  UNKNOWN_EVENT: 'Cet événement n’existe plus.',
};

function registrationForm(event: EventData, seats: HTMLElement): HTMLElement {
  const name = h('input', {
    type: 'text',
    name: 'nom',
    autocomplete: 'name',
    required: true,
    maxlength: 100,
  });
  const email = h('input', {
    type: 'email',
    name: 'courriel',
    autocomplete: 'email',
    required: true,
    maxlength: 254,
  });
  const submit = h('button', { type: 'submit' }, 'S’inscrire');
  const outcome = h('div', { class: 'resultat', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'inscription', novalidate: true, 'aria-labelledby': 'titre-inscription' },
    h('h2', { id: 'titre-inscription' }, 'S’inscrire comme invité'),
    h(
      'p',
      { class: 'aide' },
      'Votre nom et votre adresse e-mail servent uniquement au lieu, pour vous prévenir d’un changement.',
    ),
    field('Nom et prénom', name),
    field('Adresse e-mail', email, 'Par exemple : camille@exemple.fr'),
    submit,
    outcome,
  );

  function invalid(control: HTMLInputElement, message: string): void {
    const id = `${control.id}-erreur`;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute(
      'aria-describedby',
      [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '),
    );
    control.insertAdjacentElement('beforebegin', h('p', { id, class: 'erreur' }, message));
  }

  function clearErrors(): void {
    for (const p of form.querySelectorAll('p.erreur')) p.remove();
    for (const control of [name, email]) {
      control.removeAttribute('aria-invalid');
      const describedBy = (control.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter((id) => id && !id.endsWith('-erreur'))
        .join(' ');
      if (describedBy) control.setAttribute('aria-describedby', describedBy);
      else control.removeAttribute('aria-describedby');
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    replace(outcome);
    if (!name.value.trim()) invalid(name, 'Indiquez votre nom.');
    if (!email.validity.valid || !email.value)
      invalid(email, 'Indiquez une adresse e-mail valide, par exemple camille@exemple.fr.');
    const first = form.querySelector<HTMLInputElement>('[aria-invalid="true"]');
    if (first) return first.focus();
    submit.disabled = true;
    try {
      const answer = await ask(REGISTER_GUEST, {
        eventId: event.id,
        name: name.value.trim(),
        email: email.value.trim(),
      });
      const payload = answer.data?.registerForEvent;
      if (payload?.answerSentByMail) {
        replace(
          outcome,
          h(
            'p',
            { class: 'succes' },
            `Un mail est en route vers ${email.value.trim()} : confirmez votre inscription à « ${event.title} » par le lien qu’il contient, dans les 30 minutes. Sans confirmation, la place est rendue.`,
          ),
        );
        form.reset();
      } else if (payload?.registration) {
        const r = payload.registration;
        seats.textContent = seatsText({ ...event, seatsLeft: r.event.seatsLeft });
        replace(
          outcome,
          h(
            'p',
            { class: 'succes' },
            r.status === 'CONFIRMED'
              ? `C’est noté : votre place est réservée pour « ${event.title} ».`
              : `L’événement est complet : vous êtes en position ${r.waitingPosition} sur la liste d’attente. Un mail vous préviendra si une place se libère.`,
          ),
        );
        form.reset();
      } else if (payload?.error) {
        const { code, field: at } = payload.error;
        if (at === 'input.guest.email') invalid(email, 'Cette adresse e-mail n’est pas valide.');
        else if (at === 'input.guest.name')
          invalid(name, 'Ce nom n’est pas valide (100 caractères au plus).');
        else
          replace(
            outcome,
            h(
              'p',
              { class: 'erreur' },
              REFUSALS[code] ?? 'L’inscription n’a pas pu être enregistrée.',
            ),
          );
        form.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      } else {
        const why = otherErrors(answer)[0];
        replace(
          outcome,
          h(
            'p',
            { class: 'erreur' },
            why
              ? 'L’inscription n’a pas pu être enregistrée. Réessayez plus tard.'
              : 'Le lieu ne répond pas pour le moment : réessayez dans quelques minutes.',
          ),
        );
      }
    } catch {
      replace(
        outcome,
        h('p', { class: 'erreur' }, 'Le service ne répond pas. Réessayez dans quelques minutes.'),
      );
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export async function eventPage(main: HTMLElement, id: string): Promise<string> {
  const answer = await ask(EVENT_PAGE, { id });
  const event = answer.data?.event;
  if (!event) {
    setJsonLd(null);
    return absent(main, answer, 'Cet événement n’existe pas ou plus.');
  }
  setJsonLd(eventJsonLd(event, location.origin));
  const cancelled = event.status === 'CANCELLED';
  const seats = h('span', { class: 'places', id: 'places-restantes' }, seatsText(event));
  const open = !cancelled && new Date(event.startsAt) > new Date();
  replace(
    main,
    h(
      'p',
      { class: 'fil' },
      h(
        'a',
        { href: spacePath(event.space.id) },
        `← ${event.space.name} (${event.space.address.commune})`,
      ),
    ),
    h('h1', { tabindex: -1 }, event.title),
    cancelled ? h('p', { class: 'badge annule' }, 'Événement annulé') : null,
    h(
      'dl',
      { class: 'details' },
      h('dt', {}, 'Quand'),
      h('dd', {}, period(new Date(event.startsAt), new Date(event.endsAt))),
      h('dt', {}, 'Où'),
      h(
        'dd',
        {},
        h('a', { href: spacePath(event.space.id) }, event.space.name),
        `, ${event.space.address.commune}`,
      ),
      h('dt', {}, 'Type'),
      h('dd', {}, EVENT_KINDS[event.kind]),
      h('dt', {}, 'Tarif'),
      h('dd', {}, event.price ? price(event.price.amountCents, event.price.currency) : 'Gratuit'),
      h('dt', {}, 'Places'),
      h('dd', {}, seats),
    ),
    event.description ? h('p', { class: 'chapo' }, event.description) : null,
    open
      ? registrationForm(event, seats)
      : h('p', {}, cancelled ? 'Cet événement est annulé.' : 'Les inscriptions sont closes.'),
  );
  return event.title;
}
