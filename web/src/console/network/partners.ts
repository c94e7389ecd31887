/** Partners: each one's state at a glance, registering, suspending, reactivating; roles. */
import { h, replace } from '../../app/dom.js';
import { request } from '../../graphql/client.js';
import { dataTable, type Column } from '../shell/table.js';
import { failure, formValues, input, select } from '../shell/forms.js';
import { say, statusLine } from '../shell/layout.js';
import {
  GRANT_ROLE,
  INVITE_PERSON,
  NETWORK_PARTNERS,
  REACTIVATE_PARTNER,
  REGISTER_PARTNER,
  REVOKE_ROLE,
  ROLE_GRANTS,
  SUSPEND_PARTNER,
} from './operations.js';

const API = '/graphql';

/** What the gateway's `/ready` tells coordinators of each partner. */
interface ReadyPartner {
  slug: string;
  routed: boolean;
  lastOutcome: string | null;
  lastOkAt: string | null;
  conformance?: { state?: string; version?: string | null };
  lastHour?: {
    requests: number;
    errors: number;
    timeouts: number;
    meanMs: number | null;
    p95Ms: number | null;
  };
}

async function readyReport(): Promise<Map<string, ReadyPartner>> {
  try {
    const response = await fetch('/ready', { headers: { accept: 'application/json' } });
    const body = (await response.json()) as { partners?: ReadyPartner[] };
    return new Map((body.partners ?? []).map((p) => [p.slug, p]));
  } catch {
    return new Map();
  }
}

const when = (iso: string | null | undefined) =>
  iso
    ? new Intl.DateTimeFormat('fr-FR', {
        dateStyle: 'short',
        timeStyle: 'short',
        timeZone: 'Europe/Paris',
      }).format(new Date(iso))
    : '—';

const KINDS: [string, string][] = [
  ['ASSOCIATION', 'Association'],
  ['COOPERATIVE', 'Coopérative'],
  ['REGIONAL_NATURAL_PARK', 'Parc naturel régional'],
  ['LOCAL_AUTHORITY', 'Collectivité'],
  ['COMPANY', 'Entreprise'],
  ['OTHER', 'Autre'],
];
const ROLES: Record<string, string> = {
  COORDINATOR: 'Coordination',
  MANAGER: 'Gestion',
  STAFF: 'Accueil',
};

