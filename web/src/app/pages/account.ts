/**
 * "Mon espace": what the network and every partner hold on the signed-in person (registrations,
 * passes and their use, memberships, roles), their profile, the download of all their data and
 * the closing of their account. Loaded only with its page (a chunk of its own).
 */
import type { MySpaceQuery } from '../../__generated__/graphql.js';
import {
  graphqlErrorMessage,
  networkUserErrorMessage,
  userErrorMessage,
} from '../../error-messages.js';
import {
  CANCEL_MY_REGISTRATION,
  CLOSE_MY_ACCOUNT,
  ERASE_MY_DATA,
  MY_SPACE,
  SET_MY_MESSAGE_PREFERENCES,
  UPDATE_MY_MEMBER_PROFILE,
  UPDATE_MY_PROFILE,
} from '../../graphql/account-operations.js';
import type { Answer } from '../../graphql/client.js';
import { eventPath, spacePath } from '../../paths.js';
import { dataFileName, partnersWithRows, roleInWords, skillsFromText } from '../account-data.js';
import { exportMyData } from '../account-export.js';
import { ask, otherErrors } from '../api.js';
import { field, h, replace, uid, type Child } from '../dom.js';
import { fullDate, hour, longDay, period, plural } from '../format.js';
import { myBookingsSection } from '../my-bookings.js';
import { currentSession, signOutForm } from '../session.js';
import { MY_SPACE_TITLE, signInToMySpace } from './sign-in-first.js';

type Me = NonNullable<MySpaceQuery['me']>;
type MyRegistration = Me['upcoming'][number];
type MyPass = Me['passes'][number];
type MyMember = Me['memberships'][number];

const TITLE = MY_SPACE_TITLE;

/** The French sentence of an answer's first error, by its code. */
function failure(answer: Answer<unknown> | null): string {
  if (!answer) return graphqlErrorMessage({ extensions: { code: 'TRANSPORT_ERROR' } });
  return graphqlErrorMessage(otherErrors(answer)[0] ?? answer.errors[0] ?? null);
}

function status(): HTMLElement {
  return h('div', { class: 'resultat', role: 'status', 'aria-live': 'polite' });
}

function say(area: HTMLElement, kind: 'succes' | 'erreur', text: string): void {
  replace(area, h('p', { class: kind }, text));
}

function section(id: string, title: string, ...content: Child[]): HTMLElement {
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...content);
}

/** A date of the API (`2026-03-14`) in words. */
function calendarDay(date: string): string {
  return fullDate(new Date(`${date}T12:00:00Z`));
}

const REGISTRATION_STATUS: Record<MyRegistration['status'], string> = {
  CONFIRMED: 'Place réservée',
  PENDING: 'Place retenue, à confirmer par le lien reçu par courriel',
  WAITING: 'Sur liste d’attente',
  CANCELLED: 'Annulée',
};

function registrationStatus(r: MyRegistration): string {
  if (r.status === 'WAITING' && r.waitingPosition)
    return `Sur liste d’attente (position ${r.waitingPosition})`;
  if (r.event.status === 'CANCELLED') return 'Événement annulé par le lieu';
  return REGISTRATION_STATUS[r.status];
}

function registrationItem(r: MyRegistration, cancellable: boolean): HTMLElement {
  const state = h('span', { class: 'etat' }, registrationStatus(r));
  const outcome = status();
  const item = h(
    'li',
    { 'data-inscription': r.id },
    h('p', {}, h('a', { href: eventPath(r.event.id) }, r.event.title)),
    h(
      'p',
      {},
      period(new Date(r.event.startsAt), new Date(r.event.endsAt)),
      ' — ',
      h('a', { href: spacePath(r.event.space.id) }, r.event.space.name),
      ` (${r.event.space.address.commune})`,
    ),
    h('p', {}, state),
  );
  if (cancellable && r.status !== 'CANCELLED' && r.event.status !== 'CANCELLED') {
    const button = h(
      'button',
      { type: 'button', class: 'secondaire' },
      'Annuler mon inscription',
      h('span', { class: 'sr-only' }, ` à « ${r.event.title} »`),
    );
    button.addEventListener('click', async () => {
      button.disabled = true;
      const answer = await ask(CANCEL_MY_REGISTRATION, { id: r.id }).catch(() => null);
      const payload = answer?.data?.cancelRegistration;
      if (payload?.registration) {
        state.textContent = REGISTRATION_STATUS.CANCELLED;
        button.remove();
        say(outcome, 'succes', `Votre inscription à « ${r.event.title} » est annulée.`);
        return;
      }
      button.disabled = false;
      say(
        outcome,
        'erreur',
        payload?.error ? userErrorMessage(payload.error.code) : failure(answer),
      );
    });
    item.append(button);
  }
  item.append(outcome);
  return item;
}

