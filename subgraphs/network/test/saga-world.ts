import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { generateViewerKeys } from '@tiers-lieux/schema';
import { createDb as createSpaceDb, type Db as SpaceDb } from '@tiers-lieux/space-subgraph/db';
import { createServer as createSpaceServer } from '@tiers-lieux/space-subgraph/server';
import { bookings, resources } from '@tiers-lieux/space-subgraph/tables';
import { Seeder } from '@tiers-lieux/space-subgraph/testing';
import { PGLITE_EXTENSIONS } from '@tiers-lieux/subgraph-shell';
import { and, eq, sql } from 'drizzle-orm';
import { inject } from 'vitest';
import type { Db } from '../src/db/client.js';
import { issuePass } from '../src/data/passes.js';
import { createProduct } from '../src/data/products.js';
import { ledgerEntries, passes } from '../src/db/schema.js';
import { seedNetwork } from '../src/seed/index.js';

/** The network's service key pair of these tests: the network signs, the host verifies. */
export const SERVICE_KEYS = generateViewerKeys();
export const HOST = 'locomotive';

export interface HostPartner {
  url: string;
  db: SpaceDb;
  spaceId: string;
  room: string;
  kit: string;
  close(): Promise<void>;
}

/**
 * The host partner of the saga's tests: a real space subgraph on a loopback port, verifying
 * the network's service credential, with a space open all the time, a room and a visio kit
 * that take passes and give entries back when cancelled at least 24 hours ahead.
 */
export async function startHost(): Promise<HostPartner> {
  const template = await readFile(inject('spaceTemplate'));
  const pglite = await PGlite.create({
    loadDataDir: new Blob([template]),
    extensions: PGLITE_EXTENSIONS,
  });
  const handle = await createSpaceDb({}, { pglite });
  const seed = new Seeder(handle.db, HOST);
  const space = await seed.space({ name: 'La Locomotive', openingHours: '24/7' });
  const [room, kit] = await handle.db
    .insert(resources)
    .values([
      {
        spaceId: space.id,
        kind: 'MEETING_ROOM' as const,
        name: 'Salle de réunion',
        capacity: 8,
        minMinutes: 30,
        maxMinutes: 600,
      },
      { spaceId: space.id, kind: 'VISIO_KIT' as const, name: 'Kit de visio-conférence' },
    ])
    .returning();
  const listener = await createSpaceServer({
    db: handle.db,
    partner: HOST,
    networkServicePublicKey: SERVICE_KEYS.publicKey,
  }).listen({ host: '127.0.0.1', port: 0 });
  return {
    url: listener.url,
    db: handle.db,
    spaceId: space.publicId,
    room: `${HOST}:resource:${room!.id}`,
    kit: `${HOST}:resource:${kit!.id}`,
    close: () => listener.stop().then(() => handle.close()),
  };
}

/** The network's partners (the host at its test URL) and a pass valid at the host's space. */
export async function seedSagaNetwork(
  db: Db,
  host: Pick<HostPartner, 'url' | 'spaceId'>,
  options: { entries?: number } = {},
) {
  const now = new Date();
  await seedNetwork(db, new Date(now.getTime() - 400 * 86_400_000), { [HOST]: host.url });
  const product = await createProduct(db, {
    values: {
      name: 'Pass rural',
      sellerSlug: 'cantine',
      entries: options.entries ?? 1000,
      entryMinutes: 60,
      priceCents: 100_000,
      validityDays: 365,
    },
    spaces: [{ spaceId: host.spaceId, hostSlug: HOST }],
  });
  return issuePass(db, { product, holderId: null, now: new Date(now.getTime() - 86_400_000) });
}

/** What must hold once every saga is finished, whatever failed on the way. */
export async function sagaInvariants(network: Db, hostDb: SpaceDb) {
  const hostBookings = await hostDb
    .select({ key: bookings.sagaKey, status: bookings.status })
    .from(bookings)
    .where(eq(bookings.payment, 'PASS'));
  const statusByKey = new Map(hostBookings.map((b) => [b.key!, b.status]));
  const redemptions = await network
    .select({
      id: ledgerEntries.id,
      key: ledgerEntries.idempotencyKey,
      voided: sql<boolean>`exists (select 1 from ledger_entries v where v.voids_entry_id = ${ledgerEntries.id})`,
    })
    .from(ledgerEntries)
    .where(
      and(eq(ledgerEntries.kind, 'REDEMPTION'), sql`${ledgerEntries.idempotencyKey} like 'pb-%'`),
    );
  const liveByKey = new Map<string, number>();
  for (const r of redemptions)
    if (!r.voided) liveByKey.set(r.key!, (liveByKey.get(r.key!) ?? 0) + 1);
  const problems: string[] = [];
  for (const [key, status] of statusByKey) {
    if (status === 'CONFIRMED' && liveByKey.get(key) !== 1)
      problems.push(`${key}: confirmed with ${liveByKey.get(key) ?? 0} live redemptions`);
  }
  for (const [key, count] of liveByKey) {
    const status = statusByKey.get(key);
    if (status !== 'CONFIRMED' && status !== 'CANCELLED')
      problems.push(`${key}: ${count} live redemption(s), booking ${status ?? 'absent'}`);
  }
  const below = await network
    .select()
    .from(passes)
    .where(sql`${passes.entriesLeft} < 0`);
  if (below.length > 0) problems.push(`${below.length} passes below zero`);
  const unbalanced: unknown = await network.execute(sql`
    select p.id from passes p left join ledger_entries l on l.pass_id = p.id
    group by p.id having p.entries_total - coalesce(sum(l.entries), 0) <> p.entries_left`);
  const rows = Array.isArray(unbalanced) ? unbalanced : (unbalanced as { rows: unknown[] }).rows;
  if (rows.length > 0) problems.push(`${rows.length} passes disagree with their ledger`);
  return {
    problems,
    confirmed: [...statusByKey.values()].filter((s) => s === 'CONFIRMED').length,
    held: [...statusByKey.values()].filter((s) => s === 'HELD').length,
    liveRedemptions: [...liveByKey.values()].reduce((a, b) => a + b, 0),
  };
}
