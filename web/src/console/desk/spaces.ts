/** A partner's spaces and the form that edits one (managers). */
import { field, h, options, replace, uid } from '../../app/dom.js';
import { AMENITIES, AUDIENCES, OFFER_KINDS, SERVICES } from '../../labels.js';
import type { OfferKind } from '../../__generated__/graphql.js';
import { ask } from '../shell/operations.js';
import { problemOf } from '../shell/forms.js';
import { say, sayFailure, statusLine } from '../shell/layout.js';
import { deskFailure } from './refusals.js';
import { hoursEditor } from './hours-editor.js';
import { DESK_SPACE, UPDATE_DESK_SPACE } from './operations.js';

/** The form's fields, by the API's path, to say which one a refusal is about. */
const SPACE_FIELDS: Record<string, string> = {
  'input.description': 'Description',
  'input.accessNotes': 'Accès',
  'input.contact.email': 'E-mail de contact',
  'input.contact.phone': 'Téléphone de contact',
  'input.website': 'Site web',
  'input.openingHours': 'Horaires',
  'input.offers': 'Offres et tarifs',
};

const STATUSES: [string, string][] = [
  ['PROJECT', 'En projet'],
  ['OPEN', 'Ouvert'],
  ['CLOSED', 'Fermé'],
];

function checkboxes(
  legend: string,
  name: string,
  labels: Record<string, string>,
  chosen: string[],
) {
  return h(
    'fieldset',
    { class: 'cases' },
    h('legend', {}, legend),
    Object.entries(labels).map(([value, label]) => {
      const id = uid(name);
      return h(
        'div',
        { class: 'case' },
        h('input', { type: 'checkbox', id, name, value, checked: chosen.includes(value) }),
        h('label', { for: id }, label),
      );
    }),
  );
}