export async function partnersPage(body: HTMLElement): Promise<string> {
  const status = statusLine();
  const partnersArea = h('section', { 'aria-labelledby': 'titre-partenaires' });
  const rolesArea = h('section', { 'aria-labelledby': 'titre-roles' });
  replace(
    body,
    h('h1', { tabindex: -1 }, 'Partenaires'),
    status,
    partnersArea,
    registerForm(status, () => void showPartners()),
    rolesArea,
  );

  async function act(run: () => Promise<string | null>, done: string) {
    const problem = await run();
    say(status, problem ?? done);
    if (!problem) await Promise.all([showPartners(), showRoles()]);
  }

  async function showPartners() {
    const [answer, ready] = await Promise.all([request(API, NETWORK_PARTNERS, {}), readyReport()]);
    const partners = answer.data?.partners ?? [];
    type Row = (typeof partners)[number];
    const columns: Column<Row>[] = [
      { label: 'Partenaire', cell: (p) => h('span', {}, p.name, h('br'), h('small', {}, p.slug)) },
      {
        label: 'État',
        cell: (p) => {
          const r = ready.get(p.slug);
          if (p.status === 'SUSPENDED') return 'Suspendu';
          const up = r?.routed && r.lastOutcome !== null && r.lastOutcome === 'ok';
          return h(
            'span',
            { class: up ? 'etat-ok' : 'etat-ko' },
            up
              ? 'Répond'
              : r?.lastOutcome
                ? `Ne répond pas (${r.lastOutcome})`
                : 'Pas encore appelé',
          );
        },
      },
      {
        label: 'Latence (1 h, moyenne / p95)',
        cell: (p) => {
          const hour = ready.get(p.slug)?.lastHour;
          return hour?.meanMs == null ? '—' : `${hour.meanMs} ms / ≤ ${hour.p95Ms} ms`;
        },
      },
      {
        label: 'Requêtes, erreurs, délais dépassés (1 h)',
        numeric: true,
        cell: (p) => {
          const hour = ready.get(p.slug)?.lastHour;
          return hour ? `${hour.requests} · ${hour.errors} · ${hour.timeouts}` : '—';
        },
      },
      {
        label: 'Contrat',
        cell: (p) => {
          const c = ready.get(p.slug)?.conformance;
          const check = p.lastCheck
            ? p.lastCheck.ok
              ? 'conforme'
              : 'non conforme'
            : 'non vérifié';
          return `${check}${c?.version ? `, version ${c.version}` : ''}`;
        },
      },
      { label: 'Vu pour la dernière fois', cell: (p) => when(ready.get(p.slug)?.lastOkAt) },
      {
        label: 'Action',
        cell: (p) =>
          p.status === 'ACTIVE'
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: () =>
                    void act(async () => {
                      const a = await request(API, SUSPEND_PARTNER, { slug: p.slug });
                      return failure(a, a.data?.suspendPartner.error);
                    }, `${p.name} est suspendu.`),
                },
                `Suspendre ${p.name}`,
              )
            : h(
                'button',
                {
                  type: 'button',
                  onclick: () =>
                    void act(async () => {
                      const a = await request(API, REACTIVATE_PARTNER, { slug: p.slug });
                      return failure(a, a.data?.reactivatePartner.error);
                    }, `${p.name} est réactivé.`),
                },
                `Réactiver ${p.name}`,
              ),
      },
    ];
    replace(
      partnersArea,
      h('h2', { id: 'titre-partenaires' }, `${partners.length} partenaires`),
      dataTable('État des partenaires', columns, partners),
    );
  }

  async function showRoles() {
    const answer = await request(API, ROLE_GRANTS, {});
    const grants = (answer.data?.roleGrants.edges ?? []).map((e) => e.node);
    type Grant = (typeof grants)[number];
    const columns: Column<Grant>[] = [
      {
        label: 'Personne',
        cell: (g) => `${g.person.displayName}${g.person.email ? ` (${g.person.email})` : ''}`,
      },
      { label: 'Rôle', cell: (g) => ROLES[g.role] ?? g.role },
      { label: 'Partenaire', cell: (g) => g.partner?.name ?? 'Tout le réseau' },
      { label: 'Depuis', cell: (g) => when(g.grantedAt) },
      {
        label: 'Action',
        cell: (g) =>
          h(
            'button',
            {
              type: 'button',
              onclick: () =>
                void act(async () => {
                  const a = await request(API, REVOKE_ROLE, { grantId: g.id });
                  return failure(a, a.data?.revokeRole.error);
                }, 'Le rôle est retiré.'),
            },
            `Retirer le rôle de ${g.person.displayName}`,
          ),
      },
    ];
    const grantForm = h(
      'form',
      { class: 'ligne', 'aria-label': 'Donner un rôle' },
      input('E-mail de la personne', 'email', {
        type: 'email',
        required: true,
        autocomplete: 'off',
      }),
      select('Rôle', 'role', Object.entries(ROLES)),
      input('Partenaire (identifiant)', 'partner', { autocomplete: 'off' }),
      input('Nom (pour une invitation)', 'displayName', { autocomplete: 'off' }),
      h('button', { type: 'submit', name: 'action', value: 'grant' }, 'Donner le rôle'),
      h('button', { type: 'submit', name: 'action', value: 'invite' }, 'Inviter'),
    );
    grantForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const v = formValues(grantForm);
      const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
      const role = v.role as 'COORDINATOR' | 'MANAGER' | 'STAFF';
      const partner = v.partner || null;
      void act(
        async () => {
          if (submitter?.value === 'invite') {
            const a = await request(API, INVITE_PERSON, {
              input: { email: v.email!, displayName: v.displayName || v.email!, role, partner },
            });
            return failure(a, a.data?.invitePerson.error);
          }
          const a = await request(API, GRANT_ROLE, { input: { email: v.email!, role, partner } });
          return failure(a, a.data?.grantRole.error);
        },
        submitter?.value === 'invite' ? 'La personne est invitée.' : 'Le rôle est donné.',
      );
    });
    replace(
      rolesArea,
      h('h2', { id: 'titre-roles' }, 'Rôles'),
      dataTable(`${answer.data?.roleGrants.totalCount ?? 0} rôles en cours`, columns, grants),
      grantForm,
    );
  }

  await Promise.all([showPartners(), showRoles()]);
  return 'Partenaires';
}

function registerForm(status: HTMLElement, refresh: () => void): HTMLElement {
  const form = h(
    'form',
    { class: 'ligne', 'aria-labelledby': 'titre-inscrire' },
    input('Identifiant', 'slug', {
      required: true,
      pattern: '[a-z][a-z0-9-]{1,39}',
      autocomplete: 'off',
    }),
    input('Nom', 'name', { required: true, autocomplete: 'off' }),
    select('Nature', 'kind', KINDS),
    input('Territoire', 'territory', { required: true, autocomplete: 'off' }),
    input('Adresse du sous-graphe', 'subgraphUrl', {
      type: 'url',
      required: true,
      autocomplete: 'off',
    }),
    h('button', { type: 'submit' }, 'Inscrire le partenaire'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = formValues(form);
    say(status, 'Vérification du sous-graphe du partenaire…');
    void request(API, REGISTER_PARTNER, {
      input: {
        slug: v.slug!,
        name: v.name!,
        kind: v.kind as 'ASSOCIATION',
        territory: v.territory!,
        subgraphUrl: v.subgraphUrl!,
      },
    }).then((a) => {
      const payload = a.data?.registerPartner;
      const problem = failure(a, payload?.error);
      const missing = payload?.check?.missing ?? [];
      say(
        status,
        problem
          ? `${problem}${missing.length ? ` Manque : ${missing.slice(0, 5).join(', ')}` : ''}`
          : `Le partenaire ${v.name} est inscrit : son sous-graphe répond et sert le contrat.`,
      );
      if (!problem) refresh();
    });
  });
  return h('section', {}, h('h2', { id: 'titre-inscrire' }, 'Inscrire un partenaire'), form);
}
