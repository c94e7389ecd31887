import { asc, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  passProducts,
  passProductSpaces,
  type PassProductRow,
  type PassProductSpaceRow,
} from '../db/schema.js';

export type ProductValues = Omit<PassProductRow, 'id' | 'createdAt'>;

export async function listProducts(db: Db): Promise<PassProductRow[]> {
  return db.select().from(passProducts).orderBy(asc(passProducts.name), asc(passProducts.id));
}

export async function getProductsByIds(db: Db, ids: readonly string[]): Promise<PassProductRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(passProducts)
    .where(inArray(passProducts.id, [...ids]));
}

export async function listProductsBySellers(
  db: Db,
  slugs: readonly string[],
): Promise<PassProductRow[]> {
  if (slugs.length === 0) return [];
  return db
    .select()
    .from(passProducts)
    .where(inArray(passProducts.sellerSlug, [...slugs]))
    .orderBy(asc(passProducts.name), asc(passProducts.id));
}

/** The spaces of each product, in the product's order. */
export async function listProductSpaces(
  db: Db,
  productIds: readonly string[],
): Promise<PassProductSpaceRow[]> {
  if (productIds.length === 0) return [];
  return db
    .select()
    .from(passProductSpaces)
    .where(inArray(passProductSpaces.productId, [...productIds]))
    .orderBy(asc(passProductSpaces.position));
}

/** The products valid at each space, by name. */
export async function listProductsBySpaceIds(
  db: Db,
  spaceIds: readonly string[],
): Promise<(PassProductRow & { spaceId: string })[]> {
  if (spaceIds.length === 0) return [];
  return db
    .select({ ...getTableColumns(passProducts), spaceId: passProductSpaces.spaceId })
    .from(passProductSpaces)
    .innerJoin(passProducts, eq(passProducts.id, passProductSpaces.productId))
    .where(inArray(passProductSpaces.spaceId, [...spaceIds]))
    .orderBy(asc(passProducts.name), asc(passProducts.id));
}

/** A product and the spaces where it is valid, in one transaction. */
export async function createProduct(
  db: Db,
  params: {
    values: ProductValues;
    spaces: readonly { spaceId: string; hostSlug: string }[];
    id?: string;
  },
): Promise<PassProductRow> {
  return db.transaction(async (tx) => {
    const [product] = await tx
      .insert(passProducts)
      .values({ ...params.values, ...(params.id ? { id: params.id } : {}) })
      .returning();
    await tx
      .insert(passProductSpaces)
      .values(
        params.spaces.map((space, position) => ({ ...space, productId: product!.id, position })),
      );
    return product!;
  });
}
