/** "Mon pass": what is left on a pass, until when, where, and how it was used. */
import type { PassQuery } from '../../__generated__/graphql.js';
import { PASS } from '../../graphql/operations.js';
import { ask } from '../api.js';
import { field, h, replace } from '../dom.js';
import { fullDate, longDay, hour, plural } from '../format.js';
import { spacePath } from '../../paths.js';
import { MY_PASSES } from '../../graphql/my-operations.js';
import { currentSession } from '../session.js';

type PassData = NonNullable<PassQuery['pass']>;

const STATUS: Record<PassData['status'], string> = {
  ACTIVE: 'Valide',
  USED_UP: 'Toutes les entrées sont utilisées',
  EXPIRED: 'Expiré',
};

function duration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? plural(hours, 'heure') : `${hours} h ${String(rest).padStart(2, '0')}`;
}

/** A pass's details; `key` tells the passes of one page apart (the holder's own have one). */
export function passDetails(pass: PassData, key = ''): HTMLElement {
  const used = pass.entriesTotal - pass.entriesLeft;
  const recent = [...pass.redemptions].reverse().slice(0, 10);
  return h(
    'section',
    { class: 'pass', 'aria-labelledby': `titre-pass${key}` },
    h('h2', { id: `titre-pass${key}` }, pass.product.name),
    key && pass.code ? h('p', {}, `Code du pass : ${pass.code}`) : null,
    h(
      'p',
      { class: `badge ${pass.status === 'ACTIVE' ? 'ouvert' : 'ferme'}` },
      STATUS[pass.status],
    ),
    h(
      'dl',
      { class: 'details' },
      h('dt', {}, 'Entrées restantes'),
      h(
        'dd',
        { id: `entrees-restantes${key}` },
        `${pass.entriesLeft} sur ${pass.entriesTotal}`,
        h('progress', {
          max: pass.entriesTotal,
          value: pass.entriesLeft,
          'aria-label': 'Entrées restantes',
        }),
      ),
      h('dt', {}, 'Une entrée'),
      h(
        'dd',
        {},
        `${duration(pass.entryMinutes)} sur place ; au-delà, une entrée de plus par période commencée`,
      ),
      h('dt', {}, pass.status === 'EXPIRED' ? 'A expiré le' : 'Valable jusqu’au'),
      h('dd', {}, fullDate(new Date(new Date(pass.expiresAt).getTime() - 1))),
    ),
    h('h3', {}, 'Où l’utiliser'),
    h(
      'ul',
      {},
      pass.validAt.map((s) =>
        s
          ? h('li', {}, h('a', { href: spacePath(s.id) }, s.name), ` — ${s.address.commune}`)
          : h('li', {}, 'Un lieu dont le partenaire ne répond pas pour le moment'),
      ),
    ),
    h('h3', {}, 'Utilisation récente'),
    h(
      'p',
      {},
      used === 0
        ? 'Aucune entrée utilisée pour le moment.'
        : `${plural(used, 'entrée utilisée', 'entrées utilisées')} depuis l’achat.`,
    ),
    recent.length > 0
      ? h(
          'ul',
          { class: 'passages' },
          recent.map((r) =>
            h(
              'li',
              { class: r.voided ? 'annule' : undefined },
              `${longDay(new Date(r.startedAt))} à ${hour(new Date(r.startedAt))} — ${r.space.name} (${r.space.address.commune}), ${plural(r.entries, 'entrée')}`,
              r.voided ? ' — annulé, entrées rendues' : '',
            ),
          ),
        )
      : h(
          'p',
          { class: 'aide' },
          'Le détail des passages (date et lieu) est une donnée personnelle : seuls le titulaire connecté et les lieux le consultent.',
        ),
  );
}

export function passPage(main: HTMLElement): string {
  const code = h('input', {
    type: 'text',
    name: 'code',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    required: true,
    maxlength: 20,
  });
  const submit = h('button', { type: 'submit' }, 'Consulter');
  const result = h('div', { class: 'resultat', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'recherche', 'aria-label': 'Consulter un pass' },
    field(
      'Code du pass',
      code,
      'Les 12 caractères imprimés sur la carte, par exemple K7QF-9M2X-T4CW. Tirets et espaces facultatifs.',
    ),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!code.value.trim()) {
      replace(result, h('p', { class: 'erreur' }, 'Saisissez le code imprimé sur votre carte.'));
      return code.focus();
    }
    submit.disabled = true;
    replace(result, h('p', {}, 'Recherche du pass…'));
    try {
      const answer = await ask(PASS, { code: code.value.trim() });
      const pass = answer.data?.pass;
      if (pass) replace(result, passDetails(pass));
      else if (answer.errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT'))
        replace(
          result,
          h(
            'p',
            { class: 'erreur' },
            'Ce code n’est pas valide : vérifiez chaque caractère (le dernier est une clé de contrôle qui détecte les fautes de frappe).',
          ),
        );
      else if (answer.data)
        replace(result, h('p', { class: 'erreur' }, 'Aucun pass ne porte ce code.'));
      else
        replace(
          result,
          h(
            'p',
            { class: 'erreur' },
            'Le service des pass ne répond pas. Réessayez dans quelques minutes.',
          ),
        );
    } catch {
      replace(
        result,
        h(
          'p',
          { class: 'erreur' },
          'Le service des pass ne répond pas. Réessayez dans quelques minutes.',
        ),
      );
    } finally {
      submit.disabled = false;
    }
  });
  const mine = h('div', { class: 'mes-pass' });
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Mon pass'),
    h(
      'p',
      { class: 'chapo' },
      'Un pass du réseau donne des entrées dans plusieurs lieux. Saisissez son code pour voir ce qu’il reste, jusqu’à quand et où l’utiliser.',
    ),
    mine,
    form,
    result,
  );
  void showMyPasses(mine);
  return 'Mon pass';
}

/** The signed-in holder's own passes, above the form that looks one up by its code. */
async function showMyPasses(area: HTMLElement): Promise<void> {
  if (!(await currentSession()).signedIn) return;
  const answer = await ask(MY_PASSES, {}).catch(() => null);
  const me = answer?.data?.me;
  if (!me) return;
  replace(
    area,
    h(
      'section',
      { 'aria-labelledby': 'titre-mes-pass' },
      h('h2', { id: 'titre-mes-pass' }, 'Les pass à mon nom'),
      me.passes.length === 0
        ? h('p', {}, 'Aucun pass n’est à votre nom pour le moment.')
        : me.passes.map((pass, index) => passDetails(pass, `-${index + 1}`)),
    ),
    h('h2', {}, 'Consulter un autre pass'),
  );
}
