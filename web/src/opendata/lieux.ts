/**
 * The directory in the national *schéma des lieux de médiation numérique*, both ways. Every
 * record goes through the ANCT's own library (`@gouvfr-anct/lieux-de-mediation-numerique`),
 * whose model constructors reject what the schema forbids: an exported record is one the
 * library accepted, an imported one too.
 */
import {
  Frais,
  fromSchemaLieuDeMediationNumerique,
  ModaliteAcces,
  ModelError,
  PublicSpecifiquementAdresse,
  Service,
  toSchemaLieuMediationNumerique,
  Typologie,
  type SchemaLieuMediationNumerique,
} from '@gouvfr-anct/lieux-de-mediation-numerique';
import type {
  Amenity,
  Audience,
  CreateSpaceInput,
  OpenDataQuery,
  SpaceKind,
  SpaceService,
} from '../__generated__/graphql.js';
import { parisDate } from '../paris-time.js';

export type Lieu = SchemaLieuMediationNumerique;
export type ExportedSpace = OpenDataQuery['spaces']['edges'][number]['node'];

/** The schema's columns, in the order of its CSV. */
export const COLUMNS = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'complement_adresse',
  'latitude',
  'longitude',
  'typologie',
  'telephone',
  'courriels',
  'site_web',
  'horaires',
  'presentation_resume',
  'presentation_detail',
  'source',
  'structure_parente',
  'date_maj',
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'itinerance',
  'modalites_acces',
  'modalites_accompagnement',
  'fiche_acces_libre',
  'prise_rdv',
  'dispositif_programmes_nationaux',
  'formations_labels',
  'autres_formations_labels',
] as const satisfies readonly (keyof Lieu)[];

// Fails to compile when the library's schema gains a field the CSV does not list.
true satisfies [Exclude<keyof Lieu, (typeof COLUMNS)[number]>] extends [never] ? true : never;

/** "Numéro SIRET inconnu", as the schema writes it. */
const UNKNOWN_SIRET = '00000000000000';
const SUMMARY_MAX = 280;

const TYPOLOGIES: Record<SpaceKind, Typologie> = {
  COWORKING: Typologie.TIERS_LIEUX,
  TIERS_LIEU: Typologie.TIERS_LIEUX,
  TELECENTRE: Typologie.TIERS_LIEUX,
  FAB_LAB: Typologie.FABLAB,
  ESPACE_PUBLIC_NUMERIQUE: Typologie.EPN,
  MAISON_DE_SERVICES: Typologie.RFS,
  INCUBATOR: Typologie.AUTRE,
};

const KINDS: Partial<Record<string, SpaceKind>> = {
  [Typologie.TIERS_LIEUX]: 'TIERS_LIEU',
  [Typologie.FABLAB]: 'FAB_LAB',
  [Typologie.EPN]: 'ESPACE_PUBLIC_NUMERIQUE',
  [Typologie.RFS]: 'MAISON_DE_SERVICES',
  [Typologie.MSAP]: 'MAISON_DE_SERVICES',
};

/** What a place without a listed typology is in this network: it offers digital mediation. */
const DEFAULT_KIND: SpaceKind = 'ESPACE_PUBLIC_NUMERIQUE';

const SERVICES_OF: Partial<Record<SpaceService | Amenity, Service>> = {
  WIFI: Service.AccesInternetEtMaterielInformatique,
  FIBRE: Service.AccesInternetEtMaterielInformatique,
  PRINTER: Service.AccesInternetEtMaterielInformatique,
  IT_HELP: Service.AccesInternetEtMaterielInformatique,
  DIGITAL_INCLUSION: Service.AideAuxDemarchesAdministratives,
  ADMIN_SUPPORT: Service.AideAuxDemarchesAdministratives,
  TRAINING: Service.MaitriseDesOutilsNumeriquesDuQuotidien,
};

const PUBLICS_OF: Partial<Record<Audience, PublicSpecifiquementAdresse>> = {
  STUDENT: PublicSpecifiquementAdresse.Etudiants,
  RETIREE: PublicSpecifiquementAdresse.Seniors,
};

