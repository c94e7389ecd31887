/**
 * The front desk: who is here now in each space, members and visitors checked in and out, and
 * passes redeemed by their code. A redemption's idempotency key is made when the pass is shown
 * and kept until the network answers: a double click or a retry after a lost answer sends the
 * same key, and the network spends the entries once.
 */
import { field, h, options, replace } from '../../app/dom.js';
import { fullDate, hour } from '../../app/format.js';
import type { DeskPassQuery } from '../../__generated__/graphql.js';
import { ask, problemOf } from './shell/api.js';
import { say, statusArea } from './shell/layout.js';
import { table, type Column } from './shell/table.js';
import {
  CHECK_IN_MEMBER,
  CHECK_IN_VISITOR,
  CHECK_OUT,
  DESK_FRONT,
  DESK_MEMBERS,
  DESK_PASS,
  REDEEM_PASS,
} from './operations.js';
import { readPassCode } from './pass-code.js';

const REDEEM_REFUSALS: Record<string, string> = {
  UNKNOWN_CODE: 'Aucun pass ne porte ce code.',
  NOT_VALID_AT_SPACE: 'Ce pass n’est pas valable dans ce lieu.',
  EXPIRED: 'Ce pass a expiré.',
  NOT_ENOUGH_ENTRIES: 'Il ne reste pas assez d’entrées sur ce pass.',
  IDEMPOTENCY_KEY_REUSED:
    'Ce passage a déjà été demandé autrement : vérifiez le pass avant de recommencer.',
};

type Pass = NonNullable<DeskPassQuery['pass']>;

