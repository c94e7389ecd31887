import {
  decodeCursor,
  daysBetween,
  encodeCursor,
  foldText,
  startOfParisDay,
} from '@tiers-lieux/schema';
import { checkFirst, listDeadLetters } from '@tiers-lieux/subgraph-shell';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { CODE_PROBLEMS, parsePassCode } from '../code.js';
import {
  actingPerson,
  assertAllowed,
  canFindPersonAtDesk,
  canListPeople,
  canSeeNetworkOutbox,
  canSeePeople,
  canSeeNetworkReports,
  canSeeSettlement,
  partnersListedFor,
} from '../access.js';
import type { Context } from '../context.js';
import { cardNumberKey } from '../card-number.js';
import {
  findOpenPersonByEmail,
  findOpenPersonByCardKey,
  listPeople,
  listRoleGrants,
} from '../data/people.js';
import { listPartners } from '../data/partners.js';
import { getPassByCode } from '../data/passes.js';
import { listProducts } from '../data/products.js';
import { listPasses, passSales } from '../data/reports.js';
import { statementLines } from '../data/settlement.js';
import { BadInputError } from '../errors.js';
import { parseNetworkId, parsePersonId, personId } from '../ids.js';
import { MAX_PAGE_SIZE, pageOf } from '../paging.js';

const MAX_SETTLEMENT_DAYS = 366;
const MAX_REPORT_DAYS = 3660;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The instants of a period of Paris calendar days, both included, checked. */
function period(from: string, to: string, maxDays: number) {
  const days = daysBetween(from, to);
  if (days < 0) throw new BadInputError('to must not be before from', 'to');
  if (days >= maxDays) throw new BadInputError(`a period covers at most ${maxDays} days`, 'to');
  return { start: startOfParisDay(from), end: startOfParisDay(to, 1) };
}

/** What a pass search names: the start of a code, or a holder's name or email. */
function passSearch(search: string | null | undefined) {
  const text = search?.trim() ?? '';
  if (!text) return { codePrefix: null, holderText: null };
  const code = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return {
    codePrefix: /^[0-9A-HJKMNP-TV-Z]{1,12}$/.test(code) ? code : null,
    holderText: text.slice(0, 200),
  };
}

/**
 * The partners whose people or grants a list shows: the one asked for, which a manager must
 * manage, or every partner the viewer may list (null for all).
 */
function listedPartners(ctx: Context, partner: string | null | undefined, action: string) {
  assertAllowed(ctx.viewer, canListPeople(ctx.viewer), action);
  const allowed = partnersListedFor(ctx.viewer);
  if (partner == null) return allowed;
  assertAllowed(
    ctx.viewer,
    allowed === null || allowed.includes(partner),
    `${action} of ${partner}`,
  );
  return [partner];
}