function registrationsSection(me: Me): HTMLElement {
  const list = (items: MyRegistration[], cancellable: boolean, none: string) =>
    items.length === 0
      ? h('p', {}, none)
      : h(
          'ul',
          { class: 'liste-simple' },
          items.map((r) => registrationItem(r, cancellable)),
        );
  return section(
    'titre-inscriptions',
    'Mes inscriptions',
    h('h3', {}, 'À venir'),
    list(me.upcoming, true, 'Aucune inscription à un événement à venir.'),
    h('h3', {}, 'Passées'),
    list([...me.past].reverse(), false, 'Aucune inscription à un événement passé.'),
  );
}

function passItem(pass: MyPass): HTMLElement {
  const uses = [...pass.redemptions].reverse();
  return h(
    'li',
    {},
    h('h3', {}, pass.product.name),
    h(
      'p',
      {},
      pass.code ? `Code ${pass.code} · ` : '',
      `${pass.entriesLeft} entrées restantes sur ${pass.entriesTotal} · `,
      new Date(pass.expiresAt) > new Date()
        ? `valable jusqu’au ${fullDate(new Date(new Date(pass.expiresAt).getTime() - 1))}`
        : `expiré le ${fullDate(new Date(new Date(pass.expiresAt).getTime() - 1))}`,
    ),
    uses.length === 0
      ? h('p', {}, 'Ce pass n’a pas encore servi.')
      : h(
          'ul',
          { class: 'passages' },
          uses.map((r) =>
            h(
              'li',
              { class: r.voided ? 'annule' : undefined },
              `${longDay(new Date(r.startedAt))} à ${hour(new Date(r.startedAt))} — ${r.space.name} (${r.space.address.commune}), ${plural(r.entries, 'entrée')}`,
              r.voided ? ' — annulé, entrées rendues' : '',
            ),
          ),
        ),
  );
}

function passesSection(me: Me): HTMLElement {
  return section(
    'titre-mes-pass',
    'Mes pass',
    me.passes.length === 0
      ? h('p', {}, 'Aucun pass n’est à votre nom.')
      : h('ul', { class: 'liste-simple' }, me.passes.map(passItem)),
  );
}

function membershipsSection(me: Me, partnerName: (slug: string) => string): HTMLElement {
  return section(
    'titre-adhesions',
    'Mes adhésions',
    me.memberships.length === 0
      ? h('p', {}, 'Vous n’êtes adhérent(e) d’aucun lieu du réseau.')
      : h(
          'ul',
          { class: 'liste-simple' },
          me.memberships.map((member) =>
            h(
              'li',
              {},
              h('h3', {}, partnerName(member.partnerSlug)),
              member.memberships.length === 0
                ? h('p', {}, 'Aucun abonnement en cours.')
                : h(
                    'ul',
                    {},
                    member.memberships.map((m) =>
                      h(
                        'li',
                        {},
                        h('a', { href: spacePath(m.space.id) }, m.space.name),
                        ` (${m.space.address.commune}) — ${m.plan}, depuis le ${calendarDay(m.since)}`,
                        m.until ? `, jusqu’au ${calendarDay(m.until)}` : '',
                        m.isCurrent ? ' · en cours' : ' · terminé',
                      ),
                    ),
                  ),
            ),
          ),
        ),
  );
}

