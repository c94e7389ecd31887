/** Members: search, register (managers), and one member's memberships and visits. */
import { field, h, options, replace } from '../../app/dom.js';
import { day, fullDate, hour } from '../../app/format.js';
import { AUDIENCES } from '../../labels.js';
import { ask, problemOf } from './shell/api.js';
import { navigate, say, statusArea } from './shell/layout.js';
import { table } from './shell/table.js';
import { DESK_MEMBER, DESK_MEMBERS, DESK_PARTNER, REGISTER_DESK_MEMBER } from './operations.js';

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
  const status = statusArea();
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
          const today = new Date().toISOString().slice(0, 10);
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
          if (!payload || payload.error)
            return say(
              status,
              'erreur',
              payload?.error ? `Non inscrit : ${payload.error.message}` : (problemOf(result) ?? ''),
            );
          navigate(`/gestion/${partner}/membres/${encodeURIComponent(payload.member!.id)}`);
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
      : table(
          `${members.length} membres`,
          [
            {
              header: 'Nom',
              cell: (m) =>
                h(
                  'a',
                  { href: `/gestion/${partner}/membres/${encodeURIComponent(m.id)}` },
                  m.displayName,
                ),
            },
            { header: 'E-mail', cell: (m) => m.email ?? '' },
            { header: 'Présent', cell: (m) => (m.isCheckedIn ? 'Oui' : 'Non') },
          ],
          members,
        ),
    register,
  );
  return 'Membres';
}

export async function memberPage(main: HTMLElement, memberId: string): Promise<string> {
  const answer = await ask(DESK_MEMBER, { id: memberId });
  const member = answer.data?.member;
  if (!member) {
    replace(
      main,
      h('h1', { tabindex: -1 }, 'Membre introuvable'),
      h('p', {}, problemOf(answer) ?? 'Ce membre n’existe pas chez ce partenaire.'),
    );
    return 'Membre introuvable';
  }
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
      member.person ? [h('dt', {}, 'Identifiant réseau'), h('dd', {}, member.person.id)] : null,
    ),
    member.memberships.length === 0
      ? h('p', {}, 'Aucun abonnement.')
      : table(
          'Abonnements',
          [
            { header: 'Lieu', cell: (m) => m.space.name },
            { header: 'Formule', cell: (m) => m.plan },
            { header: 'Depuis', cell: (m) => fullDate(new Date(`${m.since}T12:00:00Z`)) },
            {
              header: 'Jusqu’au',
              cell: (m) => (m.until ? fullDate(new Date(`${m.until}T12:00:00Z`)) : '—'),
            },
            { header: 'En cours', cell: (m) => (m.isCurrent ? 'Oui' : 'Non') },
          ],
          member.memberships,
        ),
    member.visits.length === 0
      ? h('p', {}, 'Aucune visite.')
      : table(
          'Visites',
          [
            { header: 'Lieu', cell: (v) => v.space.name },
            {
              header: 'Arrivée',
              cell: (v) => `${day(new Date(v.checkedInAt))} ${hour(new Date(v.checkedInAt))}`,
            },
            {
              header: 'Départ',
              cell: (v) => (v.checkedOutAt ? hour(new Date(v.checkedOutAt)) : 'présent'),
            },
          ],
          member.visits,
        ),
  );
  return member.displayName;
}