export interface Rejection {
  id: string;
  nom: string;
  raison: string;
}

const unique = <T>(items: T[]) => [...new Set(items)];
const list = (items: string[]) => (items.length ? items.join('|') : undefined);

function summary(text: string): string {
  if (text.length <= SUMMARY_MAX) return text;
  const cut = text.slice(0, SUMMARY_MAX - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : cut.length)}…`;
}

function reason(error: unknown): string {
  if (error instanceof ModelError) return `${String(error.key)} : ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** A space as a record of the schema, before validation. */
function draft(space: ExportedSpace, updated: string, source: string): Lieu {
  const services = unique(
    [...space.amenities, ...space.services].flatMap((x) => SERVICES_OF[x] ?? []),
  );
  const paid = space.offers.some((o) => o.price.amountCents > 0);
  const access = [
    ...(space.openingHours ? [ModaliteAcces.SePresenter] : []),
    ...(space.contact.phone ? [ModaliteAcces.Telephoner] : []),
    ...(space.contact.email ? [ModaliteAcces.ContacterParMail] : []),
  ];
  return {
    id: space.id,
    pivot: UNKNOWN_SIRET,
    nom: space.name,
    commune: space.address.commune,
    code_postal: space.address.postalCode,
    code_insee: space.address.inseeCode,
    adresse: space.address.street ?? '',
    ...(space.accessNotes ? { complement_adresse: space.accessNotes } : {}),
    latitude: space.location.lat,
    longitude: space.location.lon,
    typologie: list(unique(space.kinds.map((k) => TYPOLOGIES[k]))),
    ...(space.contact.phone ? { telephone: space.contact.phone } : {}),
    ...(space.contact.email ? { courriels: space.contact.email } : {}),
    ...(space.website ? { site_web: space.website } : {}),
    ...(space.openingHours ? { horaires: space.openingHours } : {}),
    ...(space.description
      ? { presentation_resume: summary(space.description), presentation_detail: space.description }
      : {}),
    source,
    date_maj: updated,
    services: list(services),
    publics_specifiquement_adresses: list(
      unique(space.audiences.flatMap((a) => PUBLICS_OF[a] ?? [])),
    ),
    ...(space.offers.length ? { frais_a_charge: paid ? Frais.Payant : Frais.Gratuit } : {}),
    modalites_acces: list(access),
  };
}

/**
 * The open spaces as records of the schema, each validated by the ANCT library (and written
 * back by it, so the output is in its canonical form), and the spaces it refused, with why.
 */
export function lieuxFromSpaces(
  spaces: readonly ExportedSpace[],
  options: { generatedAt: Date; source: string },
): { lieux: Lieu[]; rejections: Rejection[] } {
  const updated = parisDate(options.generatedAt);
  const lieux: Lieu[] = [];
  const rejections: Rejection[] = [];
  for (const space of spaces) {
    if (!space.address.street) {
      rejections.push({
        id: space.id,
        nom: space.name,
        raison: 'adresse : le lieu ne publie pas de numéro et de voie, que le schéma exige',
      });
      continue;
    }
    try {
      const model = fromSchemaLieuDeMediationNumerique(draft(space, updated, options.source));
      const lieu = toSchemaLieuMediationNumerique(model);
      lieux.push(
        Object.fromEntries(
          COLUMNS.filter((c) => lieu[c] !== undefined).map((c) => [c, lieu[c]]),
        ) as Lieu,
      );
    } catch (error) {
      rejections.push({ id: space.id, nom: space.name, raison: reason(error) });
    }
  }
  return { lieux, rejections };
}

/** A record as read from a file: JSON values, or CSV strings where empty means absent. */
export type RawLieu = Record<string, unknown>;