function displayNameForm(me: Me, onRenamed: (name: string) => void): HTMLElement {
  const name = h('input', {
    type: 'text',
    name: 'nom',
    autocomplete: 'name',
    required: true,
    maxlength: 200,
    value: me.displayName,
  });
  const submit = h('button', { type: 'submit' }, 'Enregistrer mon nom');
  const outcome = status();
  const form = h(
    'form',
    { class: 'profil', novalidate: true, 'aria-label': 'Mon nom dans le réseau' },
    field('Nom affiché', name, 'Le nom sous lequel le réseau et les lieux vous connaissent.'),
    submit,
    outcome,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = name.value.trim();
    if (!value) {
      say(outcome, 'erreur', 'Indiquez le nom sous lequel vous souhaitez apparaître.');
      return name.focus();
    }
    submit.disabled = true;
    const answer = await ask(UPDATE_MY_PROFILE, { displayName: value }).catch(() => null);
    submit.disabled = false;
    const payload = answer?.data?.updateMyProfile;
    if (payload?.person) {
      onRenamed(payload.person.displayName);
      say(outcome, 'succes', 'Votre nom est enregistré.');
    } else
      say(
        outcome,
        'erreur',
        payload?.error ? networkUserErrorMessage(payload.error.code) : failure(answer),
      );
  });
  return form;
}

function memberProfileForm(member: MyMember, partner: string): HTMLElement {
  const phone = h('input', {
    type: 'tel',
    name: 'telephone',
    autocomplete: 'tel',
    maxlength: 40,
    value: member.phone ?? '',
  });
  const skills = h('input', {
    type: 'text',
    name: 'competences',
    maxlength: 3000,
    value: member.skills.join(', '),
  });
  const consent = h('input', { type: 'checkbox', name: 'annuaire', checked: member.isInDirectory });
  const consentId = uid('annuaire');
  consent.id = consentId;
  const shown = new Set(member.directorySkills);
  const choices = h('div', { class: 'choix-competences' });
  const showChoices = () => {
    const list = skillsFromText(skills.value);
    replace(
      choices,
      list.length === 0
        ? null
        : h(
            'fieldset',
            {},
            h('legend', {}, 'Compétences visibles dans l’annuaire'),
            list.map((skill) => {
              const box = h('input', {
                type: 'checkbox',
                name: 'visible',
                value: skill,
                checked: shown.size === 0 || shown.has(skill),
                disabled: !consent.checked,
              });
              box.id = uid('visible');
              return h('div', { class: 'case' }, box, h('label', { for: box.id }, skill));
            }),
          ),
    );
  };
  skills.addEventListener('change', showChoices);
  consent.addEventListener('change', showChoices);
  showChoices();
  const submit = h('button', { type: 'submit' }, 'Enregistrer');
  const outcome = status();
  const form = h(
    'form',
    { class: 'profil', novalidate: true, 'aria-label': `Ma fiche chez ${partner}` },
    h('h3', {}, `Chez ${partner}`),
    field('Téléphone', phone, 'Visible seulement par vous et par l’équipe du lieu.'),
    field(
      'Compétences',
      skills,
      'Séparées par des virgules, par exemple : menuiserie, comptabilité',
    ),
    h(
      'div',
      { class: 'case' },
      consent,
      h(
        'label',
        { for: consentId },
        'Apparaître dans l’annuaire du réseau avec les compétences choisies',
      ),
    ),
    choices,
    submit,
    outcome,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    const skillList = skillsFromText(skills.value);
    const visible = [...form.querySelectorAll<HTMLInputElement>('input[name="visible"]')]
      .filter((box) => box.checked)
      .map((box) => box.value);
    const answer = await ask(UPDATE_MY_MEMBER_PROFILE, {
      input: {
        partner: member.partnerSlug,
        phone: phone.value.trim() || null,
        skills: skillList,
        isInDirectory: consent.checked,
        ...(consent.checked ? { directorySkills: visible } : {}),
      },
    }).catch(() => null);
    submit.disabled = false;
    const payload = answer?.data?.updateMyMemberProfile;
    if (payload?.member) {
      shown.clear();
      for (const skill of payload.member.directorySkills ?? []) shown.add(skill);
      say(outcome, 'succes', `Votre fiche chez ${partner} est enregistrée.`);
    } else
      say(
        outcome,
        'erreur',
        payload?.error ? userErrorMessage(payload.error.code) : failure(answer),
      );
  });
  return form;
}

