/** Members: search, register (managers), and one member's memberships and visits. */
import { field, h, options, replace } from '../../app/dom.js';
import { day, fullDate, hour } from '../../app/format.js';
import { AUDIENCES } from '../../labels.js';
import type { DeskMembershipFragment } from '../../__generated__/graphql.js';
import { parisDay, problemOf } from '../shell/forms.js';
import { navigate, say, sayFailure, statusLine } from '../shell/layout.js';
import { ask } from '../shell/operations.js';
import { dataTable, type Column } from '../shell/table.js';
import {
  ADD_DESK_MEMBERSHIP,
  DESK_MEMBER,
  DESK_MEMBERS,
  DESK_PARTNER,
  REGISTER_DESK_MEMBER,
} from './operations.js';
import { deskFailure } from './refusals.js';

/** The registration form's fields, by the API's path, to say which one a refusal is about. */
const MEMBER_FIELDS: Record<string, string> = {
  'input.displayName': 'Nom et prénom',
  'input.email': 'Adresse e-mail',
  'input.membership.plan': 'Formule',
  'input.plan': 'Formule',
  'input.since': 'Depuis le',
  'input.until': 'Jusqu’au',
};

export async function membersPage(
  main: HTMLElement,
  partner: string,
  url: URL,
  canManage: boolean,
): Promise<string> {
  const text = url.searchParams.get('q') ?? '';
  const answer = await ask(DESK_MEMBERS, { filter: text ? { text } : null });
  const members = (answer.data?.members.edges.map((e) => e.node) ?? []).filter(
    (m) => m.partnerSlug === partner,
  );
  const search = h('input', { type: 'search', name: 'q', value: text });
  const status = statusLine();
  let register: HTMLElement | null = null;
  if (canManage) {
    const spaces =
      (await ask(DESK_PARTNER, { slug: partner })).data?.partner?.spaces.edges.map((e) => e.node) ??
      [];
    const name = h('input', { type: 'text', autocomplete: 'off' });
    const email = h('input', { type: 'email', autocomplete: 'off' });
    const profile = h(
      'select',
      {},
      options([['', '—'], ...(Object.entries(AUDIENCES) as [string, string][])]),
    );
    const space = h(
      'select',
      {},
      options([['', 'Sans abonnement'], ...spaces.map((s): [string, string] => [s.id, s.name])]),
    );
    const plan = h('input', { type: 'text', value: 'mois' });
    register = h(
      'form',
      {
        class: 'gestion',
        novalidate: true,
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const today = parisDay(new Date());
          const result = await ask(REGISTER_DESK_MEMBER, {
            input: {
              partner,
              displayName: name.value,
              email: email.value,
              profile: (profile.value || null) as never,
              membership: space.value
                ? { spaceId: space.value, plan: plan.value, since: today }
                : null,
            },
          });
          const payload = result.data?.registerMember;
          if (!payload?.member)
            return sayFailure(
              status,
              `Non inscrit : ${deskFailure(result, payload?.error, MEMBER_FIELDS) ?? ''}`,
            );
          navigate(`/gestion/${partner}/membres/${encodeURIComponent(payload.member.id)}`);
        },
      },
      h('h2', {}, 'Inscrire un membre'),
      field('Nom et prénom', name),
      field('Adresse e-mail', email),
      field('Profil', profile),
      field('Abonnement au lieu', space),
      field('Formule', plan),
      h('button', { type: 'submit' }, 'Inscrire'),
      status,
    );
  }
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Membres'),
    h(
      'form',
      { class: 'recherche', method: 'get', action: `/gestion/${partner}/membres` },
      field('Rechercher un membre', search),
      h('button', { type: 'submit' }, 'Rechercher'),
    ),
    members.length === 0
      ? h('p', {}, 'Aucun membre trouvé.')
      : dataTable(
          `${members.length} membres`,
          [
            {
              label: 'Nom',
              cell: (m) =>
                h(
                  'a',
                  { href: `/gestion/${partner}/membres/${encodeURIComponent(m.id)}` },
                  m.displayName,
                ),
            },
            { label: 'E-mail', cell: (m) => m.email ?? '' },
            { label: 'Présent', cell: (m) => (m.isCheckedIn ? 'Oui' : 'Non') },
          ],
          members,
        ),
    register,
  );
  return 'Membres';
}