function checked(form: HTMLFormElement, name: string): string[] {
  return [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map(
    (i) => i.value,
  );
}

interface OfferRow {
  kind: string;
  label: string;
  priceCents: number;
  entries: number | null;
  entryMinutes: number | null;
}

function offerEditor(initial: OfferRow[]) {
  const body = h('tbody', {});
  const addRow = (offer: OfferRow | null) => {
    const kind = h(
      'select',
      { 'aria-label': 'Type d’offre', name: 'offre-type' },
      options(Object.entries(OFFER_KINDS) as [string, string][], offer?.kind),
    );
    const label = h('input', { type: 'text', 'aria-label': 'Libellé', value: offer?.label ?? '' });
    const price = h('input', {
      type: 'number',
      min: 0,
      step: '0.01',
      'aria-label': 'Prix en euros',
      value: offer ? (offer.priceCents / 100).toFixed(2) : '',
    });
    const entries = h('input', {
      type: 'number',
      min: 1,
      'aria-label': 'Entrées (carte)',
      value: offer?.entries ?? '',
    });
    const minutes = h('input', {
      type: 'number',
      min: 1,
      'aria-label': 'Minutes par entrée',
      value: offer?.entryMinutes ?? '',
    });
    const row: HTMLTableRowElement = h(
      'tr',
      { class: 'offre' },
      h('td', {}, kind),
      h('td', {}, label),
      h('td', {}, price),
      h('td', {}, entries),
      h('td', {}, minutes),
      h(
        'td',
        {},
        h(
          'button',
          { type: 'button', class: 'secondaire', onclick: () => row.remove() },
          'Retirer',
        ),
      ),
    );
    body.append(row);
  };
  initial.forEach(addRow);
  const element = h(
    'fieldset',
    {},
    h('legend', {}, 'Offres et tarifs'),
    h(
      'table',
      { class: 'tableau' },
      h('caption', { class: 'sr-only' }, 'Offres'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Type', 'Libellé', 'Prix (€)', 'Entrées', 'Minutes/entrée', ''].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      body,
    ),
    h(
      'button',
      { type: 'button', class: 'secondaire', onclick: () => addRow(null) },
      'Ajouter une offre',
    ),
  );
  const value = () =>
    [...body.querySelectorAll('tr')].map((tr) => {
      const [kind, label, price, entries, minutes] = [
        ...tr.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select'),
      ];
      const number = (v: string) => (v === '' ? null : Number(v));
      return {
        kind: kind!.value as OfferKind,
        label: label!.value,
        priceCents: Math.round(Number(price!.value) * 100),
        entries: number(entries!.value),
        entryMinutes: number(minutes!.value),
      };
    });
  return { element, value };
}

export async function spacePage(main: HTMLElement, spaceId: string): Promise<string> {
  const answer = await ask(DESK_SPACE, { id: spaceId });
  const space = answer.data?.space;
  if (!space) {
    replace(
      main,
      h('h1', { tabindex: -1 }, 'Lieu introuvable'),
      h('p', {}, problemOf(answer) ?? 'Ce lieu n’existe pas chez ce partenaire.'),
    );
    return 'Lieu introuvable';
  }
  const hours = hoursEditor(space.openingHours ?? null);
  const offers = offerEditor(
    space.offers.map((o) => ({
      kind: o.kind,
      label: o.label,
      priceCents: o.price.amountCents,
      entries: o.entries ?? null,
      entryMinutes: o.entryMinutes ?? null,
    })),
  );
  const status = statusLine();
  const text = (name: string, value: string | null | undefined, type = 'text') =>
    h('input', { type, name, value: value ?? '' });
  const description = h('textarea', { name: 'description', rows: 6 }, space.description ?? '');
  description.id = uid('champ');
  const access = h('textarea', { name: 'accessNotes', rows: 3 }, space.accessNotes ?? '');
  access.id = uid('champ');
  const email = text('email', space.contact.email, 'email');
  const phone = text('phone', space.contact.phone, 'tel');
  const website = text('website', space.website, 'url');
  const state = h('select', { name: 'status' }, options(STATUSES, space.status));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'gestion',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const openingHours = hours.value();
        if (openingHours === null) {
          sayFailure(
            status,
            'Corrigez les horaires avant d’enregistrer : ils sont refusés tels quels.',
          );
          document.getElementById('horaires-osm')?.focus();
          return;
        }
        const result = await ask(UPDATE_DESK_SPACE, {
          input: {
            id: space.id,
            status: state.value as 'OPEN',
            description: description.value,
            accessNotes: access.value,
            contact: { email: email.value || null, phone: phone.value || null },
            website: website.value || null,
            openingHours,
            amenities: checked(form, 'amenities') as never,
            services: checked(form, 'services') as never,
            audiences: checked(form, 'audiences') as never,
            offers: offers.value(),
          },
        });
        const refused = deskFailure(result, result.data?.updateSpace.error, SPACE_FIELDS);
        if (refused) return sayFailure(status, `Non enregistré : ${refused}`);
        const saved = result.data!.updateSpace.space!;
        say(status, 'Modifications enregistrées.');
        status.append(
          h(
            'ol',
            { id: 'ouvertures-enregistrees', hidden: true },
            saved.nextOpenings.map((o) =>
              h('li', {
                'data-ouverture': new Date(o.opensAt).toISOString(),
                'data-fermeture': new Date(o.closesAt).toISOString(),
              }),
            ),
          ),
        );
      },
    },
    h(
      'div',
      { class: 'champ' },
      h('label', { for: state.id || (state.id = uid('champ')) }, 'Statut'),
      state,
    ),
    h('div', { class: 'champ' }, h('label', { for: description.id }, 'Description'), description),
    h('div', { class: 'champ' }, h('label', { for: access.id }, 'Accès'), access),
    field('E-mail de contact', email),
    field('Téléphone de contact', phone),
    field('Site web', website),
    hours.element,
    checkboxes('Équipements', 'amenities', AMENITIES, space.amenities),
    checkboxes('Services', 'services', SERVICES, space.services),
    checkboxes('Publics accueillis', 'audiences', AUDIENCES, space.audiences),
    offers.element,
    h('button', { type: 'submit' }, 'Enregistrer'),
    status,
  );
  replace(main, h('h1', { tabindex: -1 }, `${space.name} — ${space.address.commune}`), form);
  return `Gérer ${space.name}`;
}