function profileSection(
  me: Me,
  partnerName: (slug: string) => string,
  onRenamed: (name: string) => void,
): HTMLElement {
  return section(
    'titre-profil',
    'Mon profil',
    displayNameForm(me, onRenamed),
    me.memberships.map((member) => memberProfileForm(member, partnerName(member.partnerSlug))),
  );
}

/** The optional messages a person may turn off, as the page names them. */
const MESSAGE_CHOICES = [
  {
    key: 'reminder',
    label: 'Le rappel la veille d’un événement auquel je suis inscrit(e)',
    hint: 'Envoyé par le lieu qui organise l’événement.',
  },
  {
    key: 'runningLow',
    label: 'L’alerte quand mon pass n’a presque plus d’entrées',
    hint: 'Envoyée par le réseau.',
  },
  {
    key: 'expiring',
    label: 'L’alerte quand mon pass arrive à expiration',
    hint: 'Envoyée par le réseau, deux semaines avant.',
  },
] as const;

type MessageKey = (typeof MESSAGE_CHOICES)[number]['key'];

/**
 * "Messages": a box per optional message. A reminder is on only when every partner sends it:
 * the one-click link of a mail turns it off at that partner alone, and the page says where.
 * Saving sets it at every partner and the network; the messages that every mail owes
 * (confirmations, changes, cancellations) cannot be turned off.
 */
function messagesSection(me: Me, partnerName: (slug: string) => string): HTMLElement {
  const reminders = me.eventMessagePreferences ?? [];
  const passes = me.passMessagePreferences ?? [];
  const offByLink = reminders.filter((p) => !p.subscribed && p.setByLink).map((p) => p.partner);
  const current: Record<MessageKey, boolean> = {
    reminder: reminders.every((p) => p.subscribed),
    runningLow: passes.find((p) => p.kind === 'RUNNING_LOW')?.subscribed ?? true,
    expiring: passes.find((p) => p.kind === 'EXPIRING')?.subscribed ?? true,
  };
  const boxes = {} as Record<MessageKey, HTMLInputElement>;
  const byLink = h(
    'p',
    { class: 'aide', id: uid('desabonnement') },
    offByLink.length > 0
      ? `Rappels désactivés par le lien « Ne plus recevoir ce type de message » d’un courriel de : ${[...new Set(offByLink)].map(partnerName).join(', ')}. Cochez la case et enregistrez pour les recevoir de nouveau.`
      : '',
  );
  byLink.hidden = offByLink.length === 0;
  const choices = MESSAGE_CHOICES.map((choice) => {
    const box = h('input', { type: 'checkbox', name: choice.key, checked: current[choice.key] });
    box.id = uid(`message-${choice.key}`);
    const hint = h('span', { class: 'aide', id: uid('aide') }, choice.hint);
    box.setAttribute(
      'aria-describedby',
      choice.key === 'reminder' && !byLink.hidden ? `${hint.id} ${byLink.id}` : hint.id,
    );
    boxes[choice.key] = box;
    return h('div', { class: 'case' }, box, h('label', { for: box.id }, choice.label), ' ', hint);
  });
  const submit = h('button', { type: 'submit' }, 'Enregistrer mes choix de messages');
  const outcome = status();
  const form = h(
    'form',
    { class: 'profil', novalidate: true, 'aria-labelledby': 'titre-messages' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Je souhaite recevoir :'),
      choices[0]!,
      byLink,
      ...choices.slice(1),
    ),
    submit,
    outcome,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    const answer = await ask(SET_MY_MESSAGE_PREFERENCES, {
      personId: me.id,
      reminder: boxes.reminder.checked,
      runningLow: boxes.runningLow.checked,
      expiring: boxes.expiring.checked,
    }).catch(() => null);
    submit.disabled = false;
    const data = answer?.data;
    const passRefused = data?.runningLow?.error ?? data?.expiring?.error;
    const refused = data?.reminder?.error
      ? userErrorMessage(data.reminder.error.code)
      : passRefused
        ? networkUserErrorMessage(passRefused.code)
        : null;
    const saved =
      data?.reminder?.subscribed != null &&
      data.runningLow?.preference &&
      data.expiring?.preference;
    if (!saved || refused || (answer?.errors.length ?? 0) > 0) {
      say(
        outcome,
        'erreur',
        `Vos choix n’ont pas pu être enregistrés partout. ${refused ?? failure(answer)}`,
      );
      return;
    }
    if (boxes.reminder.checked) {
      byLink.hidden = true;
      boxes.reminder.setAttribute(
        'aria-describedby',
        boxes.reminder.getAttribute('aria-describedby')!.split(' ')[0]!,
      );
    }
    say(outcome, 'succes', 'Vos choix de messages sont enregistrés.');
  });
  return section(
    'titre-messages',
    'Messages',
    h(
      'p',
      {},
      'Les courriels utiles à vos inscriptions et à vos pass (confirmation, changement, annulation, émission d’un pass) vous sont toujours envoyés. Ceux-ci sont facultatifs :',
    ),
    form,
  );
}

