import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { readSdl, type spaceTables } from './workspace.js';

/**
 * What generated spaces, events and members are made of. Communes are real (INSEE code,
 * postal code, department, approximate centre); the names of places repeat on purpose, as
 * "La Serre" does in the real network.
 */
export interface Commune {
  name: string;
  insee: string;
  postalCode: string;
  department: string;
  lat: number;
  lon: number;
}

const c = (name: string, insee: string, postalCode: string, lat: number, lon: number): Commune => ({
  name,
  insee,
  postalCode,
  department: insee.slice(0, 2),
  lat,
  lon,
});

export const COMMUNES: Commune[] = [
  c('Gap', '05061', '05000', 44.5594, 6.0786),
  c('Serres', '05166', '05700', 44.4286, 5.7161),
  c('Briançon', '05023', '05100', 44.8986, 6.6433),
  c('Embrun', '05046', '05200', 44.5647, 6.4953),
  c('Laragne-Montéglin', '05070', '05300', 44.3153, 5.8161),
  c('Veynes', '05179', '05400', 44.5342, 5.8231),
  c('Buis-les-Baronnies', '26063', '26170', 44.2756, 5.2711),
  c('Nyons', '26220', '26110', 44.3608, 5.1403),
  c('Die', '26113', '26150', 44.7536, 5.3703),
  c('Crest', '26108', '26400', 44.7283, 5.0222),
  c('Valence', '26362', '26000', 44.9334, 4.8924),
  c('Montélimar', '26198', '26200', 44.5581, 4.7509),
  c('Toulouse', '31555', '31000', 43.6045, 1.444),
  c('Tournefeuille', '31557', '31170', 43.5853, 1.3442),
  c('Colomiers', '31149', '31770', 43.6112, 1.3349),
  c('Muret', '31395', '31600', 43.4611, 1.3267),
  c('Saint-Gaudens', '31483', '31800', 43.1081, 0.7233),
  c('Saint-Étienne', '42218', '42000', 45.4397, 4.3872),
  c('Montbrison', '42147', '42600', 45.6075, 4.0653),
  c('Roanne', '42187', '42300', 46.0367, 4.0683),
  c('Paris', '75056', '75011', 48.8566, 2.3522),
  c('Grenoble', '38185', '38000', 45.1885, 5.7245),
  c('Vienne', '38544', '38200', 45.5255, 4.8747),
  c('Carpentras', '84031', '84200', 44.0556, 5.0481),
  c('Vaison-la-Romaine', '84137', '84110', 44.2411, 5.0744),
  c('Apt', '84003', '84400', 43.8764, 5.3964),
  c('Digne-les-Bains', '04070', '04000', 44.0925, 6.2356),
  c('Sisteron', '04209', '04200', 44.195, 5.9436),
  c('Forcalquier', '04088', '04300', 43.9597, 5.7803),
  c('Manosque', '04112', '04100', 43.8283, 5.7867),
];

/** Where "near me" searches from: Gap, in the middle of the rural spaces. */
export const NEAR_ME = { lat: 44.5594, lon: 6.0786, radiusKm: 80 };

export const PARTNER_SLUGS = [
  'baronnies',
  'cantine',
  'locomotive',
  'laserre',
  'ruche',
  'comptoir',
  'diois',
  'forez',
];

export const PLACE_NAMES = [
  'La Serre',
  'La Ruche',
  'Le Comptoir',
  "L'Atelier",
  'La Fabrique',
  'Le Hangar',
  'La Coopérative',
  'Le Local',
  'La Station',
  'Le Quai',
  'La Grange',
  'Le Moulin',
  'La Locomotive',
  'Les Tuves',
  'La Cantine',
  'Le Tiers',
  'La Bulle',
  "L'Établi",
];

export const OPENING_HOURS = [
  'Mo-Fr 09:00-18:00',
  'Mo,Tu 09:00-17:00; Th 14:00-17:00',
  'Mo-Sa 08:30-19:00',
  'Tu-Fr 09:00-12:30,14:00-18:00',
  'Mo-Fr 08:00-20:00; Sa 09:00-13:00',
  '24/7',
  null,
];

const SPACE_SDL = parse(readSdl('space'));

/** The values of an enum of the partner contract, so generated rows follow the SDL. */
function enumValues<Value extends string>(name: string): Value[] {
  const definition = SPACE_SDL.definitions.find(
    (d): d is EnumTypeDefinitionNode =>
      d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name,
  );
  if (!definition) throw new Error(`space.graphql has no enum ${name}`);
  return (definition.values ?? []).map((v) => v.name.value as Value);
}

export const SPACE_KINDS = enumValues<spaceTables.SpaceKind>('SpaceKind');
export const AMENITIES = enumValues<spaceTables.Amenity>('Amenity');
export const SERVICES = enumValues<spaceTables.SpaceService>('SpaceService');
export const AUDIENCES = enumValues<spaceTables.Audience>('Audience');
export const OFFER_KINDS = enumValues<spaceTables.OfferRow['kind']>('OfferKind');

export const EVENT_TEMPLATES = [
  { kind: 'INFORMATION_MEETING', title: 'Réunion d’information : coworker près de chez soi' },
  { kind: 'TRAINING', title: 'Formation : créer le site de son activité' },
  { kind: 'TALK', title: 'Conférence : le télétravail en zone rurale' },
  { kind: 'SHARED_MEAL', title: 'Repas partagé des coworkeurs' },
  { kind: 'LAUNCH_EVENING', title: 'Soirée de lancement' },
  { kind: 'WORKSHOP', title: 'Atelier impression 3D' },
  { kind: 'WORKSHOP', title: 'Atelier CV et entretien' },
  { kind: 'OTHER', title: 'Café numérique' },
] as const;

export const FIRST_NAMES = [
  'Camille',
  'Lucas',
  'Inès',
  'Thierry',
  'Julien',
  'Manon',
  'Hugo',
  'Léa',
  'Nadia',
  'Rémi',
  'Chloé',
  'Yanis',
  'Élodie',
  'Karim',
  'Anaïs',
  'Mathis',
];

export const LAST_NAMES = [
  'Roux',
  'Martin',
  'Benali',
  'Vallée',
  'Morel',
  'Garnier',
  'Faure',
  'Blanc',
  'Chabert',
  'Arnaud',
  'Michel',
  'Girard',
  'Bonnet',
  'Fabre',
];

export const SKILLS = [
  'Développement web',
  'Graphisme',
  'Comptabilité',
  'Menuiserie',
  'Traduction',
  'Photographie',
  'Électronique',
  'Rédaction',
  'Gestion de projet',
  'Apiculture',
];
