import { and, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { ledgerEntries } from '../db/schema.js';

/**
 * What the ledger entry that takes a pass of `entriesTotal` entries bought for `priceCents`
 * from `spentBefore` to `spentAfter` spent entries is worth, in cents: the pass has consumed
 * floor(price × k / total) once k entries are spent. Sums of these telescope, so the entries
 * of a pass always add up to floor(price × spent / total), and a used-up pass to its price.
 */
export function entryValue(
  priceCents: number,
  entriesTotal: number,
  spentBefore: number,
  spentAfter: number,
): number {
  const consumed = (k: number) => Math.floor((priceCents * k) / entriesTotal);
  return consumed(spentAfter) - consumed(spentBefore);
}

export interface StatementLine {
  /** Null when the network sold the passes. */
  sellerSlug: string | null;
  hostSlug: string;
  redemptions: number;
  voids: number;
  entries: number;
  amountCents: number;
}

export interface Statement {
  /** First and last day of the period, Paris calendar dates. */
  from: string;
  to: string;
  lines: StatementLine[];
}

/**
 * The sums of the ledger entries recorded in [`start`, `end`), per (seller, host) pair, by
 * seller (the network first) then host.
 */
export async function statementLines(
  db: Db,
  params: { start: Date; end: Date },
): Promise<StatementLine[]> {
  const e = ledgerEntries;
  return db
    .select({
      sellerSlug: e.sellerSlug,
      hostSlug: e.hostSlug,
      redemptions: sql<number>`count(*) filter (where ${e.kind} = 'REDEMPTION')`.mapWith(Number),
      voids: sql<number>`count(*) filter (where ${e.kind} = 'VOID')`.mapWith(Number),
      entries: sql<number>`sum(${e.entries})`.mapWith(Number),
      amountCents: sql<number>`sum(${e.amountCents})`.mapWith(Number),
    })
    .from(e)
    .where(and(gte(e.recordedAt, params.start), lt(e.recordedAt, params.end)))
    .groupBy(e.sellerSlug, e.hostSlug)
    .orderBy(sql`${e.sellerSlug} COLLATE "C" NULLS FIRST`, sql`${e.hostSlug} COLLATE "C"`);
}

export const CSV_HEADER = [
  'from',
  'to',
  'seller',
  'seller_name',
  'host',
  'host_name',
  'redemptions',
  'voids',
  'entries',
  'amount_cents',
  'currency',
];

function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // A text cell starting like a formula is neutralised, so a spreadsheet never evaluates it.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The statement as RFC 4180 CSV; `nameOf` gives a partner's name from its slug. */
export function statementCsv(statement: Statement, nameOf: (slug: string) => string): string {
  const rows = statement.lines.map((line) => [
    statement.from,
    statement.to,
    line.sellerSlug ?? 'network',
    line.sellerSlug ? nameOf(line.sellerSlug) : 'Réseau des tiers-lieux',
    line.hostSlug,
    nameOf(line.hostSlug),
    line.redemptions,
    line.voids,
    line.entries,
    line.amountCents,
    'EUR',
  ]);
  return [CSV_HEADER, ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}