function downloadSection(): HTMLElement {
  const button = h('button', { type: 'button' }, 'Télécharger mes données');
  const outcome = status();
  button.addEventListener('click', async () => {
    button.disabled = true;
    say(outcome, 'succes', 'Préparation du fichier…');
    const answer = await exportMyData(ask).catch(() => null);
    button.disabled = false;
    if (!answer?.me)
      return say(outcome, 'erreur', failure(answer && { data: null, errors: answer.errors }));
    const now = new Date();
    const file = new Blob(
      [
        JSON.stringify(
          {
            exportedAt: now.toISOString(),
            // Parts a partner could not give are named, so the file never looks complete when it is not.
            missing: answer.errors.map((e) => ({
              code: e.extensions?.code ?? null,
              partner: e.extensions?.partner ?? null,
            })),
            me: answer.me,
          },
          null,
          2,
        ),
      ],
      { type: 'application/json' },
    );
    const link = h('a', { href: URL.createObjectURL(file), download: dataFileName(now) });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    say(outcome, 'succes', 'Vos données sont enregistrées dans le fichier téléchargé.');
  });
  return section(
    'titre-donnees',
    'Mes données',
    h(
      'p',
      {},
      'Un fichier JSON avec tout ce que le réseau et ses lieux savent de vous : compte, rôles, pass et passages, adhésions, inscriptions et visites.',
    ),
    button,
    outcome,
  );
}