function passSection(
  spaces: { id: string; name: string }[],
  status: HTMLElement,
  onVisitor: (personId: string, passId: string) => void,
) {
  const code = h('input', {
    type: 'text',
    id: 'code-pass',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'code-pass-avis',
  });
  const notice = h('p', { id: 'code-pass-avis', 'aria-live': 'polite' });
  const space = h('select', { id: 'lieu-pass' }, options(spaces.map((s) => [s.id, s.name])));
  const result = h('div', { id: 'pass-trouve' });
  code.addEventListener('input', () => {
    const typed = readPassCode(code.value);
    if (!typed.ok && typed.reason === 'TYPO') {
      code.setAttribute('aria-invalid', 'true');
      replace(
        notice,
        h(
          'span',
          { class: 'erreur' },
          'Faute de frappe : la clé de contrôle (dernier caractère) ne correspond pas. Vérifiez chaque caractère.',
        ),
      );
    } else if (!typed.ok && typed.reason === 'MALFORMED') {
      code.setAttribute('aria-invalid', 'true');
      replace(
        notice,
        h(
          'span',
          { class: 'erreur' },
          'Un code de pass a 12 lettres et chiffres, par exemple K7QF-9M2X-T4CW.',
        ),
      );
    } else {
      code.removeAttribute('aria-invalid');
      replace(notice, typed.ok ? 'Code bien formé.' : '');
    }
  });

  const show = (pass: Pass) => {
    const validHere = pass.validAt.some((s) => s?.id === space.value);
    const minutes = h('input', {
      type: 'number',
      id: 'duree-passage',
      min: 1,
      max: 1440,
      value: pass.entryMinutes,
    });
    // One key per redemption the desk means to make, with the visit it names: made now, kept
    // through retries (the network refuses a key reused for another visit).
    const newAttempt = () => ({
      key: `desk-${crypto.randomUUID()}`,
      startedAt: new Date().toISOString(),
    });
    let attempt = newAttempt();
    minutes.addEventListener('change', () => (attempt = newAttempt()));
    let sending = false;
    const confirm: HTMLButtonElement = h(
      'button',
      {
        type: 'button',
        id: 'confirmer-passage',
        disabled: !validHere || pass.status !== 'ACTIVE',
        onclick: async () => {
          if (sending) return;
          sending = true;
          confirm.setAttribute('aria-disabled', 'true');
          try {
            const answer = await ask(REDEEM_PASS, {
              input: {
                code: pass.code!,
                spaceId: space.value,
                startedAt: attempt.startedAt,
                minutes: Number(minutes.value),
                idempotencyKey: attempt.key,
              },
            });
            const payload = answer.data?.redeemPass;
            if (payload?.redemption) {
              say(
                status,
                'succes',
                `Passage enregistré : ${payload.redemption.entries} entrée${payload.redemption.entries > 1 ? 's' : ''} utilisée${payload.redemption.entries > 1 ? 's' : ''}, il en reste ${payload.redemption.pass.entriesLeft}.`,
              );
              replace(
                result,
                h(
                  'p',
                  { id: 'entrees-apres' },
                  `Entrées restantes : ${payload.redemption.pass.entriesLeft}`,
                ),
                pass.holderPerson
                  ? h(
                      'button',
                      { type: 'button', onclick: () => onVisitor(pass.holderPerson!.id, pass.id) },
                      `Enregistrer l’arrivée de ${pass.holderPerson.displayName}`,
                    )
                  : null,
              );
              attempt = newAttempt();
              return;
            }
            say(
              status,
              'erreur',
              payload?.error
                ? (REDEEM_REFUSALS[payload.error.code] ?? payload.error.message)
                : (problemOf(answer) ?? ''),
            );
          } catch {
            say(
              status,
              'erreur',
              'La connexion a été interrompue avant la réponse. Réessayez : le passage ne sera pas compté deux fois.',
            );
          } finally {
            sending = false;
            confirm.removeAttribute('aria-disabled');
          }
        },
      },
      'Confirmer le passage',
    );
    replace(
      result,
      h('h3', {}, pass.product.name),
      h(
        'dl',
        { class: 'pass' },
        h('dt', {}, 'Entrées restantes'),
        h('dd', { id: 'entrees-restantes' }, `${pass.entriesLeft} sur ${pass.entriesTotal}`),
        h('dt', {}, 'Valable jusqu’au'),
        h('dd', {}, fullDate(new Date(pass.expiresAt))),
        h('dt', {}, 'Valable à'),
        h(
          'dd',
          {},
          h(
            'ul',
            {},
            pass.validAt.map((s) => (s ? h('li', {}, `${s.name} — ${s.address.commune}`) : null)),
          ),
        ),
        pass.holderPerson
          ? [h('dt', {}, 'Titulaire'), h('dd', {}, pass.holderPerson.displayName)]
          : null,
      ),
      validHere
        ? null
        : h('p', { class: 'erreur' }, 'Ce pass n’est pas valable dans le lieu choisi.'),
      pass.status === 'ACTIVE'
        ? null
        : h(
            'p',
            { class: 'erreur' },
            pass.status === 'EXPIRED'
              ? 'Ce pass a expiré.'
              : 'Toutes les entrées de ce pass sont utilisées.',
          ),
      field(
        'Durée du passage (minutes)',
        minutes,
        `Une entrée couvre ${pass.entryMinutes} minutes ; au-delà, une entrée par période commencée.`,
      ),
      confirm,
    );
  };

  const form = h(
    'form',
    {
      class: 'gestion',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const typed = readPassCode(code.value);
        if (!typed.ok) {
          code.focus();
          return replace(
            result,
            h(
              'p',
              { class: 'erreur' },
              typed.reason === 'TYPO' ? 'Faute de frappe dans le code.' : 'Code incomplet.',
            ),
          );
        }
        const answer = await ask(DESK_PASS, { code: typed.code });
        const pass = answer.data?.pass;
        if (!pass)
          return replace(
            result,
            h('p', { class: 'erreur' }, problemOf(answer) ?? 'Aucun pass ne porte ce code.'),
          );
        show(pass);
      },
    },
    h('h2', {}, 'Passer un pass'),
    field('Lieu', space),
    field('Code du pass', code),
    notice,
    h('button', { type: 'submit' }, 'Vérifier le pass'),
    result,
  );
  return form;
}

