import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError, decodeCursor, isUniqueViolation, toPage, toSafeInteger } from '@retail/common';
import { type Db, type Product, PrismaService, TransactionRunner, type Tx } from '@retail/database';
import { RealtimeService } from '@retail/realtime';
import type { Catalog } from '@retail/realtime-protocol';
import type { CreateProductDto, ProductQueryDto, UpdateProductDto } from '../dto/product.dto.js';
import { toProductView } from '../views/inventory.views.js';

interface CatalogRow {
  version: bigint;
  id: string | null;
  sku: string;
  name: string;
  price: bigint;
  active: boolean;
  removed: boolean;
}

/**
 * The chain's products. Every change (create, edit, deactivate, remove) takes the next catalog
 * version of its company, under the company row's lock, so versions commit in the order they are
 * given: a till holding version V has seen every change up to V, and `since=V` brings the rest.
 */
@Injectable()
export class ProductsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly realtime: RealtimeService,
  ) {}

  /** Ordered by sku, keyset-paged. Removed products are gone from here; inactive ones stay. */
  async list(user: Principal, { q, cursor, limit }: ProductQueryDto) {
    const after = cursor ? decodeCursor(cursor) : undefined;
    const rows = await this.prisma.product.findMany({
      where: {
        companyId: user.companyId,
        removedAt: null,
        ...(q ? { OR: [{ sku: { contains: q, mode: 'insensitive' } }, { name: { contains: q, mode: 'insensitive' } }] } : {}),
        ...(after ? { sku: { gt: after.key } } : {}),
      },
      orderBy: { sku: 'asc' },
      take: limit + 1,
    });
    return toPage(rows, limit, (p) => ({ key: p.sku, id: p.id }), toProductView);
  }

  async create(user: Principal, dto: CreateProductDto) {
    return this.changeCatalog(user.companyId, dto.sku, async (tx, catalogVersion) =>
      tx.product.create({ data: { ...dto, companyId: user.companyId, catalogVersion } }),
    );
  }

  /** Price, name, sku, unit or `active`; a deactivated product stays in history but tills stop selling it. */
  async update(user: Principal, id: string, dto: UpdateProductDto) {
    await this.requireMany(user.companyId, [id]);
    return this.changeCatalog(user.companyId, dto.sku, (tx, catalogVersion) =>
      tx.product.update({ where: { id }, data: { ...dto, catalogVersion } }),
    );
  }

  /** Takes a product out of the catalog for good (its sales, movements and stock stay as history): tills see it under `removed`. */
  async remove(user: Principal, id: string): Promise<void> {
    await this.requireMany(user.companyId, [id]);
    await this.changeCatalog(user.companyId, undefined, (tx, catalogVersion) =>
      tx.product.update({ where: { id }, data: { removedAt: new Date(), active: false, catalogVersion } }),
    );
  }

  /**
   * What a till sells from: every product (without `since`), or what changed after the version it
   * holds, read in one statement so the version and the products are of one snapshot.
   */
  async catalog(companyId: string, since: bigint | undefined): Promise<Catalog> {
    // Products older than versions (made before them, at 0) belong to the whole catalog too.
    const after = since ?? -1n;
    const rows = await this.prisma.$queryRaw<CatalogRow[]>`
      SELECT c."catalogVersion" AS version, p.id, p.sku, p.name, p.price, p.active, p."removedAt" IS NOT NULL AS removed
      FROM "Company" c
      LEFT JOIN "Product" p ON p."companyId" = c.id AND p."catalogVersion" > ${after}::bigint
        AND (${since !== undefined}::boolean OR p."removedAt" IS NULL)
      WHERE c.id = ${companyId}::uuid
      ORDER BY p.sku`;
    const changed = rows.filter((row): row is CatalogRow & { id: string } => row.id !== null);
    return {
      version: String(rows[0]?.version ?? 0n),
      products: changed
        .filter((p) => !p.removed)
        .map(({ id, sku, name, price, active }) => ({ id, sku, name, price: toSafeInteger(price), active })),
      removed: changed.filter((p) => p.removed).map((p) => p.id),
    };
  }

  /** The company's products with these ids, in the same order; any unknown, removed or other company's id is 404. */
  async requireMany(companyId: string, ids: string[], db: Db = this.prisma): Promise<Product[]> {
    const found = await db.product.findMany({ where: { companyId, id: { in: ids }, removedAt: null } });
    const byId = new Map(found.map((p) => [p.id, p]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) throw new AppError(HttpStatus.NOT_FOUND, 'not_found', 'Product not found', { productIds: missing });
    return ids.map((id) => byId.get(id)!);
  }

  /** One catalog change: the next version of the company, the write, and `pos.catalog.changed` once it commits. */
  private async changeCatalog(companyId: string, sku: string | undefined, write: (tx: Tx, version: bigint) => Promise<Product>) {
    try {
      return await this.transactions.run(async (tx) => {
        const [{ catalogVersion }] = await tx.$queryRaw<[{ catalogVersion: bigint }]>`
          UPDATE "Company" SET "catalogVersion" = "catalogVersion" + 1 WHERE id = ${companyId}::uuid RETURNING "catalogVersion"`;
        const product = await write(tx, catalogVersion);
        this.realtime.emit('posCatalogChanged', { companyId, version: String(catalogVersion) }, { tx });
        return toProductView(product);
      });
    } catch (error) {
      throw isUniqueViolation(error) && sku ? skuTaken(sku) : error;
    }
  }
}

const skuTaken = (sku: string) => AppError.conflict('sku_taken', `A product with sku ${sku} already exists`);
