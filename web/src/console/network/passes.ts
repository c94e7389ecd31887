/** Passes: products (create, edit price and validity), passes sold (issue, list, search), sales. */
import { h, replace } from '../../app/dom.js';
import { price } from '../../app/format.js';
import { request } from '../../graphql/client.js';
import { failure, formValues, input, periodForm, periodOf } from '../shell/forms.js';
import { say, statusLine } from '../shell/layout.js';
import { dataTable, type Column } from '../shell/table.js';
import {
  CREATE_PRODUCT,
  ISSUE_PASS,
  NETWORK_PASSES,
  NETWORK_PRODUCTS,
  PASS_SALES,
  UPDATE_PRODUCT,
} from './operations.js';

const API = '/graphql';
const euros = (cents: number) => price(cents);
const cents = (text: string | undefined) =>
  Math.round(Number((text ?? '').replace(',', '.')) * 100);

export async function passesPage(body: HTMLElement, url: URL): Promise<string> {
  const status = statusLine();
  const products = h('section', { 'aria-labelledby': 'titre-produits' });
  const passes = h('section', { 'aria-labelledby': 'titre-pass-vendus' });
  const sales = h('section', { 'aria-labelledby': 'titre-ventes' });
  const period = periodOf(url, 365);
  replace(body, h('h1', { tabindex: -1 }, 'Pass'), status, products, passes, sales);

  async function showProducts() {
    const answer = await request(API, NETWORK_PRODUCTS, {});
    const rows = (answer.data?.passProducts.edges ?? []).map((e) => e.node);
    type Row = (typeof rows)[number];
    const columns: Column<Row>[] = [
      { label: 'Produit', cell: (p) => p.name },
      { label: 'Vendu par', cell: (p) => p.seller?.name ?? 'Le réseau' },
      { label: 'Entrées', numeric: true, cell: (p) => `${p.entries} × ${p.entryMinutes} min` },
      {
        label: 'Prix et validité',
        cell: (p) => {
          const form = h(
            'form',
            { class: 'ligne', 'aria-label': `Modifier ${p.name}` },
            input(`Prix de ${p.name} (€)`, 'price', {
              value: (p.price.amountCents / 100).toFixed(2),
              inputmode: 'decimal',
              size: 7,
            }),
            input(`Validité de ${p.name} (jours)`, 'days', {
              type: 'number',
              min: 1,
              max: 3660,
              value: p.validityDays,
            }),
            h('button', { type: 'submit' }, `Enregistrer ${p.name}`),
          );
          form.addEventListener('submit', (event) => {
            event.preventDefault();
            const v = formValues(form);
            void request(API, UPDATE_PRODUCT, {
              input: { id: p.id, priceCents: cents(v.price), validityDays: Number(v.days) },
            }).then((a) => {
              say(status, failure(a, a.data?.updatePassProduct.error) ?? `${p.name} est modifié.`);
              if (!a.data?.updatePassProduct.error) void showProducts();
            });
          });
          return form;
        },
      },
    ];
    const create = h(
      'form',
      { class: 'ligne', 'aria-label': 'Créer un produit' },
      input('Nom', 'name', { required: true }),
      input('Vendeur (identifiant, vide pour le réseau)', 'seller'),
      input('Lieux (identifiants, séparés par des virgules)', 'spaces', { required: true }),
      input('Entrées', 'entries', { type: 'number', min: 1, value: 10, required: true }),
      input('Minutes par entrée', 'minutes', {
        type: 'number',
        min: 1,
        value: 180,
        required: true,
      }),
      input('Prix (€)', 'price', { inputmode: 'decimal', required: true }),
      input('Validité (jours)', 'days', { type: 'number', min: 1, value: 365, required: true }),
      h('button', { type: 'submit' }, 'Créer le produit'),
    );
    create.addEventListener('submit', (event) => {
      event.preventDefault();
      const v = formValues(create);
      void request(API, CREATE_PRODUCT, {
        input: {
          name: v.name!,
          sellerSlug: v.seller || null,
          validAtSpaceIds: v
            .spaces!.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          entries: Number(v.entries),
          entryMinutes: Number(v.minutes),
          priceCents: cents(v.price),
          validityDays: Number(v.days),
        },
      }).then((a) => {
        say(
          status,
          failure(a, a.data?.createPassProduct.error) ?? `Le produit ${v.name} est créé.`,
        );
        if (!a.data?.createPassProduct.error) void showProducts();
      });
    });
    const issue = h(
      'form',
      { class: 'ligne', 'aria-label': 'Émettre un pass' },
      h(
        'div',
        { class: 'champ' },
        h('label', { for: 'produit-a-emettre' }, 'Produit'),
        h(
          'select',
          { id: 'produit-a-emettre', name: 'product' },
          rows.map((p) => h('option', { value: p.id }, p.name)),
        ),
      ),
      input('Titulaire (identifiant de personne, facultatif)', 'holder'),
      h('button', { type: 'submit' }, 'Émettre un pass'),
    );
    issue.addEventListener('submit', (event) => {
      event.preventDefault();
      const v = formValues(issue);
      void request(API, ISSUE_PASS, {
        input: { productId: v.product!, holderPersonId: v.holder || null },
      }).then((a) => {
        const pass = a.data?.issuePass.pass;
        say(status, failure(a, a.data?.issuePass.error) ?? `Pass émis : ${pass?.code ?? ''}`);
        if (pass) void showPasses(null);
      });
    });
    replace(
      products,
      h('h2', { id: 'titre-produits' }, 'Produits'),
      dataTable('Produits de pass', columns, rows),
      h('h3', {}, 'Créer un produit'),
      create,
      h('h3', {}, 'Émettre un pass'),
      issue,
    );
  }

  async function showPasses(search: string | null) {
    const answer = await request(API, NETWORK_PASSES, { search });
    const connection = answer.data?.passes;
    const rows = (connection?.edges ?? []).map((e) => e.node);
    type Row = (typeof rows)[number];
    const columns: Column<Row>[] = [
      { label: 'Code', cell: (p) => p.code ?? '—' },
      { label: 'Produit', cell: (p) => p.product.name },
      { label: 'Titulaire', cell: (p) => p.holderPerson?.displayName ?? '—' },
      {
        label: 'Entrées restantes',
        numeric: true,
        cell: (p) => `${p.entriesLeft} / ${p.entriesTotal}`,
      },
      {
        label: 'Émis le',
        cell: (p) => new Date(p.issuedAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }),
      },
    ];
    const form = h(
      'form',
      { class: 'ligne', role: 'search', 'aria-label': 'Chercher un pass' },
      input('Code ou titulaire', 'q', { type: 'search', value: search ?? '' }),
      h('button', { type: 'submit' }, 'Chercher'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void showPasses(formValues(form).q || null);
    });
    replace(
      passes,
      h('h2', { id: 'titre-pass-vendus' }, 'Pass vendus'),
      form,
      dataTable(
        `${connection?.totalCount ?? 0} pass${search ? ` pour « ${search} »` : ''} (les 50 plus récents)`,
        columns,
        rows,
      ),
    );
  }

  async function showSales() {
    const answer = await request(API, PASS_SALES, period);
    const data = answer.data;
    type Bucket = NonNullable<typeof data>['byMonth'][number];
    const columns = (label: string): Column<Bucket>[] => [
      { label, cell: (b) => b.label },
      { label: 'Pass vendus', numeric: true, cell: (b) => b.passes },
      { label: 'Montant', numeric: true, cell: (b) => euros(b.amount.amountCents) },
    ];
    replace(
      sales,
      h('h2', { id: 'titre-ventes' }, 'Ventes'),
      periodForm('/reseau/pass', period),
      dataTable('Ventes par produit', columns('Produit'), data?.byProduct ?? []),
      dataTable('Ventes par vendeur', columns('Vendeur'), data?.bySeller ?? []),
      dataTable('Ventes par mois', columns('Mois'), data?.byMonth ?? []),
    );
  }

  await Promise.all([showProducts(), showPasses(null), showSales()]);
  return 'Pass';
}
