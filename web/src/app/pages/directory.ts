/** The directory: search as you type, filters, and one card per space. */
import type { Amenity, DirectoryQuery, SpaceKind } from '../../__generated__/graphql.js';
import { DIRECTORY, PLACES } from '../../graphql/operations.js';
import { AMENITIES, SPACE_KINDS, departmentLabel } from '../../labels.js';
import { ask, otherErrors } from '../api.js';
import { field, h, options, replace, uid, setText } from '../dom.js';
import { day, hour, openingState, plural, price, type OpeningState } from '../format.js';
import { communeByCode, communeLabel, findCommunes, type CommuneChoice } from '../communes.js';
import { formatParisIso } from '../../paris-time.js';
import { serverContext } from '../page-context.js';
import { hoursInWords } from '../hours.js';
import { osmLink } from '../jsonld.js';
import { spacePath } from '../../paths.js';
import {
  chosenInstant,
  HALF_HOURS,
  parseSearch,
  RADII_KM,
  toFilter,
  toOrder,
  toSearchParams,
  WEEKDAYS,
  type DirectorySearch,
  type Near,
  type Opening,
} from '../search-state.js';

type SpaceCard = DirectoryQuery['spaces']['edges'][number]['node'];

const PAGE_SIZE = 30;
const SEARCH_DELAY_MS = 250;

interface Places {
  departments: string[];
  complete: boolean;
}

/** The departments of the directory; incomplete when a partner did not answer. */
async function places(): Promise<Places> {
  const answer = await ask(PLACES, {});
  const spaces = answer.data?.spaces.edges.map((e) => e.node) ?? [];
  const departments = [...new Set(spaces.map((s) => s.address.department))].sort();
  return { departments, complete: Boolean(answer.data) && answer.errors.length === 0 };
}

/** Open or closed at the chosen day and time, else the state of now. */
function cardState(space: SpaceCard, at: Date | null): OpeningState {
  if (!at || space.status !== 'OPEN') return openingState(space);
  const when = `${day(at)} à ${hour(at)}`;
  return space.openAtChosen
    ? { open: true, label: `Ouvert ${when}` }
    : { open: false, label: `Fermé ${when}` };
}

/** A space's card: in the list, and in its marker's popup on the map. */
export function spaceCard(space: SpaceCard, at: Date | null): HTMLElement {
  const state = cardState(space, at);
  const titleId = uid('lieu');
  const hours = space.openingHours ? hoursInWords(space.openingHours) : null;
  return h(
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
  );
}

function formatKm(km: number): string {
  return km < 10 ? `${km.toFixed(1).replace('.', ',')} km` : `${Math.round(km)} km`;
}

/**
 * The search form, showing `start`. Its controls keep `start` as their default state, so the
 * reset button goes back to the search the URL held.
 */
/** Where "near" is: nowhere, the visitor's position, or a commune found in the index. */
interface Chosen {
  current: null | 'position' | CommuneChoice;
}

function searchForm(start: DirectorySearch, chosen: Chosen) {
  const text = h('input', {
    type: 'search',
    name: 'q',
    value: start.text,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  // Holds the URL's department until the list of departments arrives (asked at the same time
  // as the first page of results, which needs it).
  const department = h(
    'select',
    { name: 'departement' },
    options(
      [
        ['', 'Tous les départements'],
        ...(start.department
          ? [[start.department, departmentLabel(start.department)] as [string, string]]
          : []),
      ],
      start.department ?? '',
    ),
  );
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
  const closedToo = h('input', {
    type: 'checkbox',
    name: 'fermes',
    id: uid('fermes'),
    checked: start.closedToo,
  });
  const time = h('select', { name: 'heure' }, options(HALF_HOURS, start.time));
  const near = h('input', {
    type: 'text',
    name: 'pres',
    autocomplete: 'off',
    spellcheck: 'false',
    list: uid('communes'),
    placeholder: 'Commune ou code postal',
  });
  const suggestions = h('datalist', { id: near.getAttribute('list')! });
  const usePosition = h('button', { type: 'button', class: 'secondaire' }, 'Autour de ma position');
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
        h(
          'div',
          { class: 'case' },
          closedToo,
          h('label', { for: closedToo.id }, 'Afficher aussi les lieux fermés à ce moment-là'),
        ),
      ),
      h(
        'fieldset',
        { class: 'proximite' },
        h('legend', {}, 'Proximité'),
        h(
          'div',
          { class: 'ligne' },
          field('Près de', near, 'Une commune de France ou un code postal.'),
          field('Dans un rayon de', radius),
        ),
        suggestions,
        h('p', {}, usePosition),
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
      closedToo: closedToo.checked,
      weekday: Number(weekday.value),
      time: time.value,
      near:
        chosen.current === 'position'
          ? 'position'
          : chosen.current
            ? { commune: chosen.current.code }
            : null,
      radiusKm: Number(radius.value),
    };
  }

  /** The departments to choose from, with `selected`'s chosen. */
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
  }

  return {
    form,
    text,
    weekday,
    time,
    openAt,
    closedToo,
    near,
    suggestions,
    usePosition,
    positionMessage,
    read,
    showPlaces,
  };
}

