/** The directory: search as you type, filters, and one card per space. */
import type { Amenity, DirectoryQuery, SpaceKind } from '../../__generated__/graphql.js';
import { DIRECTORY, PLACES } from '../../graphql/operations.js';
import { AMENITIES, SPACE_KINDS, departmentLabel } from '../../labels.js';
import { ask, otherErrors } from '../api.js';
import { field, h, options, replace, uid } from '../dom.js';
import { openingState, plural, price } from '../format.js';
import { hoursInWords } from '../hours.js';
import { osmLink } from '../jsonld.js';
import { spacePath } from '../../paths.js';
import {
  HALF_HOURS,
  parseSearch,
  RADII_KM,
  toFilter,
  toSearchParams,
  WEEKDAYS,
  type DirectorySearch,
  type Near,
  type Opening,
} from '../search-state.js';

type SpaceCard = DirectoryQuery['spaces']['edges'][number]['node'];

const PAGE_SIZE = 30;
const SEARCH_DELAY_MS = 250;

interface Commune {
  key: string;
  label: string;
  lat: number;
  lon: number;
}

interface Places {
  communes: Commune[];
  departments: string[];
  complete: boolean;
}

/**
 * Communes of the directory, each at the mean position of its spaces, and the departments;
 * incomplete when a partner did not answer.
 */
