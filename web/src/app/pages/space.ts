/** A space's page: what it is, where, when it opens, what it costs, what is on. */
import { SPACE_PAGE } from '../../graphql/operations.js';
import {
  AMENITIES,
  AUDIENCES,
  EVENT_KINDS,
  SERVICES,
  SPACE_KINDS,
  departmentLabel,
} from '../../labels.js';
import { ask } from '../api.js';
import { h, replace } from '../dom.js';
import { openingState, period, plural, price } from '../format.js';
import { hoursInWords } from '../hours.js';
import { osmLink, placeJsonLd, setJsonLd } from '../jsonld.js';
import { pageOrigin } from '../page-context.js';
import { absent } from './problems.js';
import { eventPath, spaceFeedPath } from '../../paths.js';

/** The mark of the space page's "Réserver" section, which the booking chunk fills in. */
export const BOOKING_MARK = 'data-reserver';

export function seatsText(event: {
  capacity?: number | null;
  seatsLeft?: number | null;
  status: string;
}): string {
  if (event.status === 'CANCELLED') return 'Annulé';
  if (event.seatsLeft === null || event.seatsLeft === undefined) return 'Places illimitées';
  if (event.seatsLeft === 0) return 'Complet : inscription sur liste d’attente';
  return `${plural(event.seatsLeft, 'place restante', 'places restantes')} sur ${event.capacity}`;
}

function section(title: string, ...content: Parameters<typeof h>[2][]): HTMLElement {
  return h('section', { class: 'bloc' }, h('h2', {}, title), ...content);
}

export async function spacePage(main: HTMLElement, id: string): Promise<string> {
  const answer = await ask(SPACE_PAGE, { id });
  const space = answer.data?.space;
  if (!space) {
    setJsonLd(null);
    return absent(main, answer, 'Ce lieu n’existe pas ou plus.');
  }
  setJsonLd(placeJsonLd(space, pageOrigin()));
  const state = openingState(space);
  const words = space.openingHours ? hoursInWords(space.openingHours) : null;
  const address = [
    space.address.street,
    `${space.address.postalCode} ${space.address.commune}`,
    departmentLabel(space.address.department),
  ].filter(Boolean);

  replace(
    main,
    h('p', { class: 'fil' }, h('a', { href: '/' }, '← Retour à l’annuaire')),
    h(
      'h1',
      { tabindex: -1 },
      space.name,
      h('span', { class: 'commune' }, ` — ${space.address.commune}`),
    ),
    h('p', { class: `badge ${state.open ? 'ouvert' : 'ferme'}` }, state.label),
    h(
      'p',
      { class: 'types' },
      space.kinds.map((k) => SPACE_KINDS[k]).join(' · '),
      space.partner ? ` · partenaire : ${space.partner.name}` : null,
    ),
    space.description ? h('p', { class: 'chapo' }, space.description) : null,
    h(
      'div',
      { class: 'colonnes' },
      section(
        'Accès',
        h(
          'address',
          {},
          address.map((line, i) => [i > 0 ? h('br') : null, line]),
        ),
        space.accessNotes ? h('p', {}, space.accessNotes) : null,
        h(
          'p',
          {},
          h(
            'a',
            { href: osmLink(space.location), rel: 'external' },
            'Voir le lieu sur OpenStreetMap',
          ),
        ),
        space.contact.phone || space.contact.email || space.website
          ? h(
              'ul',
              { class: 'contact' },
              space.contact.phone
                ? h(
                    'li',
                    {},
                    'Téléphone : ',
                    h(
                      'a',
                      { href: `tel:${space.contact.phone.replace(/\s/g, '')}` },
                      space.contact.phone,
                    ),
                  )
                : null,
              space.contact.email
                ? h(
                    'li',
                    {},
                    'Courriel : ',
                    h('a', { href: `mailto:${space.contact.email}` }, space.contact.email),
                  )
                : null,
              space.website
                ? h('li', {}, h('a', { href: space.website, rel: 'external' }, 'Site web du lieu'))
                : null,
            )
          : null,
      ),
      section(
        'Horaires',
        !space.openingHours
          ? h('p', {}, 'Horaires non communiqués.')
          : words
            ? h(
                'ul',
                { class: 'horaires' },
                words.map((w) => h('li', {}, w)),
              )
            : h('p', {}, h('code', {}, space.openingHours), ' (format OpenStreetMap)'),
        space.nextOpenings.length > 0
          ? [
              h('h3', {}, 'Prochaines ouvertures'),
              h(
                'ul',
                { class: 'ouvertures' },
                space.nextOpenings.map((o) =>
                  h('li', {}, period(new Date(o.opensAt), new Date(o.closesAt))),
                ),
              ),
            ]
          : null,
      ),
      section(
        'Fréquentation',
        h(
          'p',
          {},
          space.occupancy === 0
            ? 'Personne n’est enregistré sur place en ce moment'
            : `${plural(space.occupancy, 'personne présente', 'personnes présentes')} en ce moment`,
          space.desks !== null && space.desks !== undefined
            ? `, pour ${plural(space.desks, 'poste de travail', 'postes de travail')}.`
            : '.',
        ),
      ),
      section(
        'Tarifs',
        space.offers.length === 0
          ? h('p', {}, 'Tarifs non communiqués.')
          : h(
              'ul',
              { class: 'tarifs' },
              space.offers.map((o) =>
                h(
                  'li',
                  {},
                  `${o.label} : `,
                  h('strong', {}, price(o.price.amountCents, o.price.currency)),
                ),
              ),
            ),
        (space.acceptedPasses ?? []).length > 0
          ? h(
              'p',
              {},
              'Pass du réseau acceptés : ',
              (space.acceptedPasses ?? []).map((p) => p.name).join(', '),
              '. ',
              h('a', { href: '/pass' }, 'Consulter mon pass'),
            )
          : null,
      ),
      section(
        'Équipements et services',
        h('ul', { class: 'etiquettes' }, [
          ...space.amenities.map((a) => h('li', {}, AMENITIES[a])),
          ...space.services.map((s) => h('li', {}, SERVICES[s])),
        ]),
        space.audiences.length > 0
          ? h('p', {}, 'Pour : ', space.audiences.map((a) => AUDIENCES[a]).join(', '), '.')
          : null,
      ),
    ),
    (space.resources ?? []).length > 0
      ? h(
          'section',
          { class: 'bloc', 'aria-labelledby': 'titre-reserver', [BOOKING_MARK]: space.id },
          h('h2', { id: 'titre-reserver' }, 'Réserver'),
          h('p', {}, 'Chargement des salles, postes et équipements à réserver…'),
        )
      : null,
    section(
      'Événements à venir',
      space.events.length === 0
        ? h('p', {}, 'Aucun événement prévu pour le moment.')
        : h(
            'ul',
            { class: 'evenements' },
            space.events.map((e) =>
              h(
                'li',
                { class: e.status === 'CANCELLED' ? 'annule' : undefined },
                h('a', { href: eventPath(e.id) }, e.title),
                h(
                  'span',
                  { class: 'quand' },
                  ` — ${period(new Date(e.startsAt), new Date(e.endsAt))}`,
                ),
                h('span', { class: 'genre' }, ` · ${EVENT_KINDS[e.kind]}`),
                h('span', { class: 'places' }, ` · ${seatsText(e)}`),
              ),
            ),
          ),
      h(
        'p',
        {},
        h('a', { href: spaceFeedPath(space.id) }, 'S’abonner à l’agenda de ce lieu (iCalendar)'),
      ),
    ),
  );
  return `${space.name} (${space.address.commune})`;
}