function text(raw: RawLieu, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

function number(raw: RawLieu, key: string): number | undefined {
  const value = text(raw, key);
  if (value === undefined) return undefined;
  const n = Number(value.replace(',', '.'));
  return Number.isFinite(n) ? n : Number.NaN;
}

/** The department of an INSEE commune code: `05` of `05166`, `2A` of `2A004`, `974` of `97411`. */
export function departmentOfInsee(code: string): string {
  return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}

export type ImportOutcome =
  | { ok: true; input: Omit<CreateSpaceInput, 'partner'>; nom: string; id: string }
  | { ok: false; rejection: Rejection };

/**
 * A record of a file in the schema's shape as the fields of a new space: validated by the ANCT
 * library first, then by what this network needs and the schema leaves optional (an INSEE code
 * and coordinates). The space's own validation (opening hours syntax…) happens at creation.
 */
export function spaceFromLieu(raw: RawLieu): ImportOutcome {
  const id = text(raw, 'id') ?? '';
  const nom = text(raw, 'nom') ?? '';
  const reject = (raison: string): ImportOutcome => ({ ok: false, rejection: { id, nom, raison } });
  const latitude = number(raw, 'latitude');
  const longitude = number(raw, 'longitude');
  if (Number.isNaN(latitude) || Number.isNaN(longitude))
    return reject('latitude, longitude : ce ne sont pas des nombres');
  const fields: Record<string, string | number> = {};
  for (const key of COLUMNS) {
    const value = key === 'latitude' ? latitude : key === 'longitude' ? longitude : text(raw, key);
    if (value !== undefined) fields[key] = value;
  }
  const record = fields as unknown as Lieu;
  let lieu;
  try {
    lieu = fromSchemaLieuDeMediationNumerique(record);
  } catch (error) {
    return reject(reason(error));
  }
  if (Number.isNaN(lieu.date_maj.getTime()))
    return reject(`date_maj : ${record.date_maj} n’est pas une date`);
  const insee = lieu.adresse.code_insee;
  if (!insee)
    return reject('code_insee : absent ; le réseau en a besoin pour ranger le lieu par commune');
  if (!lieu.localisation)
    return reject(
      'latitude, longitude : absentes ; le réseau en a besoin pour placer le lieu sur la carte',
    );
  const kinds = unique((lieu.typologies ?? []).flatMap((t) => KINDS[t] ?? []));
  const services: readonly string[] = lieu.services ?? [];
  const publics: readonly string[] = lieu.publics_specifiquement_adresses ?? [];
  const input: Omit<CreateSpaceInput, 'partner'> = {
    name: lieu.nom,
    status: 'OPEN',
    kinds: kinds.length ? kinds : [DEFAULT_KIND],
    description: lieu.presentation?.detail ?? lieu.presentation?.resume ?? null,
    address: {
      street: lieu.adresse.voie,
      postalCode: lieu.adresse.code_postal,
      commune: lieu.adresse.commune,
      inseeCode: insee,
      department: departmentOfInsee(insee),
    },
    location: { lat: lieu.localisation.latitude, lon: lieu.localisation.longitude },
    accessNotes: lieu.adresse.complement_adresse ?? null,
    openingHours: lieu.horaires ?? null,
    amenities: services.includes(Service.AccesInternetEtMaterielInformatique) ? ['WIFI'] : [],
    services: unique([
      ...(services.includes(Service.AideAuxDemarchesAdministratives)
        ? (['DIGITAL_INCLUSION'] as const)
        : []),
      ...(services.includes(Service.MaitriseDesOutilsNumeriquesDuQuotidien)
        ? (['TRAINING'] as const)
        : []),
    ]),
    audiences: unique([
      ...(publics.includes(PublicSpecifiquementAdresse.Etudiants) ? (['STUDENT'] as const) : []),
      ...(publics.includes(PublicSpecifiquementAdresse.Seniors) ? (['RETIREE'] as const) : []),
    ]),
    contact: {
      email: lieu.contact?.courriels?.[0] ?? null,
      phone: lieu.contact?.telephone ?? null,
    },
    website: lieu.contact?.site_web?.[0] ?? null,
  };
  return { ok: true, input, nom, id };
}