function closeAccountSection(me: Me, csrfToken: string): HTMLElement {
  const partners = partnersWithRows({
    memberships: me.memberships,
    registrations: [...me.upcoming, ...me.past],
    visits: me.visits,
  });
  const understood = h('input', { type: 'checkbox', name: 'confirmation' });
  understood.id = uid('confirmation');
  const confirm = h(
    'button',
    { type: 'submit', class: 'danger' },
    'Fermer définitivement mon compte',
  );
  const outcome = status();
  const signOut = signOutForm(csrfToken);
  signOut.hidden = true;
  const form = h(
    'form',
    { novalidate: true, 'aria-label': 'Confirmer la fermeture du compte', hidden: true },
    h(
      'div',
      { class: 'case' },
      understood,
      h(
        'label',
        { for: understood.id },
        'Je comprends que la fermeture est définitive et que mes données personnelles seront effacées.',
      ),
    ),
    confirm,
  );
  const open = h(
    'button',
    { type: 'button', class: 'secondaire', 'aria-expanded': 'false' },
    'Fermer mon compte…',
  );
  open.addEventListener('click', () => {
    form.hidden = false;
    open.setAttribute('aria-expanded', 'true');
    understood.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!understood.checked) {
      say(outcome, 'erreur', 'Cochez la case pour confirmer la fermeture de votre compte.');
      return understood.focus();
    }
    confirm.disabled = true;
    // Each partner first, while the session still names this person: a closed account's
    // sign-in would be a new person.
    for (const partner of partners) {
      say(outcome, 'succes', 'Effacement de vos données dans les lieux du réseau…');
      const answer = await ask(ERASE_MY_DATA, { partner }).catch(() => null);
      const payload = answer?.data?.eraseMyData;
      if (!payload || payload.error) {
        confirm.disabled = false;
        return say(
          outcome,
          'erreur',
          `La fermeture est interrompue : ${payload?.error ? userErrorMessage(payload.error.code) : failure(answer)}`,
        );
      }
    }
    const answer = await ask(CLOSE_MY_ACCOUNT, {}).catch(() => null);
    const payload = answer?.data?.closeMyAccount;
    if (!payload?.person) {
      confirm.disabled = false;
      return say(
        outcome,
        'erreur',
        `La fermeture est interrompue : ${payload?.error ? networkUserErrorMessage(payload.error.code) : failure(answer)}`,
      );
    }
    say(outcome, 'succes', 'Votre compte est fermé. Déconnexion…');
    signOut.submit();
  });
  return h(
    'section',
    { 'aria-labelledby': 'titre-fermeture', class: 'zone-danger' },
    h('h2', { id: 'titre-fermeture' }, 'Fermer mon compte'),
    h(
      'p',
      {},
      'Vos fiches d’adhérent, vos inscriptions et le lien entre vous et vos visites sont effacés ou rendus anonymes dans chaque lieu, puis votre compte est fermé et vous êtes déconnecté(e). Les pass et leurs passages restent comptés (sans votre nom) pour que les comptes entre lieux restent exacts.',
    ),
    open,
    form,
    outcome,
    signOut,
  );
}

export async function accountPage(main: HTMLElement): Promise<string> {
  const session = await currentSession();
  if (!session.signedIn) return signInToMySpace(main);
  const answer = await ask(MY_SPACE, {}).catch(() => null);
  const me = answer?.data?.me;
  if (!me) {
    replace(
      main,
      h('h1', { tabindex: -1 }, TITLE),
      h('p', { class: 'erreur' }, `Votre espace n’a pas pu être chargé. ${failure(answer)}`),
    );
    return TITLE;
  }
  const names = new Map((answer.data?.partners ?? []).map((p) => [p.slug, p.name]));
  const partnerName = (slug: string) => names.get(slug) ?? slug;
  const greeting = h('p', { class: 'chapo' }, `Bonjour ${me.displayName}.`);
  const roles = me.roles.map((grant) => roleInWords(grant));
  replace(
    main,
    h(
      'div',
      { class: 'mon-espace' },
      h('h1', { tabindex: -1 }, TITLE),
      greeting,
      me.cardNumber
        ? section(
            'titre-carte',
            'Ma carte du réseau',
            h(
              'p',
              {},
              'Numéro de carte : ',
              h('strong', { id: 'numero-carte', class: 'numero-carte' }, me.cardNumber),
            ),
            h(
              'p',
              {},
              'Montrez-le à l’accueil d’un autre lieu du réseau : l’équipe vous retrouve avec ce numéro, ou avec votre adresse e-mail.',
            ),
          )
        : null,
      roles.length > 0
        ? section(
            'titre-roles',
            'Mes rôles dans le réseau',
            h(
              'ul',
              { class: 'roles' },
              roles.map((role) => h('li', {}, role)),
            ),
          )
        : null,
      registrationsSection(me),
      myBookingsSection(),
      passesSection(me),
      membershipsSection(me, partnerName),
      profileSection(me, partnerName, (name) => {
        greeting.textContent = `Bonjour ${name}.`;
      }),
      messagesSection(me, partnerName),
      downloadSection(),
      closeAccountSection(me, session.csrfToken),
    ),
  );
  return TITLE;
}