export async function frontDeskPage(
  main: HTMLElement,
  partner: string,
  notice?: string,
): Promise<string> {
  const answer = await ask(DESK_FRONT, { slug: partner });
  const spaces = (answer.data?.partner?.spaces.edges.map((e) => e.node) ?? []).filter(
    (s) => s.status === 'OPEN',
  );
  const status = statusArea();
  const reload = (done: string) => void frontDeskPage(main, partner, done);
  const act = async (
    op: Promise<{ data: unknown; errors: { message: string }[] }>,
    pick: (d: never) => { error?: { message: string } | null } | null | undefined,
    done: string,
  ) => {
    const result = await op;
    const payload = pick(result.data as never);
    if (payload?.error)
      return say(
        status,
        'erreur',
        payload.error.message === 'This member is already checked in'
          ? 'Cette personne est déjà enregistrée dans un lieu.'
          : payload.error.message,
      );
    const problem = problemOf(result as never);
    if (problem) return say(status, 'erreur', problem);
    reload(done);
  };

  type Present = (typeof spaces)[number]['presentVisits'] extends (infer V)[] | null | undefined
    ? V
    : never;
  const presence = spaces.map((s) => {
    const columns: Column<Present>[] = [
      { header: 'Nom', cell: (v) => v.member?.displayName ?? v.person?.displayName ?? 'Visiteur' },
      { header: 'Qui', cell: (v) => (v.kind === 'MEMBER' ? 'Membre' : 'Visiteur du réseau') },
      { header: 'Depuis', cell: (v) => hour(new Date(v.checkedInAt)) },
      {
        header: 'Départ',
        cell: (v) =>
          h(
            'button',
            {
              type: 'button',
              class: 'secondaire',
              onclick: () =>
                act(
                  ask(CHECK_OUT, { input: { visitId: v.id } }),
                  (d: { checkOut: never }) => d?.checkOut,
                  'Départ enregistré.',
                ),
            },
            `Départ de ${v.member?.displayName ?? v.person?.displayName ?? 'ce visiteur'}`,
          ),
      },
    ];
    const visits = s.presentVisits ?? [];
    return h(
      'section',
      { class: 'presence', 'data-lieu': s.id },
      h(
        'h3',
        {},
        s.name,
        ' ',
        h(
          'span',
          { class: 'badge', 'data-occupation': s.occupancy },
          s.desks ? `${s.occupancy} présents / ${s.desks} postes` : `${s.occupancy} présents`,
        ),
      ),
      visits.length === 0
        ? h('p', {}, 'Personne pour le moment.')
        : table(`Présents à ${s.name}`, columns, visits),
    );
  });

  const memberSearch = h('input', { type: 'search', id: 'recherche-membre-accueil' });
  const memberSpace = h('select', {}, options(spaces.map((s) => [s.id, s.name])));
  const found = h('ul', { class: 'resultats' });
  const memberForm = h(
    'form',
    {
      class: 'gestion',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const result = await ask(DESK_MEMBERS, { filter: { text: memberSearch.value } });
        const members = (result.data?.members.edges.map((e) => e.node) ?? []).filter(
          (m) => m.partnerSlug === partner,
        );
        replace(
          found,
          members.length === 0
            ? h('li', {}, 'Aucun membre trouvé.')
            : members.map((m) =>
                h(
                  'li',
                  {},
                  m.displayName,
                  ' ',
                  h(
                    'button',
                    {
                      type: 'button',
                      onclick: () =>
                        act(
                          ask(CHECK_IN_MEMBER, {
                            input: { memberId: m.id, spaceId: memberSpace.value },
                          }),
                          (d: { checkIn: never }) => d?.checkIn,
                          `Arrivée de ${m.displayName} enregistrée.`,
                        ),
                    },
                    `Arrivée de ${m.displayName}`,
                  ),
                ),
              ),
        );
      },
    },
    h('h2', {}, 'Arrivée d’un membre'),
    field('Lieu', memberSpace),
    field('Nom du membre', memberSearch),
    h('button', { type: 'submit' }, 'Chercher'),
    found,
  );

  const personId = h('input', { type: 'text', id: 'visiteur-personne', spellcheck: 'false' });
  const passId = h('input', { type: 'hidden' });
  const visitorSpace = h('select', {}, options(spaces.map((s) => [s.id, s.name])));
  const visitorForm = h(
    'form',
    {
      class: 'gestion',
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        void act(
          ask(CHECK_IN_VISITOR, {
            input: {
              spaceId: visitorSpace.value,
              personId: personId.value.trim(),
              passId: passId.value || null,
            },
          }),
          (d: { checkInVisitor: never }) => d?.checkInVisitor,
          'Arrivée du visiteur enregistrée.',
        );
      },
    },
    h('h2', {}, 'Arrivée d’un visiteur du réseau'),
    field('Lieu', visitorSpace),
    field(
      'Identifiant réseau de la personne',
      personId,
      'Affiché dans « Mon espace » de la personne (network:person:…), ou rempli après le passage de son pass.',
    ),
    passId,
    h('button', { type: 'submit' }, 'Enregistrer l’arrivée du visiteur'),
  );

  if (notice) say(status, 'succes', notice);
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Accueil'),
    problemOf(answer) ? h('p', { class: 'erreur' }, problemOf(answer)) : null,
    status,
    h('h2', {}, 'Présents maintenant'),
    presence,
    passSection(spaces, status, (person, pass) => {
      personId.value = person;
      passId.value = pass;
      personId.focus();
    }),
    memberForm,
    visitorForm,
  );
  return 'Accueil';
}
