import {
  AMENITIES,
  AUDIENCES,
  COMMUNES,
  EVENT_TEMPLATES,
  FIRST_NAMES,
  LAST_NAMES,
  OFFER_KINDS,
  OPENING_HOURS,
  PLACE_NAMES,
  SERVICES,
  SKILLS,
  SPACE_KINDS,
} from './places.js';
import { Random, share } from './random.js';
import {
  checkCharacter,
  CODE_ALPHABET,
  CODE_LENGTH,
  entriesFor,
  entryValue,
  eventSearchText,
  formatId,
  formatPassCode,
  memberDerivedColumns,
  SEEDED_PEOPLE,
  networkTables as nt,
  parisDate,
  spaceDerivedColumns,
  spaceTables as st,
  startOfParisDay,
  type NetworkDb,
  type SpaceDb,
} from './workspace.js';

/** How big a generated network is, in total over its partners. */
export interface NetworkSize {
  partners: number;
  spaces: number;
  events: number;
  members: number;
  passes: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CHUNK_ROWS = 500;

/** Inserts rows in multi-row statements of a few hundred rows (Postgres takes 65,535 parameters). */
async function insertChunks<Row>(rows: Row[], insert: (chunk: Row[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) await insert(rows.slice(i, i + CHUNK_ROWS));
}

/** The first day of the generated data: events and passes are dated from it. */
export function anchorDay(now: Date): Date {
  return startOfParisDay(parisDate(now));
}

export interface GeneratedPartner {
  slug: string;
  /** Public ids of the partner's spaces, in generation order. */
  spaceIds: string[];
  /** Public ids of some of its members (pass holders are drawn from them). */
  memberIds: string[];
  territory: string;
}

/**
 * Fills an empty partner database with its share of the network: spaces with offers, events
 * around the anchor day (from two weeks before to eleven weeks after), members with
 * memberships. Rows are written in bulk through the subgraph's drizzle tables, with the
 * derived columns the data layer computes.
 */
export async function generatePartner(
  db: SpaceDb,
  params: { slug: string; index: number; size: NetworkSize; random: Random; now: Date },
): Promise<GeneratedPartner> {
  const { slug, index, size, now } = params;
  const random = params.random.fork(`partner:${slug}`);
  const anchor = anchorDay(now).getTime();
  const territory = Array.from(
    { length: 5 },
    (_, k) => COMMUNES[(index * 4 + k) % COMMUNES.length]!,
  );

  const spaceCount = Math.max(1, share(size.spaces, size.partners, index));
  const spaces: st.NewSpaceRow[] = [];
  const offers: (typeof st.offers.$inferInsert)[] = [];
  for (let i = 0; i < spaceCount; i++) {
    const commune = random.pick(territory);
    const name = random.chance(0.5)
      ? random.pick(PLACE_NAMES)
      : `${random.pick(PLACE_NAMES)} de ${commune.name}`;
    const values = {
      name,
      status: random.chance(0.9) ? ('OPEN' as const) : random.pick(['PROJECT', 'CLOSED'] as const),
      kinds: random.subset(SPACE_KINDS, 1, 3),
      description: `${name}, tiers-lieu à ${commune.name} : espaces de travail partagés, ateliers et rencontres.`,
      street: random.chance(0.7) ? `${random.int(1, 80)} rue de la République` : null,
      postalCode: commune.postalCode,
      commune: commune.name,
      inseeCode: commune.insee,
      department: commune.department,
      lat: commune.lat + (random.next() - 0.5) * 0.04,
      lon: commune.lon + (random.next() - 0.5) * 0.04,
      accessNotes: random.chance(0.2) ? 'Entrée par la cour, accessible en fauteuil' : null,
      openingHours: random.pick(OPENING_HOURS),
      amenities: random.subset(AMENITIES, 1, 6),
      services: random.subset(SERVICES, 0, 3),
      audiences: random.subset(AUDIENCES, 1, 4),
      desks: random.int(4, 40),
      surfaceM2: random.chance(0.6) ? random.int(40, 600) : null,
      contactEmail: `contact-${i}@${slug}.example`,
      contactPhone: random.chance(0.5)
        ? `04 92 ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}`
        : null,
      website: random.chance(0.5) ? `https://${slug}.example/lieu-${i}` : null,
      openedOn: `20${random.int(10, 24)}-0${random.int(1, 9)}-1${random.int(0, 9)}`,
    };
    const id = random.uuid();
    spaces.push({ id, ...values, ...spaceDerivedColumns(values) });
    const kinds = random.subset(OFFER_KINDS, 1, 3);
    kinds.forEach((kind, position) => {
      const card = kind === 'MULTI_ENTRY_CARD';
      offers.push({
        spaceId: id,
        kind,
        label: card ? 'Carte 10 entrées (1 entrée = 3 heures)' : kind.toLowerCase(),
        priceCents: random.int(5, 300) * 100,
        entries: card ? 10 : null,
        entryMinutes: card ? 180 : null,
        position,
      });
    });
  }

  const events: st.NewEventRow[] = [];
  const eventCount = share(size.events, size.partners, index);
  for (let i = 0; i < eventCount; i++) {
    const template = random.pick(EVENT_TEMPLATES);
    const startsAt = new Date(
      anchor + random.int(-14, 76) * DAY_MS + random.int(16, 38) * (HOUR_MS / 2),
    );
    const values = {
      title: template.title,
      description: random.chance(0.7) ? 'Ouvert à toutes et à tous, sur inscription.' : null,
    };
    events.push({
      id: random.uuid(),
      spaceId: random.pick(spaces).id!,
      ...values,
      searchText: eventSearchText(values),
      kind: template.kind,
      startsAt,
      endsAt: new Date(startsAt.getTime() + random.int(2, 6) * (HOUR_MS / 2)),
      capacity: random.chance(0.7) ? random.int(8, 40) : null,
      priceCents: random.chance(0.3) ? random.int(5, 30) * 100 : null,
      status: random.chance(0.05) ? 'CANCELLED' : 'SCHEDULED',
    });
  }

  const members: st.NewMemberRow[] = [];
  const memberships: (typeof st.memberships.$inferInsert)[] = [];
  const memberCount = share(size.members, size.partners, index);
  for (let i = 0; i < memberCount; i++) {
    const values = {
      displayName: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      email: `membre-${i}@${slug}.example`,
      phone: random.chance(0.4)
        ? `06 ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}`
        : null,
      profile: random.pick(AUDIENCES),
      skills: random.subset(SKILLS, 0, 3),
      isInDirectory: random.chance(0.3),
    };
    const id = random.uuid();
    members.push({
      id,
      ...values,
      ...memberDerivedColumns(values),
      // Not drawn from `random`: the rest of the generated data stays as it was.
      directoryOptInAt: values.isInDirectory ? new Date(anchor - (i % 700) * DAY_MS) : null,
    });
    if (random.chance(0.6)) {
      const since = anchor - random.int(60, 700) * DAY_MS;
      memberships.push({
        memberId: id,
        spaceId: random.pick(spaces).id!,
        plan: random.pick(['Mois', 'Carte 10 entrées', 'Journée']),
        since: parisDate(new Date(since)),
        until: random.chance(0.2) ? parisDate(new Date(since + random.int(1, 59) * DAY_MS)) : null,
      });
    }
  }

  await insertChunks(spaces, (chunk) => db.insert(st.spaces).values(chunk));
  await insertChunks(offers, (chunk) => db.insert(st.offers).values(chunk));
  await insertChunks(events, (chunk) => db.insert(st.events).values(chunk));
  await insertChunks(members, (chunk) => db.insert(st.members).values(chunk));
  await insertChunks(memberships, (chunk) => db.insert(st.memberships).values(chunk));
  // A meeting room in every space: what the cross-network search of free resources reads.
  await insertChunks(
    spaces.map((space, i) => ({
      spaceId: space.id!,
      kind: 'MEETING_ROOM' as const,
      name: `Salle de réunion ${i + 1}`,
      capacity: random.int(4, 12),
      pricePerHourCents: random.pick([1000, 1500, 2000]),
      minMinutes: 60,
      maxMinutes: 480,
    })),
    (chunk) => db.insert(st.resources).values(chunk),
  );

  return {
    slug,
    spaceIds: spaces.map((s) => formatId(slug, 'space', s.id!)),
    memberIds: members.slice(0, 200).map((m) => formatId(slug, 'member', m.id!)),
    territory: territory.map((t) => t.name).join(', '),
  };
}

/** What the load operations of the network subgraph need to name. */
export interface GeneratedPasses {
  /** Codes of passes whose product is valid at spaces of several partners. */
  crossPartner: string[];
  /** Codes of passes whose product is valid at the first partner's spaces only. */
  firstPartnerOnly: string[];
  /** Passes with a very large balance, and a space where each is valid, for redemptions. */
  forRedemptions: { code: string; spaceId: string }[];
}

const REDEMPTION_PASSES = 32;

function passCode(random: Random, taken: Set<string>): string {
  for (;;) {
    let data = '';
    for (let i = 0; i < CODE_LENGTH - 1; i++) data += CODE_ALPHABET[random.int(0, 31)];
    const code = data + checkCharacter(data);
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}

/**
 * Fills an empty network database: the partners' registry, pass products (each partner's own
 * card, cross-partner passes sold by the network or a partner, and a bench product with a huge
 * balance for the redemption load), passes issued over the last 300 days and their
 * redemptions, with `entries_left` and ledger amounts as `redeemPass` computes them.
 */
export async function generateNetwork(
  db: NetworkDb,
  params: {
    partners: (GeneratedPartner & { url: string })[];
    passes: number;
    random: Random;
    now: Date;
  },
): Promise<GeneratedPasses> {
  const { partners, now } = params;
  const random = params.random.fork('network');
  const anchor = anchorDay(now).getTime();
  const host = (spaceId: string) => spaceId.slice(0, spaceId.indexOf(':'));

  // The coordinator the bench's requests sign in as: the network resolves their role.
  const coordinator = SEEDED_PEOPLE.find((p) => p.coordinator)!;
  await db.insert(nt.persons).values({
    id: coordinator.uuid,
    displayName: coordinator.displayName,
    email: coordinator.email,
    createdAt: now,
  });
  await db
    .insert(nt.roleGrants)
    .values({ personId: coordinator.uuid, role: 'COORDINATOR', grantedAt: now });

  await db.insert(nt.partners).values(
    partners.map((p, i) => ({
      slug: p.slug,
      name: `Réseau ${p.slug}`,
      kind: random.pick([
        'REGIONAL_NATURAL_PARK',
        'ASSOCIATION',
        'COOPERATIVE',
        'LOCAL_AUTHORITY',
      ] as const),
      territory: p.territory,
      subgraphUrl: p.url,
      joinedAt: new Date(anchor - (400 + i) * DAY_MS),
    })),
  );

  type Product = typeof nt.passProducts.$inferInsert & { id: string; spaceIds: string[] };
  const products: Product[] = [];
  const local = partners.map((p) => {
    const product: Product = {
      id: random.uuid(),
      name: `Carte 10 entrées ${p.slug}`,
      sellerSlug: p.slug,
      entries: 10,
      entryMinutes: 180,
      priceCents: 5000,
      validityDays: 365,
      spaceIds: p.spaceIds.slice(0, 4),
    };
    products.push(product);
    return product;
  });
  const cross: Product[] = [];
  for (let k = 0; k < Math.ceil(partners.length / 2); k++) {
    const members = [0, 1, 2].map((j) => partners[(k + j) % partners.length]!);
    const product: Product = {
      id: random.uuid(),
      name: `Pass rural ${k + 1}`,
      sellerSlug: k % 2 === 0 ? null : members[0]!.slug,
      entries: 6,
      entryMinutes: 480,
      priceCents: 5000,
      validityDays: 365,
      spaceIds: [...new Set(members.flatMap((p) => p.spaceIds.slice(0, 2)))],
    };
    products.push(product);
    cross.push(product);
  }
  const bench: Product = {
    id: random.uuid(),
    name: 'Pass du banc d’essai',
    sellerSlug: null,
    entries: 1_000_000,
    entryMinutes: 60,
    priceCents: 100_000,
    validityDays: 365,
    spaceIds: partners.map((p) => p.spaceIds[0]!),
  };
  products.push(bench);
  await db.insert(nt.passProducts).values(products.map(({ spaceIds: _, ...row }) => row));
  await insertChunks(
    products.flatMap((p) =>
      p.spaceIds.map((spaceId, position) => ({
        productId: p.id,
        spaceId,
        hostSlug: host(spaceId),
        position,
      })),
    ),
    (chunk) => db.insert(nt.passProductSpaces).values(chunk),
  );

  const taken = new Set<string>();
  const passes: (typeof nt.passes.$inferInsert)[] = [];
  const ledger: (typeof nt.ledgerEntries.$inferInsert)[] = [];
  const generated: GeneratedPasses = { crossPartner: [], firstPartnerOnly: [], forRedemptions: [] };
  const issue = (product: Product, issuedAt: Date, holderId: string | null) => {
    const pass = {
      id: random.uuid(),
      code: passCode(random, taken),
      productId: product.id,
      sellerSlug: product.sellerSlug ?? null,
      holderId,
      entriesTotal: product.entries,
      entriesLeft: product.entries,
      entryMinutes: product.entryMinutes,
      priceCents: product.priceCents,
      issuedAt,
      expiresAt: startOfParisDay(parisDate(issuedAt), product.validityDays),
    };
    passes.push(pass);
    return pass;
  };

  for (let n = 0; n < params.passes; n++) {
    const product =
      cross.length > 0 && random.chance(0.6) ? random.pick(cross) : random.pick(local);
    const seller = partners.find((p) => p.slug === product.sellerSlug) ?? random.pick(partners);
    const issuedAt = new Date(anchor - random.int(1, 300) * DAY_MS + 10 * HOUR_MS);
    const pass = issue(
      product,
      issuedAt,
      random.chance(0.8) ? random.pick(seller.memberIds) : null,
    );
    const last = Math.min(now.getTime() - 8 * HOUR_MS, pass.expiresAt.getTime() - 8 * HOUR_MS);
    const visits = Array.from(
      { length: random.int(0, 5) },
      () =>
        new Date(
          issuedAt.getTime() + Math.floor(random.next() * Math.max(0, last - issuedAt.getTime())),
        ),
    ).sort((a, b) => a.getTime() - b.getTime());
    for (const startedAt of visits) {
      const minutes = random.int(1, 8) * 60;
      const entries = entriesFor(minutes, pass.entryMinutes);
      if (entries > pass.entriesLeft) break;
      const spent = pass.entriesTotal - pass.entriesLeft;
      const spaceId = random.pick(product.spaceIds);
      ledger.push({
        kind: 'REDEMPTION',
        passId: pass.id,
        spaceId,
        hostSlug: host(spaceId),
        sellerSlug: pass.sellerSlug,
        startedAt,
        minutes,
        entries,
        amountCents: entryValue(pass.priceCents, pass.entriesTotal, spent, spent + entries),
        recordedAt: new Date(startedAt.getTime() + minutes * 60_000),
        recordedBy: `manager:${host(spaceId)}`,
        idempotencyKey: `generated-${ledger.length + 1}`,
      });
      pass.entriesLeft -= entries;
    }
    const hosts = new Set(product.spaceIds.map(host));
    if (pass.entriesLeft > 0 && pass.expiresAt.getTime() > now.getTime()) {
      if (hosts.size > 1) generated.crossPartner.push(formatPassCode(pass.code));
      if (product === local[0]) generated.firstPartnerOnly.push(formatPassCode(pass.code));
    }
  }
  for (let n = 0; n < REDEMPTION_PASSES; n++) {
    const pass = issue(bench, new Date(anchor - DAY_MS), null);
    generated.forRedemptions.push({
      code: formatPassCode(pass.code),
      spaceId: bench.spaceIds[n % bench.spaceIds.length]!,
    });
  }
  await insertChunks(passes, (chunk) => db.insert(nt.passes).values(chunk));
  await insertChunks(ledger, (chunk) => db.insert(nt.ledgerEntries).values(chunk));
  return generated;
}