async function places(): Promise<Places> {
  const answer = await ask(PLACES, {});
  const spaces = answer.data?.spaces.edges.map((e) => e.node) ?? [];
  const byCommune = new Map<string, { label: string; lats: number[]; lons: number[] }>();
  for (const s of spaces) {
    const key = `${s.address.commune}|${s.address.department}`;
    const entry = byCommune.get(key) ?? {
      label: `${s.address.commune} (${s.address.department})`,
      lats: [],
      lons: [],
    };
    entry.lats.push(s.location.lat);
    entry.lons.push(s.location.lon);
    byCommune.set(key, entry);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const communes = [...byCommune.entries()]
    .map(([key, c]) => ({ key, label: c.label, lat: mean(c.lats), lon: mean(c.lons) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'fr'));
  const departments = [...new Set(spaces.map((s) => s.address.department))].sort();
  return { communes, departments, complete: Boolean(answer.data) && answer.errors.length === 0 };
}

function card(space: SpaceCard): HTMLElement {
  const state = openingState(space);
  const titleId = uid('lieu');
  const hours = space.openingHours ? hoursInWords(space.openingHours) : null;
  return h(
    'li',
    { class: 'carte' },
    h(
      'article',
      { 'aria-labelledby': titleId, 'data-lieu': space.id },
      h(
        'h2',
        { id: titleId },
        h('a', { href: spacePath(space.id) }, space.name),
        h('span', { class: 'commune' }, ` — ${space.address.commune}`),
      ),
      h('p', { class: `badge ${state.open ? 'ouvert' : 'ferme'}` }, state.label),
      h(
        'p',
        { class: 'types' },
        space.kinds.map((k) => SPACE_KINDS[k]).join(' · '),
        space.distanceKm !== null && space.distanceKm !== undefined
          ? h('span', { class: 'distance' }, ` · à ${formatKm(space.distanceKm)}`)
          : null,
      ),
      space.openingHours
        ? h(
            'p',
            { class: 'horaires' },
            h('span', { class: 'etiquette' }, 'Horaires : '),
            hours ? hours.join(' ; ') : space.openingHours,
          )
        : null,
      space.offers.length > 0
        ? h(
            'ul',
            { class: 'tarifs', 'aria-label': `Tarifs de ${space.name}` },
            space.offers.map((o) =>
              h(
                'li',
                {},
                `${o.label} : `,
                h('strong', {}, price(o.price.amountCents, o.price.currency)),
              ),
            ),
          )
        : null,
      (space.acceptedPasses ?? []).length > 0
        ? h(
            'p',
            { class: 'pass' },
            h('span', { class: 'etiquette' }, 'Pass acceptés : '),
            (space.acceptedPasses ?? []).map((p) => p.name).join(', '),
          )
        : null,
      h(
        'p',
        {},
        h(
          'a',
          { href: osmLink(space.location), rel: 'external' },
          'Voir sur OpenStreetMap',
          h('span', { class: 'sr-only' }, ` : ${space.name}, ${space.address.commune}`),
        ),
      ),
    ),
  );
}

function formatKm(km: number): string {
  return km < 10 ? `${km.toFixed(1).replace('.', ',')} km` : `${Math.round(km)} km`;
}

/** The "near" select's values: '' for anywhere, `position`, or a commune's key. */
const POSITION = 'position';
const nearValue = (near: Near): string =>
  near === null ? '' : near === POSITION ? POSITION : near.commune;
const nearOf = (value: string): Near =>
  value === '' ? null : value === POSITION ? POSITION : { commune: value };

/**
 * The search form, showing `start`. Its controls keep `start` as their default state, so the
 * reset button goes back to the search the URL held.
 */
function searchForm(start: DirectorySearch) {
  const text = h('input', {
    type: 'search',
    name: 'q',
    value: start.text,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const department = h('select', { name: 'departement' });
  const kind = h(
    'select',
    { name: 'type' },
    options(
      [['', 'Tous les types'], ...(Object.entries(SPACE_KINDS) as [string, string][])],
      start.kind ?? '',
    ),
  );
  const amenityBoxes = (Object.entries(AMENITIES) as [Amenity, string][]).map(([value, label]) => {
    const box = h('input', {
      type: 'checkbox',
      name: 'equipements',
      value,
      id: uid('equipement'),
      checked: start.amenities.includes(value),
    });
    return {
      value,
      box,
      element: h('div', { class: 'case' }, box, h('label', { for: box.id }, label)),
    };
  });
  const openingName = uid('ouverture');
  const opening = (['any', 'now', 'at'] satisfies Opening[]).map((value) =>
    h('input', {
      type: 'radio',
      name: openingName,
      value,
      id: uid('ouverture'),
      checked: start.opening === value,
    }),
  );
  const [anyTime, openNow, openAt] = opening as [
    HTMLInputElement,
    HTMLInputElement,
    HTMLInputElement,
  ];
  const weekday = h('select', { name: 'jour' }, options(WEEKDAYS, String(start.weekday)));
  const time = h('select', { name: 'heure' }, options(HALF_HOURS, start.time));
  const near = h('select', { name: 'pres' });
  const radius = h(
    'select',
    { name: 'rayon' },
    options(
      RADII_KM.map((r) => [String(r), `${r} km`]),
      String(start.radiusKm),
    ),
  );
  const positionMessage = h('p', { class: 'aide', role: 'status' });
  const clear = h('button', { type: 'reset', class: 'secondaire' }, 'Effacer les filtres');

  const form = h(
    'form',
    { role: 'search', class: 'recherche', 'aria-label': 'Rechercher dans l’annuaire' },
    field(
      'Rechercher un lieu ou une commune',
      text,
      'Les accents et les majuscules ne comptent pas.',
    ),
    h(
      'div',
      { class: 'filtres' },
      field('Département', department),
      field('Type de lieu', kind),
      h(
        'fieldset',
        { class: 'ouverture' },
        h('legend', {}, 'Ouverture'),
        h('div', { class: 'case' }, anyTime, h('label', { for: anyTime.id }, 'Peu importe')),
        h('div', { class: 'case' }, openNow, h('label', { for: openNow.id }, 'Ouvert maintenant')),
        h(
          'div',
          { class: 'case' },
          openAt,
          h('label', { for: openAt.id }, 'Ouvert le jour et à l’heure choisis :'),
        ),
        h('div', { class: 'ligne' }, field('Jour', weekday), field('Heure', time)),
      ),
      h(
        'fieldset',
        { class: 'proximite' },
        h('legend', {}, 'Proximité'),
        h('div', { class: 'ligne' }, field('Près de', near), field('Dans un rayon de', radius)),
        positionMessage,
      ),
      h(
        'details',
        { class: 'equipements', open: start.amenities.length > 0 },
        h('summary', {}, 'Équipements'),
        h(
          'fieldset',
          {},
          h('legend', { class: 'sr-only' }, 'Équipements souhaités'),
          amenityBoxes.map((a) => a.element),
        ),
      ),
    ),
    h('div', { class: 'actions' }, clear),
  );

  /** The search the controls show. */
  function read(): DirectorySearch {
    return {
      text: text.value,
      department: department.value || null,
      kind: (kind.value || null) as SpaceKind | null,
      amenities: amenityBoxes.filter((a) => a.box.checked).map((a) => a.value),
      opening: (opening.find((r) => r.checked)?.value ?? 'any') as Opening,
      weekday: Number(weekday.value),
      time: time.value,
      near: nearOf(near.value),
      radiusKm: Number(radius.value),
    };
  }

  /** The departments and communes to choose from, with `selected`'s chosen. */
  function showPlaces(places: Places, selected: DirectorySearch): void {
    replace(
      department,
      options(
        [
          ['', 'Tous les départements'],
          ...places.departments.map((d): [string, string] => [d, departmentLabel(d)]),
        ],
        selected.department ?? '',
      ),
    );
    replace(
      near,
      options(
        [
          ['', 'N’importe où'],
          [POSITION, 'Ma position actuelle'],
          ...places.communes.map((c): [string, string] => [c.key, c.label]),
        ],
        nearValue(selected.near),
      ),
    );
  }

  return { form, text, weekday, time, openAt, near, positionMessage, read, showPlaces };
}

export async function directoryPage(main: HTMLElement, url: URL): Promise<string> {
  const start = parseSearch(url.searchParams);
  const search = searchForm(start);
  const { form, near, positionMessage } = search;
  const count = h('p', { class: 'compte', role: 'status', 'aria-live': 'polite' });
  const results = h('ul', { class: 'cartes', 'aria-label': 'Lieux trouvés' });
  const more = h(
    'button',
    { type: 'button', class: 'secondaire', hidden: true },
    'Afficher plus de lieux',
  );

  replace(
    main,
    h('h1', { tabindex: -1 }, 'Trouver un tiers-lieu'),
    h(
      'p',
      { class: 'chapo' },
      'Espaces de coworking, télécentres, fab labs et tiers-lieux ruraux du réseau : cherchez par nom ou par commune, filtrez par jour d’ouverture, par équipement ou autour de vous.',
    ),
    form,
    count,
    results,
    more,
  );

  let position: { lat: number; lon: number } | null = null;
  let communes: Commune[] = [];
  let generation = 0;
  let cursor: string | null = null;

  async function load(append: boolean): Promise<void> {
    const mine = ++generation;
    results.setAttribute('aria-busy', 'true');
    try {
      const filter = toFilter(search.read(), { now: new Date(), position, communes });
      const answer = await ask(DIRECTORY, {
        filter,
        first: PAGE_SIZE,
        after: append ? cursor : null,
      });
      if (mine !== generation) return;
      const spaces = answer.data?.spaces;
      if (!spaces) {
        const problem = otherErrors(answer)[0];
        replace(results);
        count.textContent =
          problem?.extensions?.code === 'BAD_USER_INPUT'
            ? `Recherche impossible : ${problem.message}`
            : 'L’annuaire ne répond pas pour le moment. Réessayez dans quelques minutes.';
        more.hidden = true;
        return;
      }
      const cards = spaces.edges.map((e) => card(e.node));
      if (append) results.append(...cards);
      else replace(results, cards);
      cursor = spaces.pageInfo.endCursor ?? null;
      if (!placesComplete && !refilling)
        refilling = fillPlaces(false)
          .catch(() => undefined)
          .finally(() => (refilling = null));
      more.hidden = !spaces.pageInfo.hasNextPage;
      count.textContent =
        spaces.totalCount === 0
          ? 'Aucun lieu ne correspond à ces critères.'
          : `${plural(spaces.totalCount, 'lieu trouvé', 'lieux trouvés')}`;
    } catch {
      if (mine === generation)
        count.textContent =
          'L’annuaire ne répond pas pour le moment. Réessayez dans quelques minutes.';
    } finally {
      if (mine === generation) results.removeAttribute('aria-busy');
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  function refresh(delay = 0): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const query = toSearchParams(search.read()).toString();
      history.replaceState(history.state, '', query ? `/?${query}` : '/');
      void load(false);
    }, delay);
  }

  search.text.addEventListener('input', () => refresh(SEARCH_DELAY_MS));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    refresh();
  });
  form.addEventListener('change', (event) => {
    if (event.target === search.weekday || event.target === search.time)
      search.openAt.checked = true;
    if (event.target === search.text) return;
    refresh();
  });
  form.addEventListener('reset', () => {
    position = null;
    positionMessage.textContent = '';
    setTimeout(() => refresh());
  });
  near.addEventListener('change', () => {
    if (near.value !== POSITION) return;
    if (!('geolocation' in navigator)) {
      positionMessage.textContent = 'Votre navigateur ne donne pas sa position.';
      return;
    }
    positionMessage.textContent = 'Recherche de votre position…';
    navigator.geolocation.getCurrentPosition(
      (found) => {
        position = { lat: found.coords.latitude, lon: found.coords.longitude };
        positionMessage.textContent =
          'Lieux classés du plus proche au plus lointain de votre position.';
        refresh();
      },
      () => {
        positionMessage.textContent =
          'Position indisponible : choisissez plutôt une commune dans la liste.';
      },
    );
  });
  more.addEventListener('click', () => void load(true));

  // Filled again after each search until every partner has answered, so a partner that was
  // missing when the page opened gets its communes and departments in the lists.
  let placesComplete = false;
  let refilling: Promise<void> | null = null;
  const fillPlaces = (initial: boolean) =>
    places().then((p) => {
      communes = p.communes;
      placesComplete = p.complete;
      search.showPlaces(p, initial ? start : search.read());
    });
  const known = fillPlaces(true);
  await known.catch(() => undefined);
  await load(false);
  return 'Annuaire des tiers-lieux';
}