const MEMBERSHIP_COLUMNS: Column<DeskMembershipFragment>[] = [
  { label: 'Lieu', cell: (m) => m.space.name },
  { label: 'Formule', cell: (m) => m.plan },
  { label: 'Depuis', cell: (m) => fullDate(new Date(`${m.since}T12:00:00Z`)) },
  {
    label: 'Jusqu’au',
    cell: (m) => (m.until ? fullDate(new Date(`${m.until}T12:00:00Z`)) : '—'),
  },
  { label: 'En cours', cell: (m) => (m.isCurrent ? 'Oui' : 'Non') },
];

function membershipsTable(memberships: readonly DeskMembershipFragment[]): HTMLElement {
  return memberships.length === 0
    ? h('p', {}, 'Aucun abonnement.')
    : dataTable('Abonnements', MEMBERSHIP_COLUMNS, memberships);
}

/** The form adding a membership to one of the partner's spaces; the table follows its answer. */
function addMembershipForm(
  memberId: string,
  shown: HTMLElement,
  spaces: { id: string; name: string }[],
): HTMLElement {
  const status = statusLine();
  const space = h('select', { id: 'abonnement-lieu' }, options(spaces.map((s) => [s.id, s.name])));
  const plan = h('input', { type: 'text', id: 'abonnement-formule', value: 'mois' });
  const since = h('input', { type: 'date', id: 'abonnement-debut', value: parisDay(new Date()) });
  const until = h('input', { type: 'date', id: 'abonnement-fin' });
  return h(
    'form',
    {
      class: 'gestion',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const result = await ask(ADD_DESK_MEMBERSHIP, {
          input: {
            memberId,
            spaceId: space.value,
            plan: plan.value,
            since: since.value,
            until: until.value || null,
          },
        });
        const payload = result.data?.addMembership;
        if (!payload?.member)
          return sayFailure(
            status,
            `Abonnement non ajouté : ${deskFailure(result, payload?.error, MEMBER_FIELDS) ?? ''}`,
          );
        replace(shown, membershipsTable(payload.member.memberships));
        const name = spaces.find((s) => s.id === space.value)?.name ?? '';
        say(status, `Abonnement ajouté : ${plan.value.trim()} à ${name}.`);
      },
    },
    h('h2', {}, 'Ajouter un abonnement'),
    field('Lieu', space),
    field('Formule', plan),
    h('div', { class: 'ligne' }, field('Depuis le', since), field('Jusqu’au (facultatif)', until)),
    h('button', { type: 'submit' }, 'Ajouter l’abonnement'),
    status,
  );
}

export async function memberPage(
  main: HTMLElement,
  partner: string,
  memberId: string,
): Promise<string> {
  const [answer, spaces] = await Promise.all([
    ask(DESK_MEMBER, { id: memberId }),
    ask(DESK_PARTNER, { slug: partner }).then(
      (a) => a.data?.partner?.spaces.edges.map((e) => e.node) ?? [],
    ),
  ]);
  const member = answer.data?.member;
  if (!member) {
    replace(
      main,
      h('h1', { tabindex: -1 }, 'Membre introuvable'),
      h('p', {}, problemOf(answer) ?? 'Ce membre n’existe pas chez ce partenaire.'),
    );
    return 'Membre introuvable';
  }
  const memberships = h('div', { id: 'abonnements' }, membershipsTable(member.memberships));
  replace(
    main,
    h('h1', { tabindex: -1 }, member.displayName),
    h(
      'dl',
      {},
      h('dt', {}, 'E-mail'),
      h('dd', {}, member.email ?? '—'),
      h('dt', {}, 'Téléphone'),
      h('dd', {}, member.phone ?? '—'),
      h('dt', {}, 'Présent maintenant'),
      h('dd', {}, member.isCheckedIn ? 'Oui' : 'Non'),
      h('dt', {}, 'Compte du réseau'),
      h('dd', {}, member.person ? 'Relié à un compte du réseau' : 'Non relié'),
    ),
    h('h2', {}, 'Abonnements'),
    memberships,
    spaces.length > 0 ? addMembershipForm(member.id, memberships, spaces) : null,
    h('h2', {}, 'Visites'),
    member.visits.length === 0
      ? h('p', {}, 'Aucune visite.')
      : dataTable(
          'Visites',
          [
            { label: 'Lieu', cell: (v) => v.space.name },
            {
              label: 'Arrivée',
              cell: (v) => `${day(new Date(v.checkedInAt))} ${hour(new Date(v.checkedInAt))}`,
            },
            {
              label: 'Départ',
              cell: (v) => (v.checkedOutAt ? hour(new Date(v.checkedOutAt)) : 'présent'),
            },
          ],
          member.visits,
        ),
  );
  return member.displayName;
}