/** The map's code and its stylesheet load only when the visitor asks for the map. */
async function showMap(container: HTMLElement, spaces: SpaceCard[], at: Date | null) {
  const { resultsMap } = await import('../map.js');
  const map = await resultsMap(container);
  map.show(
    spaces.map((space, i) => ({
      id: space.id,
      label: `${i + 1}. ${space.name}`,
      number: i + 1,
      lat: space.location.lat,
      lon: space.location.lon,
      popup: () => spaceCard(space, at),
    })),
  );
}

export async function directoryPage(main: HTMLElement, url: URL): Promise<string> {
  const start = parseSearch(url.searchParams);
  const chosen: Chosen = { current: null };
  const search = searchForm(start, chosen);
  const { form, near, positionMessage } = search;
  const count = h('p', { class: 'compte', role: 'status', 'aria-live': 'polite' });
  const results = h('ul', { class: 'cartes', 'aria-label': 'Lieux trouvés' });
  const more = h(
    'button',
    { type: 'button', class: 'secondaire', hidden: true },
    'Afficher plus de lieux',
  );
  const mapWanted = url.searchParams.get('carte') === '1';
  const mapToggle = h(
    'button',
    { type: 'button', class: 'secondaire', 'aria-pressed': mapWanted ? 'true' : 'false' },
    'Afficher la carte',
  );
  const mapArea = h('div', {
    class: 'carte-lieux',
    role: 'region',
    'aria-label': 'Carte des lieux trouvés (la liste donne les mêmes lieux)',
    hidden: !mapWanted,
  });

  replace(
    main,
    h('h1', { tabindex: -1 }, 'Trouver un tiers-lieu'),
    h(
      'p',
      { class: 'chapo' },
      'Espaces de coworking, télécentres, fab labs et tiers-lieux ruraux du réseau : cherchez par nom ou par commune, filtrez par jour d’ouverture, par équipement ou autour de chez vous.',
    ),
    form,
    h('div', { class: 'resultats-entete' }, count, mapToggle),
    h('div', { class: 'resultats' }, h('div', { class: 'liste' }, results, more), mapArea),
  );

  let position: { lat: number; lon: number } | null = null;
  let generation = 0;
  let cursor: string | null = null;
  let shown: SpaceCard[] = [];

  function surroundings() {
    const commune =
      chosen.current !== null && chosen.current !== 'position' ? chosen.current : null;
    return {
      now: new Date(),
      position,
      communes: commune ? [{ key: commune.code, lat: commune.lat, lon: commune.lon }] : [],
    };
  }

  async function load(append: boolean): Promise<void> {
    const mine = ++generation;
    results.setAttribute('aria-busy', 'true');
    try {
      const current = search.read();
      const around = surroundings();
      const at = chosenInstant(current, around.now);
      const answer = await ask(DIRECTORY, {
        filter: toFilter(current, around),
        orderBy: toOrder(current, around),
        first: PAGE_SIZE,
        after: append ? cursor : null,
        at: formatParisIso(at ?? around.now),
      });
      if (mine !== generation) return;
      const spaces = answer.data?.spaces;
      if (!spaces) {
        const problem = otherErrors(answer)[0];
        replace(results);
        shown = [];
        setText(
          count,
          problem?.extensions?.code === 'BAD_USER_INPUT'
            ? `Recherche impossible : ${problem.message}`
            : 'L’annuaire ne répond pas pour le moment. Réessayez dans quelques minutes.',
        );
        more.hidden = true;
        return;
      }
      const page = spaces.edges.map((e) => e.node);
      shown = append ? [...shown, ...page] : page;
      const cards = page.map((space) => h('li', { class: 'carte' }, spaceCard(space, at)));
      if (append) results.append(...cards);
      else replace(results, cards);
      cursor = spaces.pageInfo.endCursor ?? null;
      if (!placesComplete && !refilling)
        refilling = fillPlaces(false)
          .catch(() => undefined)
          .finally(() => (refilling = null));
      more.hidden = !spaces.pageInfo.hasNextPage;
      setText(
        count,
        spaces.totalCount === 0
          ? 'Aucun lieu ne correspond à ces critères.'
          : `${plural(spaces.totalCount, 'lieu trouvé', 'lieux trouvés')}`,
      );
      if (!mapArea.hidden && !serverContext())
        void showMap(mapArea, shown, at).catch(() => mapFailed());
    } catch {
      if (mine === generation)
        setText(count, 'L’annuaire ne répond pas pour le moment. Réessayez dans quelques minutes.');
    } finally {
      if (mine === generation) results.removeAttribute('aria-busy');
    }
  }

  function mapFailed(): void {
    replace(mapArea, h('p', { class: 'aide' }, 'La carte n’a pas pu être affichée.'));
  }

  function urlQuery(): string {
    const params = toSearchParams(search.read());
    if (!mapArea.hidden) params.set('carte', '1');
    return params.toString();
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  function refresh(delay = 0): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const query = urlQuery();
      history.replaceState(history.state, '', query ? `/?${query}` : '/');
      void load(false);
    }, delay);
  }

  /** Resolves what was typed in "near" to a commune: a suggestion's label, a name, a postcode. */
  async function chooseCommune(): Promise<void> {
    const typed = near.value.trim();
    if (!typed) {
      chosen.current = null;
      setText(positionMessage, '');
      return refresh();
    }
    const found = await findCommunes(typed.replace(/\s*\(.*\)$/, ''));
    const exact = found.find((c) => communeLabel(c) === typed) ?? found[0];
    if (!exact) {
      setText(positionMessage, `Aucune commune ne correspond à « ${typed} ».`);
      return;
    }
    chosen.current = exact;
    near.value = communeLabel(exact);
    setText(positionMessage, `Lieux classés du plus proche au plus lointain de ${exact.name}.`);
    refresh();
  }

  let suggesting: ReturnType<typeof setTimeout> | undefined;
  near.addEventListener('input', () => {
    clearTimeout(suggesting);
    suggesting = setTimeout(async () => {
      const typed = near.value.trim();
      if (typed.length < 2) return replace(search.suggestions);
      const found = await findCommunes(typed);
      replace(
        search.suggestions,
        found.map((c) => h('option', { value: communeLabel(c) })),
      );
    }, SEARCH_DELAY_MS);
  });
  near.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void chooseCommune();
  });

  search.text.addEventListener('input', () => refresh(SEARCH_DELAY_MS));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    refresh();
  });
  form.addEventListener('change', (event) => {
    if (
      event.target === search.weekday ||
      event.target === search.time ||
      event.target === search.closedToo
    )
      search.openAt.checked = true;
    if (event.target === search.text) return;
    if (event.target === near) return void chooseCommune();
    refresh();
  });
  form.addEventListener('reset', () => {
    position = null;
    chosen.current = null;
    setText(positionMessage, '');
    setTimeout(() => refresh());
  });
  search.usePosition.addEventListener('click', () => {
    if (!('geolocation' in navigator)) {
      setText(
        positionMessage,
        'Votre navigateur ne donne pas sa position : indiquez plutôt une commune ou un code postal.',
      );
      return;
    }
    setText(positionMessage, 'Recherche de votre position…');
    navigator.geolocation.getCurrentPosition(
      (found) => {
        position = { lat: found.coords.latitude, lon: found.coords.longitude };
        chosen.current = 'position';
        near.value = '';
        setText(
          positionMessage,
          'Lieux classés du plus proche au plus lointain de votre position.',
        );
        refresh();
      },
      () => {
        setText(
          positionMessage,
          'Position indisponible : indiquez plutôt une commune ou un code postal.',
        );
      },
    );
  });
  mapToggle.addEventListener('click', () => {
    const showing = mapArea.hidden;
    mapArea.hidden = !showing;
    mapToggle.setAttribute('aria-pressed', showing ? 'true' : 'false');
    history.replaceState(history.state, '', urlQuery() ? `/?${urlQuery()}` : '/');
    if (showing)
      void showMap(mapArea, shown, chosenInstant(search.read(), new Date())).catch(mapFailed);
  });
  more.addEventListener('click', () => void load(true));

  // Filled again after each search until every partner has answered, so a partner that was
  // missing when the page opened gets its departments in the list.
  let placesComplete = false;
  let refilling: Promise<void> | null = null;
  const fillPlaces = (initial: boolean) =>
    places().then((p) => {
      placesComplete = p.complete;
      search.showPlaces(p, initial ? start : search.read());
    });
  const commune =
    start.near && start.near !== 'position'
      ? communeByCode(start.near.commune).catch(() => null)
      : Promise.resolve(null);
  const placesFilled = fillPlaces(true).catch(() => undefined);
  refilling = placesFilled.finally(() => (refilling = null));
  const startCommune = await commune;
  if (startCommune) {
    chosen.current = startCommune;
    near.value = communeLabel(startCommune);
    near.defaultValue = near.value;
  }
  await Promise.all([placesFilled, load(false)]);
  return 'Annuaire des tiers-lieux';
}