export const Query: QueryResolvers = {
  networkOutboxDeadLetters: (_parent, { first }, ctx) =>
    canSeeNetworkOutbox(ctx.viewer)
      ? listDeadLetters(ctx.db, { first: checkFirst(first ?? 50, 200) })
      : [],
  partners: async (_parent, { status }, ctx) => {
    const rows = await listPartners(ctx.db, status);
    for (const row of rows) ctx.loaders.partnerBySlug.prime(row.slug, row);
    return rows;
  },

  partner: (_parent, { slug }, ctx) => ctx.loaders.partnerBySlug.load(slug),

  passProducts: async (_parent, args, ctx) => {
    const rows = await listProducts(ctx.db);
    const page = pageOf(rows, args, (row) => row.name);
    for (const { node } of page.edges) ctx.loaders.productById.prime(node.id, node);
    return page;
  },

  passProduct: (_parent, { id }, ctx) => {
    const uuid = parseNetworkId(id, 'pass-product');
    if (!uuid)
      throw new BadInputError('id is not a pass product id of the form pass-product:<uuid>', 'id');
    return ctx.loaders.productById.load(uuid);
  },

  pass: async (_parent, { code }, ctx) => {
    const parsed = parsePassCode(code);
    if (!parsed.ok) throw new BadInputError(`code: ${CODE_PROBLEMS[parsed.reason]}`, 'code');
    const row = await getPassByCode(ctx.db, parsed.code);
    return row && { ...row, codeRevealed: true };
  },

  me: async (_parent, _args, ctx) => {
    const uuid = actingPerson(ctx.viewer);
    const person = uuid ? await ctx.loaders.personById.load(uuid) : null;
    return person?.closedAt === null ? person : null;
  },

  person: (_parent, { id }, ctx) => {
    const uuid = parsePersonId(id);
    if (!uuid)
      throw new BadInputError('id is not a person id of the form network:person:<uuid>', 'id');
    return canSeePeople(ctx.viewer) ? ctx.loaders.personById.load(uuid) : null;
  },

  personForDesk: async (_parent, { email, cardNumber }, ctx) => {
    assertAllowed(ctx.viewer, canFindPersonAtDesk(ctx.viewer), 'find a person at the desk');
    if ((email == null) === (cardNumber == null))
      throw new BadInputError('name exactly one of email and cardNumber', 'email');
    let row;
    if (email != null) {
      row = email.trim() ? await findOpenPersonByEmail(ctx.db, email.trim()) : null;
    } else {
      const key = cardNumberKey(cardNumber!);
      if (!key) throw new BadInputError('cardNumber is twelve hex digits', 'cardNumber');
      row = await findOpenPersonByCardKey(ctx.db, key);
    }
    return row && { id: personId(row.id), displayName: row.displayName };
  },

  people: async (_parent, { search, role, partner, ...page }, ctx) => {
    const partners = listedPartners(ctx, partner, 'list people');
    const rows = await listPeople(ctx.db, { search, role, partners });
    const connection = pageOf(rows, page, (row) => foldText(row.displayName));
    for (const { node } of connection.edges) ctx.loaders.personById.prime(node.id, node);
    return connection;
  },

  roleGrants: async (_parent, { partner, includeRevoked, ...page }, ctx) => {
    const partners = listedPartners(ctx, partner, 'see role grants');
    const rows = await listRoleGrants(ctx.db, {
      partners,
      includeRevoked: includeRevoked === true,
    });
    return pageOf(rows, page, (row) => row.grantedAt.toISOString());
  },

  passes: async (_parent, { search, productId, first, after }, ctx) => {
    assertAllowed(ctx.viewer, canSeeNetworkReports(ctx.viewer), 'list passes');
    const size = checkFirst(first, MAX_PAGE_SIZE);
    const productUuid = productId == null ? null : parseNetworkId(productId, 'pass-product');
    if (productId != null && !productUuid)
      throw new BadInputError('productId is not a pass product id', 'productId');
    let cursor: { issuedAt: Date; id: string } | null = null;
    if (after != null) {
      const [issuedAt, id] = decodeCursor(after, 2) ?? [];
      if (
        typeof issuedAt !== 'string' ||
        typeof id !== 'string' ||
        !UUID.test(id) ||
        Number.isNaN(Date.parse(issuedAt))
      )
        throw new BadInputError('after is not a cursor of this list', 'after');
      cursor = { issuedAt: new Date(issuedAt), id };
    }
    const page = await listPasses(ctx.db, {
      ...passSearch(search),
      productId: productUuid,
      after: cursor,
      first: size,
    });
    const edges = page.rows.map((node) => ({
      cursor: encodeCursor([node.issuedAt.toISOString(), node.id]),
      node,
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: after != null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: page.totalCount,
    };
  },

  passSales: async (_parent, { from, to, by, first }, ctx) => {
    assertAllowed(ctx.viewer, canSeeNetworkReports(ctx.viewer), 'see pass sales');
    return passSales(ctx.db, {
      ...period(from, to, MAX_REPORT_DAYS),
      by,
      limit: checkFirst(first, 500),
    });
  },

  settlement: async (_parent, { from, to }, ctx) => {
    assertAllowed(ctx.viewer, canSeeSettlement(ctx.viewer), 'see settlements');
    const days = daysBetween(from, to);
    if (days < 0) throw new BadInputError('to must not be before from', 'to');
    if (days >= MAX_SETTLEMENT_DAYS)
      throw new BadInputError(`a settlement covers at most ${MAX_SETTLEMENT_DAYS} days`, 'to');
    const lines = await statementLines(ctx.db, {
      start: startOfParisDay(from),
      end: startOfParisDay(to, 1),
    });
    return { from, to, lines };
  },
};
