/**
 * The front desk: who is here now in each space, members and visitors checked in and out, and
 * passes redeemed by their code. A redemption's idempotency key is made when the pass is shown
 * and kept until the network answers: a double click or a retry after a lost answer sends the
 * same key, and the network spends the entries once.
 */
import { field, h, options, replace } from '../../app/dom.js';
import { fullDate, hour } from '../../app/format.js';
import type { DeskPassQuery } from '../../__generated__/graphql.js';
import { networkUserErrorMessage } from '../../error-messages.js';
import type { Answer } from '../../graphql/client.js';
import { failure, problemOf } from '../shell/forms.js';
import { say, sayFailure, statusLine } from '../shell/layout.js';
import { ask } from '../shell/operations.js';
import { dataTable, type Column } from '../shell/table.js';
import {
  CHECK_IN_MEMBER,
  CHECK_IN_VISITOR,
  CHECK_OUT,
  DESK_FRONT,
  DESK_MEMBERS,
  DESK_PASS,
  DESK_PERSON,
  REDEEM_PASS,
} from './operations.js';
import { readPassCode } from './pass-code.js';
import { deskFailure } from './refusals.js';

/** A redemption refused by the network, in French: the catalogue's sentence, or the desk's. */
function redeemRefusal(code: string): string {
  return code === 'IDEMPOTENCY_KEY_REUSED'
    ? 'Ce passage a déjà été demandé autrement : vérifiez le pass avant de recommencer.'
    : networkUserErrorMessage(code);
}

/** A card number as "Mon espace" shows it: twelve hex digits, case, spaces and dashes ignored. */
const CARD_NUMBER = /^[0-9A-F]{12}$/;

/** A person picked at the desk, to check in as a visitor. */
interface Visitor {
  id: string;
  displayName: string;
  passId: string | null;
}

type Pass = NonNullable<DeskPassQuery['pass']>;

function passSection(
  spaces: { id: string; name: string }[],
  status: HTMLElement,
  onVisitor: (visitor: Visitor) => void,
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
                      {
                        type: 'button',
                        onclick: () => onVisitor({ ...pass.holderPerson!, passId: pass.id }),
                      },
                      `Enregistrer l’arrivée de ${pass.holderPerson.displayName}`,
                    )
                  : null,
              );
              attempt = newAttempt();
              return;
            }
            sayFailure(status, failure(answer, payload?.error, redeemRefusal) ?? '');
          } catch {
            sayFailure(
              status,
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
  const status = statusLine();
  const reload = (done: string) => void frontDeskPage(main, partner, done);
  const act = async (
    op: Promise<Answer<unknown>>,
    pick: (d: never) => { error?: { code: string } | null } | null | undefined,
    done: string,
  ) => {
    const result = await op;
    const refused = deskFailure(result, pick(result.data as never)?.error);
    if (refused) return sayFailure(status, refused);
    reload(done);
  };

  type Present = (typeof spaces)[number]['presentVisits'] extends (infer V)[] | null | undefined
    ? V
    : never;
  const presence = spaces.map((s) => {
    const columns: Column<Present>[] = [
      { label: 'Nom', cell: (v) => v.member?.displayName ?? v.person?.displayName ?? 'Visiteur' },
      { label: 'Qui', cell: (v) => (v.kind === 'MEMBER' ? 'Membre' : 'Visiteur du réseau') },
      { label: 'Depuis', cell: (v) => hour(new Date(v.checkedInAt)) },
      {
        label: 'Départ',
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
        : dataTable(`Présents à ${s.name}`, columns, visits),
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

  const visitor = visitorSection(spaces, (chosen, spaceId) =>
    act(
      ask(CHECK_IN_VISITOR, {
        input: { spaceId, personId: chosen.id, passId: chosen.passId },
      }),
      (d: { checkInVisitor: never }) => d?.checkInVisitor,
      `Arrivée de ${chosen.displayName} enregistrée.`,
    ),
  );

  if (notice) say(status, notice);
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Accueil'),
    problemOf(answer) ? h('p', { class: 'erreur' }, problemOf(answer)) : null,
    status,
    h('h2', {}, 'Présents maintenant'),
    presence,
    passSection(spaces, status, visitor.pick),
    memberForm,
    visitor.form,
  );
  return 'Accueil';
}

/**
 * A visitor from another partner: found by the exact email of their account or the card number
 * "Mon espace" shows them, their name shown for the desk to confirm with them before the
 * check-in. Nothing is listed: a typed value names one person or nobody.
 */
function visitorSection(
  spaces: { id: string; name: string }[],
  checkIn: (visitor: Visitor, spaceId: string) => void,
) {
  const who = h('input', {
    type: 'text',
    id: 'visiteur-recherche',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const space = h('select', {}, options(spaces.map((s) => [s.id, s.name])));
  const found = h('div', { id: 'visiteur-trouve', 'aria-live': 'polite' });
  const pick = (chosen: Visitor) => {
    replace(
      found,
      h('p', {}, 'Personne trouvée : ', h('strong', { id: 'visiteur-nom' }, chosen.displayName)),
      h('p', {}, 'Vérifiez son nom avec elle avant d’enregistrer son arrivée.'),
      h(
        'button',
        { type: 'button', onclick: () => checkIn(chosen, space.value) },
        `Enregistrer l’arrivée de ${chosen.displayName}`,
      ),
    );
    found.querySelector('button')?.focus();
  };
  const form = h(
    'form',
    {
      class: 'gestion',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const typed = who.value.trim();
        const card = typed.toUpperCase().replace(/[\s-]/g, '');
        const refuse = (text: string) => {
          who.setAttribute('aria-invalid', 'true');
          replace(found, h('p', { class: 'erreur' }, text));
        };
        if (!typed.includes('@') && !CARD_NUMBER.test(card))
          return refuse(
            'Tapez l’adresse e-mail du compte de la personne, ou son numéro de carte : 12 caractères (chiffres et lettres de A à F), par exemple 9C0D-1E2F-3A12.',
          );
        who.removeAttribute('aria-invalid');
        const answer = await ask(
          DESK_PERSON,
          typed.includes('@') ? { email: typed } : { cardNumber: card },
        );
        const person = answer.data?.personForDesk;
        if (person) return pick({ ...person, passId: null });
        refuse(
          problemOf(answer) ??
            'Aucun compte du réseau ne correspond : vérifiez l’adresse e-mail ou le numéro de carte.',
        );
      },
    },
    h('h2', {}, 'Arrivée d’un visiteur du réseau'),
    field('Lieu', space),
    field(
      'E-mail ou numéro de carte du visiteur',
      who,
      'Le numéro de carte est affiché dans « Mon espace » de la personne. La recherche demande la valeur exacte.',
    ),
    h('button', { type: 'submit' }, 'Trouver la personne'),
    found,
  );
  return { form, pick };
}
